"""Recording a change to an account (added or removed factor) with its date: one function for CLI and widget."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path

from mfakit.catalog.model import Service
from mfakit.config import resolve_path
from mfakit.errors import InventoryError, RecordRefused
from mfakit.fileio import file_lock, fingerprint
from mfakit.inventory.guard import refusals
from mfakit.inventory.model import FACTOR_TYPES, Account, Change, Factor, Inventory
from mfakit.inventory.storage import load_inventory, save_inventory


def parse_factor_spec(spec: str) -> Factor:
    """``security_key:Titan 1`` → Factor(type='security_key', where='Titan 1'); ``totp`` → Factor('totp')."""
    ftype, _, where = spec.partition(":")
    ftype = ftype.strip().lower().replace("-", "_")
    if ftype not in FACTOR_TYPES:
        from mfakit.suggest import did_you_mean

        raise ValueError(f"'{ftype}' is not a factor type{did_you_mean(ftype, FACTOR_TYPES)} "
                         f"(use one of {', '.join(FACTOR_TYPES)})")
    return Factor(type=ftype, where=where.strip().strip('"').strip() or None)


def _matches(f: Factor, spec: Factor) -> bool:
    return f.type == spec.type and (spec.where is None or (f.where or "").casefold() == spec.where.casefold())


def apply_change(account: Account, add: list[Factor] = (), remove: list[Factor] = (),  # type: ignore[assignment]
                 when: date | None = None) -> list[Change]:
    """Add and remove factors on ``account`` in memory, appending dated history; returns the changes made.

    Removing a factor that is not there is an error (a typo should not pass silently); adding one that is
    already there changes nothing.
    """
    when = when or date.today()
    made: list[Change] = []
    for spec in remove:
        hits = [f for f in account.factors if _matches(f, spec)]
        if not hits:
            have = ", ".join(f.spec() for f in account.factors) or "none"
            raise ValueError(f"account '{account.id}' has no factor {spec.spec()} (it has: {have})")
        for f in hits:
            account.factors.remove(f)
            made.append(Change(date=when, op="remove", type=f.type, where=f.where))
    for spec in add:
        if any(f.type == spec.type and (f.where or None) == spec.where for f in account.factors):
            continue
        account.factors.append(Factor(type=spec.type, where=spec.where, added=when, note=spec.note))
        made.append(Change(date=when, op="add", type=spec.type, where=spec.where))
    account.history.extend(made)
    return made


def service_for(account: Account, catalog: object | None = None) -> Service | None:
    """The catalog service of an account, matched exactly as the plan matches it (None when not certain)."""
    if catalog is None:
        from mfakit.catalog import load_catalog

        catalog = load_catalog()
    return catalog.match(account.service, account=account.account).service  # type: ignore[attr-defined]


def _parse_specs(inv: Inventory, ref: str, add: list[str | Factor], remove: list[str | Factor],
                 where: Path | None) -> tuple[Account, list[Factor], list[Factor]]:
    try:
        account = inv.find(ref)
    except KeyError as exc:
        raise InventoryError(_no_account(inv, ref, str(exc.args[0] if exc.args else exc)), where) from None
    try:
        adds = [a if isinstance(a, Factor) else parse_factor_spec(a) for a in add]
        removes = [r if isinstance(r, Factor) else parse_factor_spec(r) for r in remove]
    except ValueError as exc:
        raise InventoryError(str(exc), where) from None
    if not adds and not removes:
        raise InventoryError("nothing to record: give --add and/or --remove", where)
    return account, adds, removes


def _no_account(inv: Inventory, ref: str, message: str) -> str:
    """``no account 'githb' (did you mean 'github'?)``: the closest id, label or service; else a few ids."""
    from mfakit.suggest import did_you_mean

    if not message.startswith("no account"):
        return message  # ambiguous: the message already names the ids to choose from
    names: dict[str, str] = {}  # ids first, then labels and services: one spelling per name, the id's
    for attr in ("id", "label", "service"):
        for a in inv.accounts:
            value = getattr(a, attr) or ""
            names.setdefault(value.casefold(), value)
    hint = did_you_mean(ref.strip(), [n for n in names.values() if n])
    if hint:
        return f"no account '{ref}'{hint}"
    ids = [a.id for a in inv.accounts]
    shown = ", ".join(ids[:12]) + (f", … ({len(ids) - 12} more)" if len(ids) > 12 else "")
    return f"no account '{ref}' (ids: {shown or 'none, the inventory is empty'})"


def _refresh(inv: Inventory, target: Path) -> None:
    """Bring ``inv`` up to the file on disk when someone else saved it since it was read (called under lock)."""
    if inv.fingerprint is None or fingerprint(target) == inv.fingerprint:
        return
    fresh = load_inventory(target)
    inv.accounts, inv.title, inv.doc = fresh.accounts, fresh.title, fresh.doc
    inv.text, inv.fingerprint, inv.baseline, inv.spans = fresh.text, fresh.fingerprint, fresh.baseline, fresh.spans
    inv.path = fresh.path


def record_change(inv: Inventory, ref: str, add: list[str | Factor] = (), remove: list[str | Factor] = (),  # type: ignore[assignment]
                  when: date | None = None, save: bool = True, path: Path | None = None,
                  force: bool = False, catalog: object | None = None) -> list[Change]:
    """Record added/removed factors on one account and save; specs are ``type[:where]``.

    A removal the service forbids (see :mod:`mfakit.inventory.guard`) raises :class:`RecordRefused` with one
    line citing the fact and its source, unless ``force``. With ``save``, the whole read-modify-write holds the
    file's lock: when the file changed on disk since ``inv`` was read, ``inv`` is reloaded first and the change
    applied to what is there now, so a concurrent writer's change is never lost.
    """
    where = path or inv.path
    target = resolve_path(where) if (save and where is not None) else None
    lock = file_lock(target) if target is not None else nullcontext()
    with lock:
        if target is not None and inv.path is not None and target == resolve_path(inv.path):
            _refresh(inv, target)
        account, adds, removes = _parse_specs(inv, ref, list(add), list(remove), where)
        if removes and not force:
            for spec in removes:  # a removal of a factor that is not there is reported as such first
                if not any(_matches(f, spec) for f in account.factors):
                    have = ", ".join(f.spec() for f in account.factors) or "none"
                    raise InventoryError(f"account '{account.id}' has no factor {spec.spec()} (it has: {have})",
                                         where)
            reasons = refusals(account, removes, service_for(account, catalog), add=adds)
            if reasons:
                more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
                raise RecordRefused(f"refused: {reasons[0]}{more}; nothing was recorded (add --force to record "
                                    "it anyway)", where, reasons=reasons)
        try:
            made = apply_change(account, adds, removes, when)
        except ValueError as exc:
            raise InventoryError(str(exc), where) from None
        if save and made:
            if target is None:
                raise InventoryError("no file to save to (give a path)")
            save_inventory(inv, target)
    return made
