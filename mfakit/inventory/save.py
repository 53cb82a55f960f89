"""Saving an inventory: under lock, refusing a stale copy, atomically, rewriting only the changed accounts.

The text written is checked to load back to exactly the inventory in memory before it replaces the file. When
the inventory was read from the same file, only the changed (and new) accounts' lines are replaced (see
:mod:`mfakit.inventory.splice`), and only those lines need re-reading to check them; otherwise the whole
round-trip dump is written and re-read.
"""

from __future__ import annotations

import copy
from pathlib import Path

from mfakit.config import resolve_path
from mfakit.errors import InventoryError
from mfakit.fileio import atomic_write, file_lock, fingerprint, real_target
from mfakit.inventory.model import Account, Inventory
from mfakit.inventory.splice import account_spans, dumped_spans, item_indent, shifted, splice
from mfakit.inventory.storage import _fingerprint, _parse_text
from mfakit.inventory.writeback import to_document
from mfakit.inventory.yamlio import dump_yaml, parse_yaml


def _normalize(a: Account) -> None:
    """Trim what the loader trims, so the account in memory equals the one read back after a save."""
    a.id, a.service, a.account, a.label = a.id.strip(), a.service.strip(), a.account.strip(), a.label.strip()
    a.group, a.notes = a.group.strip() or "Other", a.notes.strip()
    for f in a.factors:
        f.where = (f.where or "").strip() or None


def _same_file(a: Path | None, b: Path) -> bool:
    if a is None:
        return False
    try:
        return real_target(a).resolve() == real_target(b).resolve()
    except OSError:
        return False


def _spliced(inv: Inventory, target: Path, changed: set[str]) -> str | None:
    """The old text with only the changed and new accounts' lines replaced, checked; None when not possible."""
    if inv.text is None or inv.baseline_title != inv.title:
        return None
    spans = inv.spans
    if spans is None:  # after an earlier splice in this process the spans are recomputed lazily
        spans = account_spans(parse_yaml(inv.text, target, InventoryError), inv.text)
        if spans is None:
            return None
    indent = item_indent(inv.text, spans)
    if indent is None:
        return None
    dash, key = indent
    doc = to_document(inv, changed)
    full = dump_yaml(doc, sequence=key, offset=dash)
    ids = [a.id for a in inv.accounts]
    new_spans = dumped_spans(full, ids, dash)
    if new_spans is None:
        return None
    text = splice(inv.text, spans, full, new_spans, changed)
    if text is None:
        return None
    # check: the header plus the replaced accounts' lines must read back as exactly those accounts
    touched = [a for a in inv.accounts if a.id in changed or a.id not in spans]
    old_lines = inv.text.splitlines(keepends=True)
    new_lines = full.splitlines(keepends=True)
    header = "".join(old_lines[:min(s for s, _ in spans.values())])
    body = "".join("".join(new_lines[new_spans[a.id][0]:new_spans[a.id][1]]) for a in touched)
    if touched:
        try:
            check = _parse_text((header + body).encode("utf-8"), target)
        except InventoryError:
            return None
        if check.accounts != touched:
            return None
    inv.spans = shifted(spans, new_spans, changed, [i for i in ids])
    return text


def _full(inv: Inventory, target: Path, changed: set[str] | None) -> str:
    """The whole round-trip dump, re-read and checked in full."""
    text = dump_yaml(to_document(inv, changed))
    try:
        check = _parse_text(text.encode("utf-8"), target)
    except InventoryError as exc:
        raise InventoryError(f"refusing to save: the written file would not load back ({exc.message})",
                             target) from None
    if check.accounts != inv.accounts or check.title != (inv.title or ""):
        got = [a.id for a in check.accounts]
        raise InventoryError(f"refusing to save: the written file would hold {got} instead of "
                             f"{[a.id for a in inv.accounts]}", target)
    inv.doc, inv.spans = check.doc, check.spans
    return text


def render(inv: Inventory, target: Path) -> str:
    """The text to write for ``inv`` (checked); only changed accounts' lines differ from the file as read."""
    for a in inv.accounts:
        _normalize(a)
    changed = {a.id for a in inv.accounts if inv.baseline.get(a.id) != a}
    if inv.text is not None and not changed and set(inv.baseline) == {a.id for a in inv.accounts} \
            and inv.baseline_title == inv.title:
        return inv.text
    text = _spliced(inv, target, changed) if inv.baseline else None
    return text if text is not None else _full(inv, target, changed if inv.baseline else None)


def save_inventory(inv: Inventory, path: str | Path | None = None) -> Path:
    """Write the inventory atomically under an exclusive lock; returns the path written.

    Refuses (one line) when the file changed on disk since ``inv`` was read from it, so a stale copy never
    overwrites someone else's change (:func:`mfakit.inventory.record_change` reloads under the lock instead).
    A symlink is written through (the link stays). Only the changed accounts' lines are rewritten.
    """
    target = resolve_path(path) if path else inv.path
    if target is None:
        raise InventoryError("no file to save to (give a path)")
    with file_lock(target):
        if inv.fingerprint is not None and _same_file(inv.path, target):
            if fingerprint(target) != inv.fingerprint:
                raise InventoryError("the file changed on disk since it was read (another program saved it); "
                                     "nothing was written — reload it and make the change again", target)
        elif inv.text is not None:
            inv.text, inv.spans = None, None  # read from another file: its lines mean nothing here
        text = render(inv, target)
        if text != inv.text or not target.exists():
            atomic_write(target, text)
    inv.path = target
    inv.text, inv.fingerprint = text, _fingerprint(text.encode("utf-8"))
    inv.baseline = {a.id: copy.deepcopy(a) for a in inv.accounts}
    inv.baseline_title = inv.title
    return target
