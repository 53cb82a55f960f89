"""Recording a change to an account (added or removed factor) with its date: one function for CLI and widget."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mfakit.errors import InventoryError
from mfakit.inventory.model import FACTOR_TYPES, Account, Change, Factor, Inventory
from mfakit.inventory.storage import save_inventory


def parse_factor_spec(spec: str) -> Factor:
    """``security_key:Titan 1`` → Factor(type='security_key', where='Titan 1'); ``totp`` → Factor('totp')."""
    ftype, _, where = spec.partition(":")
    ftype = ftype.strip().lower().replace("-", "_")
    if ftype not in FACTOR_TYPES:
        raise ValueError(f"'{ftype}' is not a factor type (use one of {', '.join(FACTOR_TYPES)})")
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


def record_change(inv: Inventory, ref: str, add: list[str | Factor] = (), remove: list[str | Factor] = (),  # type: ignore[assignment]
                  when: date | None = None, save: bool = True, path: Path | None = None) -> list[Change]:
    """Record added/removed factors on one account and save atomically. Specs are ``type[:where]``."""
    try:
        account = inv.find(ref)
        adds = [a if isinstance(a, Factor) else parse_factor_spec(a) for a in add]
        removes = [r if isinstance(r, Factor) else parse_factor_spec(r) for r in remove]
    except (KeyError, ValueError) as exc:
        raise InventoryError(str(exc).strip("'\""), path or inv.path) from None
    if not adds and not removes:
        raise InventoryError("nothing to record: give --add and/or --remove", path or inv.path)
    try:
        made = apply_change(account, adds, removes, when)
    except ValueError as exc:
        raise InventoryError(str(exc), path or inv.path) from None
    if save and made:
        save_inventory(inv, path)
    return made
