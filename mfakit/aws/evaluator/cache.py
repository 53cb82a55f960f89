"""Compiled policy sets cached by content, so ``evaluate(plain_dicts, ...)`` does not recompile every call.

The key is cheap (the identity of each input document, plus its name); a hit is only used after checking
that each document still *equals* the copy taken when it was compiled (a C-level ``==`` on dicts/lists/
strings), so a dict changed in place is recompiled, never answered from a stale compilation. JSON text and
bytes are keyed by their value. The cache is small and bounded (least recently added entries go first).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any, Callable

MAX_ENTRIES = 128

_CACHE: "OrderedDict[tuple, tuple[list[Any], Any]]" = OrderedDict()
#: The last input seen: (the object, a deep copy of it, its compilation). Callers usually pass the same list
#: again and again; one C-level ``==`` against the copy then proves the content unchanged.
_LAST: list[Any] = [None, None, None]


def _key_part(item: Any) -> Any:
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        name, doc = item
        return (name, doc if isinstance(doc, (str, bytes)) else id(doc))
    return item if isinstance(item, (str, bytes)) else id(item)


def _docs(items: list[Any]) -> list[Any]:
    return [i[1] if isinstance(i, tuple) and len(i) == 2 and isinstance(i[0], str) else i for i in items]


def cached_compile(policies: Any, compile_fn: Callable[[Any], Any]) -> Any:
    """``compile_fn(policies)``, reusing an earlier compilation of equal content."""
    last = _LAST
    if policies is last[0] and policies == last[1]:
        return last[2]
    compiled = _keyed(policies, compile_fn)
    try:
        _LAST[:] = [policies, copy.deepcopy(policies), compiled]
    except Exception:  # noqa: BLE001 - an input that cannot be copied is simply not remembered
        _LAST[:] = [None, None, None]
    return compiled


def _keyed(policies: Any, compile_fn: Callable[[Any], Any]) -> Any:
    items = [policies] if isinstance(policies, (dict, str, bytes)) or (
        isinstance(policies, tuple) and len(policies) == 2 and isinstance(policies[0], str)) else list(policies)
    try:
        key = tuple(_key_part(i) for i in items)
    except TypeError:
        return compile_fn(policies)
    hit = _CACHE.get(key)
    docs = _docs(items)
    if hit is not None and hit[0] == docs:
        return hit[1]
    compiled = compile_fn(policies)  # raises PolicyError for a bad policy: nothing is cached then
    _CACHE[key] = ([d if isinstance(d, (str, bytes)) else copy.deepcopy(d) for d in docs], compiled)
    while len(_CACHE) > MAX_ENTRIES:
        _CACHE.popitem(last=False)
    return compiled


def clear() -> None:
    _CACHE.clear()
    _LAST[:] = [None, None, None]
