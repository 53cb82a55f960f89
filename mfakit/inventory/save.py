"""Saving an inventory: under lock, refusing a stale copy, atomically, rewriting only the changed accounts.

The text written is checked to load back to exactly the inventory in memory before it replaces the file. When
the inventory was read from the same file, only the changed (and new) accounts' lines are replaced (see
:mod:`mfakit.inventory.splice`), and only those lines need re-reading to check them; otherwise the whole
round-trip dump is written and re-read.
"""

from __future__ import annotations

import copy
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mfakit.config import resolve_path
from mfakit.errors import InventoryError
from mfakit.fileio import atomic_write, file_lock, fingerprint, real_target
from mfakit.inventory.model import Account, Inventory
from mfakit.inventory.splice import Spans, account_spans, dumped_spans, item_indent, splice
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


def _spliced(inv: Inventory, target: Path, changed: set[str]) -> tuple[str, Spans] | None:
    """The old text with only the changed and new accounts' lines replaced, checked; None when not possible.

    Only the touched accounts are dumped (in the file's own indentation) and re-read for the check, so a save
    costs what the change costs, not what the file costs.
    """
    if inv.text is None or inv.baseline_title != inv.title:
        return None
    spans = inv.spans
    if spans is None:  # after a full save the spans are recomputed lazily
        spans = account_spans(parse_yaml(inv.text, target, InventoryError), inv.text)
        if spans is None:
            return None
    indent = item_indent(inv.text, spans)
    if indent is None:
        return None
    dash, key = indent
    doc = to_document(inv, changed)  # syncs the touched nodes in place, leaves the others alone
    nodes = {n.get("id"): n for n in doc["accounts"] if isinstance(n, CommentedMap)}
    order = [a.id for a in inv.accounts]
    touched = [a for a in inv.accounts if a.id in changed or a.id not in spans]
    if any(a.id not in nodes for a in touched):
        return None
    new_text, new_spans = "", {}
    if touched:
        mini = CommentedMap()
        mini["accounts"] = CommentedSeq([nodes[a.id] for a in touched])
        new_text = dump_yaml(mini, sequence=key, offset=dash)
        new_spans = dumped_spans(new_text, [a.id for a in touched], dash) or {}
        if len(new_spans) != len(touched):
            return None
    spliced = splice(inv.text, spans, new_text, new_spans, order)
    if spliced is None:
        return None
    if touched:  # check: the file's header plus the lines written for them read back as exactly those accounts
        text, new_file_spans = spliced
        lines = text.splitlines(keepends=True)
        header = "".join(lines[:min(s for s, _ in new_file_spans.values())])
        body = "".join("".join(lines[slice(*new_file_spans[a.id])]) for a in touched)
        try:
            check = _parse_text((header + body).encode("utf-8"), target)
        except InventoryError:
            return None
        if check.accounts != touched:
            return None
    return spliced


def _full(inv: Inventory, target: Path, changed: set[str] | None) -> tuple[str, Spans | None]:
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
    inv.doc = check.doc  # the same content as the dump; its line numbers are those of the new text
    return text, check.spans


def _rebase(inv: Inventory, target: Path) -> None:
    """Someone saved the file since ``inv`` was read: lay this copy's changes over what is on disk now.

    Called under the lock. An account this copy changed, added or deleted (compared with what it read) replaces
    the one on disk when the other writer left that account alone; both writers' changes then land. The same
    account changed differently on both sides is a conflict: nothing is written (one line naming the accounts).
    """
    fresh = _parse_text(target.read_bytes(), target)
    base = inv.baseline
    mine = {a.id: a for a in inv.accounts}
    theirs = {a.id: a for a in fresh.accounts}
    ids = list(dict.fromkeys([*base, *mine]))
    conflicts: list[str] = []
    result = list(fresh.accounts)
    for ident in ids:
        b, m, t = base.get(ident), mine.get(ident), theirs.get(ident)
        if m == b:
            continue  # not changed here
        if t != b and t != m:
            conflicts.append(ident)
            continue
        if m is None:
            result = [a for a in result if a.id != ident]
        elif ident in theirs:
            result = [m if a.id == ident else a for a in result]
        else:
            result.append(m)
    title = fresh.title
    if inv.title != inv.baseline_title:
        if fresh.title not in (inv.baseline_title, inv.title):
            conflicts.append("title")
        title = inv.title
    if conflicts:
        raise InventoryError("the file changed on disk since it was read, and another program changed the same "
                             f"account(s) ({', '.join(conflicts)}); nothing was written — reload it and make the "
                             "change again", target)
    inv.accounts, inv.title = result, title
    inv.doc, inv.text, inv.fingerprint = fresh.doc, fresh.text, fresh.fingerprint
    inv.baseline, inv.baseline_title, inv.spans = fresh.baseline, fresh.baseline_title, fresh.spans


def render(inv: Inventory, target: Path) -> tuple[str, Spans | None]:
    """The text to write for ``inv`` (checked) and its account spans; only changed accounts' lines differ from
    the file as read. ``inv.spans`` is left alone: the caller sets it once the text is really written."""
    for a in inv.accounts:
        _normalize(a)
    ids = [a.id for a in inv.accounts]
    if len(set(ids)) != len(ids) or not all(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1 or not i})
        raise InventoryError("refusing to save: account ids must be unique and not empty "
                             f"({', '.join(map(repr, dup))})", target)
    changed = {a.id for a in inv.accounts if inv.baseline.get(a.id) != a}
    if inv.text is not None and not changed and set(inv.baseline) == {a.id for a in inv.accounts} \
            and inv.baseline_title == inv.title:
        return inv.text, inv.spans
    spliced = _spliced(inv, target, changed) if inv.baseline else None
    return spliced if spliced is not None else _full(inv, target, changed if inv.baseline else None)


def save_inventory(inv: Inventory, path: str | Path | None = None) -> Path:
    """Write the inventory atomically under an exclusive lock; returns the path written.

    When the file changed on disk since ``inv`` was read from it, this copy's changes are laid over the file as
    it is now (see :func:`_rebase`): a stale copy never overwrites someone else's change, and both land; the same
    account changed on both sides is refused (one line).
    A symlink is written through (the link stays). Only the changed accounts' lines are rewritten.
    """
    target = resolve_path(path) if path else inv.path
    if target is None:
        raise InventoryError("no file to save to (give a path)")
    with file_lock(target):
        if inv.fingerprint is None and (target.exists() or target.is_symlink()):
            raise InventoryError("already exists: a new inventory is never saved over an existing file (load it "
                                 "and change that, or choose another path)", target)
        same = inv.fingerprint is not None and _same_file(inv.path, target)
        if not same and inv.text is not None:
            inv.text, inv.spans = None, None  # read from another file: its lines mean nothing here
        if same and fingerprint(target) != inv.fingerprint:
            _rebase(inv, target)  # another writer saved meanwhile: keep its changes, add ours
        text, spans = render(inv, target)
        if same and text == inv.text:
            return target  # nothing to write
        # checked right before the rename too (a writer that takes no lock, such as an editor)
        if same and fingerprint(target) != inv.fingerprint:
            raise InventoryError("the file changed on disk while it was being saved (another program saved it); "
                                 "nothing was written — run the command again", target)
        if text != inv.text or not target.exists():
            atomic_write(target, text)
    inv.path = target
    inv.text, inv.spans, inv.fingerprint = text, spans, _fingerprint(text.encode("utf-8"))
    inv.baseline = {a.id: copy.deepcopy(a) for a in inv.accounts}
    inv.baseline_title = inv.title
    return target
