"""Minimal rewrites: put only the changed accounts' lines of a fresh dump into the text as it was read.

ruamel's round trip keeps comments, but a full dump still re-indents, re-wraps and re-styles what it did not
change (flow lists become block lists...). A save therefore takes the old text and replaces only the line
spans of the accounts that changed (and appends new ones) with their lines from the full dump, so every byte
of an untouched account stays as the user wrote it. The caller checks the result parses to the intended
inventory and falls back to the full dump when it does not (an unusual layout, a changed title...).
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

Spans = dict[str, tuple[int, int]]


def account_spans(doc: Any, text: str) -> Spans | None:
    """Each account's lines ``[start, end)`` (0-based) in ``text``, or None when the layout is not one account
    per block-sequence item (flow-style ``accounts: [...]``, items sharing a line, no accounts yet).

    An item's span runs from its ``-`` line to the next item's ``-`` line, so comments and blank lines after an
    account belong to it (ruamel attaches them there too); the last one ends at the next top-level key or EOF.
    """
    if not isinstance(doc, CommentedMap):
        return None
    seq = doc.get("accounts")
    if not isinstance(seq, CommentedSeq) or not len(seq) or seq.fa.flow_style():
        return None
    lines = text.splitlines(keepends=True)
    starts: list[tuple[str, int]] = []
    for i, node in enumerate(seq):
        if not isinstance(node, CommentedMap) or not isinstance(node.get("id"), str):
            return None
        try:
            line = seq.lc.item(i)[0]
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        while line > 0 and not lines[line].lstrip().startswith("-"):
            line -= 1  # an item written as "-" on its own line, its keys below
        if not lines[line].lstrip().startswith("-"):
            return None
        starts.append((str(node["id"]).strip(), line))
    ends = [line for _, line in starts[1:]]
    keys = list(doc)
    after = keys[keys.index("accounts") + 1:]
    end = len(lines)
    if after:
        try:
            end = doc.lc.key(after[0])[0]
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
    ends.append(end)
    spans: Spans = {}
    previous = -1
    for (ident, start), stop in zip(starts, ends):
        if start <= previous or stop <= start or ident in spans:
            return None  # two items on one line, or out of order: not ours to splice
        spans[ident] = (start, stop)
        previous = start
    return spans


def splice(old_text: str, old_spans: Spans, new_text: str, new_spans: Spans,
           order: list[str]) -> tuple[str, Spans] | None:
    """``old_text`` rearranged to hold the accounts ``order`` names: an account in ``new_spans`` (changed or
    new) takes its lines from ``new_text``, any other keeps its lines from ``old_text``; accounts not in
    ``order`` are dropped, new ones come after the last old one.

    Returns the text and its account spans; None when the surviving old accounts are not in their old order
    (the caller writes the full dump).
    """
    kept = [k for k in order if k in old_spans]
    added = [k for k in order if k not in old_spans]
    if kept != sorted(kept, key=lambda k: old_spans[k][0]) or order != kept + added:
        return None
    if any(k not in new_spans for k in added) or not old_spans:
        return None
    if not old_text.endswith("\n"):
        old_text += "\n"
    old_lines = old_text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    first = min(s for s, _ in old_spans.values())
    last = max(e for _, e in old_spans.values())
    out = old_lines[:first]
    spans: Spans = {}
    for ident in order:
        if ident not in new_spans:
            start, stop = old_spans[ident]
            piece = old_lines[start:stop]
        else:
            start, stop = new_spans[ident]
            piece = new_lines[start:stop]
            if ident in old_spans:  # a changed account keeps the comments and blank lines that closed it
                cut = len(piece) - len(_tail_region(piece))
                piece = piece[:cut] + _tail_region(old_lines[old_spans[ident][0]:old_spans[ident][1]])
        spans[ident] = (len(out), len(out) + len(piece))
        out += piece
    final = max(old_spans, key=lambda k: old_spans[k][1])
    if final not in order:  # the last account goes: the comment lines closing the file stay
        out += _trailer(old_lines[old_spans[final][0]:old_spans[final][1]])
    out += old_lines[last:]
    return "".join(out), spans


def _tail_region(lines: list[str]) -> list[str]:
    """The blank and comment lines that end a span (the separator, or comments before the next account)."""
    start = len(lines)
    while start > 1 and (not lines[start - 1].strip() or lines[start - 1].lstrip().startswith("#")):
        start -= 1
    return lines[start:]


def _trailer(lines: list[str]) -> list[str]:
    """The comment lines (at column 0) that close a span, with the blank lines among them."""
    start = len(lines)
    while start > 0 and (not lines[start - 1].strip() or lines[start - 1].startswith("#")):
        start -= 1
    while start < len(lines) and not lines[start].startswith("#"):
        start += 1
    return lines[start:]


_ITEM = re.compile(r"( *)-( +)\S")


def item_indent(text: str, spans: Spans) -> tuple[int, int] | None:
    """(column of the ``-``, column of the item's first key) of the accounts' items, when all agree."""
    lines = text.splitlines()
    seen: set[tuple[int, int]] = set()
    for start, _ in spans.values():
        m = _ITEM.match(lines[start])
        if not m:
            return None
        seen.add((len(m.group(1)), len(m.group(1)) + 1 + len(m.group(2))))
    return seen.pop() if len(seen) == 1 else None


def dumped_spans(text: str, ids: list[str], dash: int) -> Spans | None:
    """The account spans of a text the kit's own dumper wrote (items at column ``dash``), found by reading the
    lines: the dump's layout is known, so no second parse is needed. None when the count does not add up."""
    lines = text.splitlines()
    try:
        first = next(i for i, ln in enumerate(lines) if ln.startswith("accounts:"))
    except StopIteration:
        return None
    prefix = " " * dash + "-"
    starts: list[int] = []
    end = len(lines)
    for i in range(first + 1, len(lines)):
        ln = lines[i]
        item = ln.startswith(prefix) and (len(ln) == len(prefix) or ln[len(prefix)] == " ")
        if item:
            starts.append(i)
        elif ln and not ln[0].isspace() and not ln.startswith("#"):
            end = i  # the next top-level key
            break
    if len(starts) != len(ids):
        return None
    return {ident: (start, stop) for ident, start, stop in zip(ids, starts, [*starts[1:], end])}

