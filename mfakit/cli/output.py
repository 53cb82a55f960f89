"""Shared output helpers for the command line: consoles, JSON on stdout, the inventory banner."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

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


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """``" (did you mean 'github'?)"`` for the closest of ``choices`` to ``word``, or ``""`` when none is close.

    Case-insensitive; a choice that starts with ``word`` counts as close. The suggestion is made safe for a
    terminal (choices may come from data). Meant to be appended to an error message.
    """
    import difflib

    from mfakit import safe

    options = [str(c) for c in choices if c is not None and str(c)]
    if not word or not options:
        return ""
    folded = {o.casefold(): o for o in options}
    key = str(word).casefold()
    if key in folded and folded[key] != word:
        return f" (did you mean '{safe.plain(folded[key])}'?)"
    close = difflib.get_close_matches(key, list(folded), n=2, cutoff=cutoff)
    if len(close) == 2:  # a second name only when it is as close as the first
        ratio = [difflib.SequenceMatcher(None, key, c).ratio() for c in close]
        close = close if ratio[1] >= ratio[0] - 0.01 else close[:1]
    if not close:
        close = [f for f in folded if f.startswith(key) and len(key) >= 3][:2]
    if not close:
        return ""
    names = " or ".join(f"'{safe.plain(folded[c])}'" for c in close)
    return f" (did you mean {names}?)"


def examples(*lines: str) -> str:
    """A command's help epilog listing examples, printed as written (``\\b`` stops click re-wrapping them).

    Use: ``app.command("record", epilog=examples("mfakit record github --add security_key:'Titan 1'"))``.
    """
    return "\b\nExamples:\n" + "\n".join(f"  {ln}" for ln in lines)
