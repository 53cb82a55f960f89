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
        _out = Console(highlight=False, soft_wrap=False)
    return _out


def err() -> Console:
    global _err
    if _err is None:
        _err = Console(stderr=True, highlight=False)
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
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")
    sys.stdout.flush()


def banner(text: str, json_mode: bool) -> None:
    """Say which inventory (or account) a command used: in the header, or on stderr when stdout is JSON."""
    if json_mode:
        err().print(f"[dim]{text}[/dim]")
    else:
        out().print(f"[bold]{text}[/bold]")
