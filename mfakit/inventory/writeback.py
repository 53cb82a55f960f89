"""Write an Inventory back into its round-trip YAML document, touching only what changed (comments stay)."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from mfakit.inventory.model import Account, Factor, Inventory


def _factor_node(f: Factor, old: CommentedMap | None) -> CommentedMap:
    node = old if old is not None else CommentedMap()
    wanted: dict[str, Any] = {"type": f.type}
    if f.where:
        wanted["where"] = f.where
    if f.added:
        wanted["added"] = f.added
    if f.note:
        wanted["note"] = f.note
    for key in list(node):
        if key not in wanted:
            del node[key]
    for key, value in wanted.items():
        if node.get(key) != value:
            node[key] = quoted(value)
    return node


def _same_factor(node: Any, f: Factor) -> bool:
    """Is this factor node (a mapping, or the shorthand ``type:where`` string) the factor ``f``?"""
    if isinstance(node, str):
        ftype, _, where = node.partition(":")
        return ftype.strip() == f.type and (where.strip() or None) == f.where
    return isinstance(node, dict) and node.get("type") == f.type and (node.get("where") or None) == f.where


#: Characters YAML readers take as line breaks or cannot show raw: a string holding one is written
#: double-quoted, where the emitter escapes it (``\N`` for NEL), so it reads back unchanged.
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def quoted(value: Any) -> Any:
    """``value``, double-quoted when it is a string a plain or single-quoted scalar would not keep."""
    if isinstance(value, str) and _NEEDS_ESCAPE.search(value):
        return DoubleQuotedScalarString(value)
    return value


def _tail(node: Any) -> tuple[Any, Any] | None:
    """The (container, key) holding the comment that follows ``node``'s last line (blank lines live there)."""
    while True:
        if isinstance(node, CommentedMap) and len(node):
            key = list(node)[-1]
            if isinstance(node[key], (CommentedMap, CommentedSeq)) and len(node[key]):
                node = node[key]
                continue
            return node, key
        if isinstance(node, CommentedSeq) and len(node):
            idx = len(node) - 1
            if isinstance(node[idx], (CommentedMap, CommentedSeq)) and len(node[idx]):
                node = node[idx]
                continue
            return node, idx
        return None


def _pop_tail_comment(node: Any) -> Any:
    spot = _tail(node)
    if spot is None:
        return None
    container, key = spot
    entry = container.ca.items.get(key)
    if not entry:
        return None
    pos = 2 if isinstance(container, CommentedMap) else 0
    token = entry[pos]
    entry[pos] = None
    return token


def _put_tail_comment(node: Any, token: Any) -> None:
    spot = _tail(node)
    if token is None or spot is None:
        return
    container, key = spot
    pos = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    if entry[pos] is None:
        entry[pos] = token


def _sync_account(a: Account, node: CommentedMap) -> CommentedMap:
    """Write ``a`` into ``node`` touching only what changed, so comments on untouched lines stay.

    The comment after the entry's last line (usually the blank line between accounts) is moved to the new
    last line, so entries stay visually separated however their factors and history change.
    """
    tail = _pop_tail_comment(node)
    try:
        _sync_fields(a, node)
    finally:
        _put_tail_comment(node, tail)
    return node


def _sync_fields(a: Account, node: CommentedMap) -> None:
    def put(key: str, value: Any, keep_empty: bool = False) -> None:
        if value in ("", None, []) and not keep_empty:
            if key in node:
                del node[key]
            return
        if node.get(key) != value:
            node[key] = quoted(value)

    put("id", a.id)
    put("service", a.service)
    put("account", a.account)
    put("label", a.label)
    if a.group != "Other" or "group" in node:  # "Other" is the default: never added where it was not written
        put("group", a.group)
    old_factors = node.get("factors") if isinstance(node.get("factors"), list) else []
    pool: list[Any] = list(old_factors)
    reused: list[Any] = []
    for f in a.factors:
        match = next((o for o in pool if _same_factor(o, f)), None)
        if match is not None:
            pool.remove(match)
        if isinstance(match, str) and not f.added and not f.note:
            reused.append(match)  # shorthand "totp" / "security_key:Titan 1" stays as written
            continue
        reused.append(_factor_node(f, match if isinstance(match, CommentedMap) else None))
    if len(reused) == len(old_factors) and all(x is y for x, y in zip(reused, old_factors)):
        pass  # same items in the same order, updated in place: comments stay where they were
    else:
        new_seq = CommentedSeq(reused)
        if isinstance(old_factors, CommentedSeq):
            if old_factors.fa.flow_style():
                new_seq.fa.set_flow_style()  # a [flow, list] stays one
            old_pos = {id(o): i for i, o in enumerate(old_factors)}
            new_seq.ca.comment = old_factors.ca.comment
            for i, item in enumerate(reused):
                j = old_pos.get(id(item))
                if j is not None and j in old_factors.ca.items:
                    new_seq.ca.items[i] = old_factors.ca.items[j]
        node["factors"] = new_seq
    put("notes", a.notes)
    if a.history:
        old_h = node.get("history") if isinstance(node.get("history"), list) else CommentedSeq()
        hist = old_h if isinstance(old_h, CommentedSeq) else CommentedSeq(old_h)
        have = len(hist)
        # history is append-only: keep existing entries as written, add the new ones
        for ch in a.history[have:]:
            entry = CommentedMap()
            entry["date"] = ch.date
            entry["op"] = ch.op
            entry["type"] = ch.type
            if ch.where:
                entry["where"] = quoted(ch.where)
            hist.append(entry)
        if len(a.history) < have:
            del hist[len(a.history):]
        node["history"] = hist
    elif "history" in node:
        del node["history"]


def to_document(inv: Inventory, changed: set[str] | None = None) -> CommentedMap:
    """The inventory as a round-trip YAML document, reusing the loaded one so comments and order survive.

    ``changed`` (ids) limits the write-back to those accounts and new ones: the nodes of the others are left
    exactly as they were read (None: write back every account).
    """
    doc = inv.doc if isinstance(inv.doc, CommentedMap) else _empty_document(inv.title)
    if inv.title and doc.get("title") != inv.title:
        doc["title"] = inv.title
    old_seq = doc.get("accounts") if isinstance(doc.get("accounts"), CommentedSeq) else CommentedSeq()
    by_id = {n.get("id"): n for n in old_seq if isinstance(n, CommentedMap)}
    wanted_ids = [a.id for a in inv.accounts]
    # remove deleted accounts in place (keeps comments of the rest)
    for i in range(len(old_seq) - 1, -1, -1):
        n = old_seq[i]
        if not isinstance(n, CommentedMap) or n.get("id") not in wanted_ids:
            del old_seq[i]
    for a in inv.accounts:
        node = by_id.get(a.id)
        if node is None:
            node = CommentedMap()
            _sync_account(a, node)
            old_seq.append(node)
        elif changed is None or a.id in changed:
            _sync_account(a, node)
    # keep the inventory's order (accounts moved by the library are rare; reorder only when needed)
    order = {aid: i for i, aid in enumerate(wanted_ids)}
    current = [n.get("id") for n in old_seq]
    if current != wanted_ids:
        items = sorted(list(old_seq), key=lambda n: order[n.get("id")])
        for i, n in enumerate(items):
            old_seq[i] = n
    doc["accounts"] = old_seq
    return doc



def _empty_document(title: str) -> CommentedMap:
    doc = CommentedMap()
    doc["version"] = 1
    if title:
        doc["title"] = title
    doc["accounts"] = CommentedSeq()
    return doc
