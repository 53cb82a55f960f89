"""IAM wildcard matching: ``*`` (any run of characters, ``:`` and ``/`` included) and ``?`` (one character).

Patterns are compiled once into the cheapest test that is exact: set membership for literals, ``startswith``
for ``prefix*`` and a regular expression otherwise.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

GLOB_CHARS = frozenset("*?")


def has_glob(text: str) -> bool:
    """True when ``text`` contains an IAM wildcard."""
    return "*" in text or "?" in text


@lru_cache(maxsize=4096)
def glob_to_regex(pattern: str) -> str:
    """Regex source (without anchors) equivalent to an IAM glob: ``*`` → ``.*``, ``?`` → ``.``."""
    out: list[str] = []
    for ch in pattern:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=4096)
def compile_glob(pattern: str, ignore_case: bool = False) -> Callable[[str], object]:
    """A ``fullmatch`` callable for one glob (cached: substituted variables produce few distinct patterns)."""
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(glob_to_regex(pattern), flags).fullmatch


def glob_match(pattern: str, text: str) -> bool:
    """Does ``text`` match the IAM glob ``pattern`` (case-sensitive)?"""
    if not has_glob(pattern):
        return pattern == text
    return compile_glob(pattern)(text) is not None


class GlobSet:
    """Any-of matcher over several globs: literals in a frozenset, ``prefix*`` via startswith, rest by regex."""

    __slots__ = ("literals", "prefixes", "regex", "match_all")

    def __init__(self, patterns: Iterable[str]) -> None:
        literals: set[str] = set()
        prefixes: list[str] = []
        others: list[str] = []
        match_all = False
        for p in patterns:
            if p == "*":
                match_all = True
            elif not has_glob(p):
                literals.add(p)
            elif p.endswith("*") and not has_glob(p[:-1]):
                prefixes.append(p[:-1])
            else:
                others.append(p)
        self.match_all = match_all
        self.literals = frozenset(literals)
        self.prefixes = tuple(prefixes)
        self.regex = (re.compile("|".join(f"(?:{glob_to_regex(p)})" for p in others), re.DOTALL).fullmatch
                      if others else None)

    def __call__(self, text: str) -> bool:
        if self.match_all or text in self.literals:
            return True
        if self.prefixes and text.startswith(self.prefixes):
            return True
        return self.regex is not None and self.regex(text) is not None
