"""Shared output helpers for the command line: consoles, JSON on stdout, the inventory banner."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    global _out
    if _out is None:
        _out = Console(highlight=False, soft_wrap=False, emoji=False)  # ":smile:" in a name stays text
    return _out


def err() -> Console:
    global _err
    if _err is None:
        _err = Console(stderr=True, highlight=False, emoji=False)
    return _err


def _default(obj: Any) -> Any:
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def emit_json(data: Any) -> None:
    """Print pure JSON on stdout (nothing else goes to stdout when --format json)."""
    from mfakit.safe import json_text

    text = json.dumps(data, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write(json_text(text) + "\n")
    sys.stdout.flush()


def banner(text: str, json_mode: bool) -> None:
    """Say which inventory (or account) a command used: in the header, or on stderr when stdout is JSON.

    ``text`` is plain text (a path or a name may hold ``[`` or controls): it is shown literally, never as markup.
    """
    from rich.text import Text

    from mfakit.safe import plain

    line = Text(plain(text), style="dim" if json_mode else "bold")  # a Text is never read as markup
    (err() if json_mode else out()).print(line)


from mfakit.suggest import did_you_mean  # noqa: E402,F401  (re-exported for the commands)


def examples(*lines: str) -> str:
    """A command's help epilog listing examples, printed as written (``\\b`` stops click re-wrapping them).

    Use: ``app.command("record", epilog=examples("mfakit record github --add security_key:'Titan 1'"))``.
    """
    return "\b\nExamples:\n" + "\n".join(f"  {ln}" for ln in lines)
