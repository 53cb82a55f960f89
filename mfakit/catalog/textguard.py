"""Cheap refusal of hostile catalog text before any parser sees it: huge numbers and pathological nesting.

A 5000-digit number makes Python's ``int()`` raise (or a YAML constructor crawl), and text nested thousands of
levels deep makes the pure-Python YAML parser recurse for seconds; both are refused here with one line, in
linear time, before parsing. No real catalog has a number longer than 40 digits or nests deeper than 40.
"""

from __future__ import annotations

import re
from pathlib import Path

from mfakit.errors import CatalogError

MAX_DIGITS = 40
MAX_DEPTH = 40
_LONG_NUMBER = re.compile(r"(?<![A-Za-z0-9_])[-+]?\d{%d,}" % (MAX_DIGITS + 1))
_OPENERS = {"[": "]", "{": "}"}


def _flow_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` outside quoted strings (an over-estimate is fine: it only refuses)."""
    depth = best = 0
    quote = ""
    escape = False
    for ch in text:
        if quote:
            if escape:
                escape = False
            elif ch == "\\" and quote == '"':
                escape = True
            elif ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > best:
                best = depth
                if best > MAX_DEPTH:
                    return best
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "\n":
            quote = ""  # a stray apostrophe in plain YAML text ends at the line
    return best


def _indent_depth(text: str) -> int:
    """Number of distinct indentation levels on the current block path (block-style nesting)."""
    stack: list[int] = []
    best = 0
    for line in text.splitlines():
        stripped = line.lstrip(" -")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        while stack and stack[-1] >= indent:
            stack.pop()
        stack.append(indent)
        best = max(best, len(stack))
        if best > MAX_DEPTH:
            break
    return best


def precheck_text(text: str, path: Path | str | None = None, block: bool = True) -> None:
    """Refuse (CatalogError, one line) a number longer than MAX_DIGITS or nesting deeper than MAX_DEPTH.

    ``block=False`` (JSON) checks bracket nesting only; YAML also has indentation nesting.
    """
    m = _LONG_NUMBER.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise CatalogError(f"a number with {len(m.group(0).lstrip('+-'))} digits; refusing (the limit is "
                           f"{MAX_DIGITS})", path, line)
    if _flow_depth(text) > MAX_DEPTH or (block and _indent_depth(text) > MAX_DEPTH):
        raise CatalogError(f"nested more than {MAX_DEPTH} levels deep; refusing", path)
