"""Merge imported records into the inventory: what would be added, updated or skipped, then apply it.

Matching an existing account: same service (catalog id) or the same normalised issuer (as service or
label), and the same account name. One that already has a TOTP factor is skipped; one without gets the
factor through :func:`mfakit.inventory.changes.apply_change`, so its history records the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from mfakit.importers.record import OtpRecord, norm
from mfakit.inventory.changes import apply_change
from mfakit.inventory.model import Account, Factor, Inventory, slugify, unique_id

DEFAULT_GROUP = "Imported"
Action = Literal["add", "update", "skip"]


@dataclass
class PlanItem:
    """What happens to one imported record."""

    record: OtpRecord
    action: Action
    account: Account
    service: str | None  # matched catalog service id, or None
    reason: str = ""
    how: str = "none"  # how the catalog matched (id, domain, name, alias, none, ambiguous)

    def to_dict(self) -> dict[str, Any]:
        d = self.record.to_dict()
        d.update(service=self.service, action=self.action, account_id=self.account.id, reason=self.reason,
                 match=self.how, app=self.account.factors[-1].where if self.action == "add" else None)
        if d["app"] is None:
            d.pop("app")
        return d


@dataclass
class MergePlan:
    items: list[PlanItem] = field(default_factory=list)

    def _with(self, action: Action) -> list[PlanItem]:
        return [i for i in self.items if i.action == action]

    @property
    def added(self) -> list[PlanItem]:
        return self._with("add")

    @property
    def updated(self) -> list[PlanItem]:
        return self._with("update")

    @property
    def skipped(self) -> list[PlanItem]:
        return self._with("skip")

    @property
    def unmatched(self) -> list[PlanItem]:
        """Records no catalog service was found for (they are still imported, under their issuer)."""
        return [i for i in self.items if i.service is None]

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated), "skipped": len(self.skipped),
                "unmatched": len(self.unmatched)}

    def to_list(self) -> list[dict[str, Any]]:
        return [i.to_dict() for i in self.items]


def _load_catalog() -> Any:
    try:
        from mfakit.catalog import load_catalog  # type: ignore[attr-defined]
    except ImportError:  # the catalog package is not there yet
        return None
    return load_catalog()


def _match(catalog: Any, record: OtpRecord) -> tuple[str | None, str]:
    if catalog is None:
        return None, "none"
    name = record.issuer or record.account
    if not name:
        return None, "none"
    m = catalog.match(name, domain=None, account=record.account or None)
    return (m.service.id if m.service is not None else None), m.how


def _same_service(a: Account, service_id: str | None, issuer: str) -> bool:
    if service_id and a.service == service_id:
        return True
    return bool(issuer) and norm(issuer) in (norm(a.service), norm(a.label))


def _short(account: str) -> str:
    local = account.split("@", 1)[0] if "@" in account else account
    return local if len(local) <= 20 else local[:19] + "…"


def plan_merge(inventory: Inventory, records: list[OtpRecord], catalog: Any = "auto",
               app: str | None = None) -> MergePlan:
    """Decide, for every record, add / update / skip. Nothing is changed until :func:`apply_merge`.

    ``catalog="auto"`` loads the kit's catalog (when installed); pass None to skip matching, or a catalog.
    ``app`` overrides the app name written as the factor's ``where`` (default: from the export format).
    """
    if catalog == "auto":
        catalog = _load_catalog()
    plan = MergePlan()
    taken = {a.id for a in inventory.accounts}
    new_accounts: list[Account] = []
    for rec in records:
        service_id, how = _match(catalog, rec)
        where = app or rec.app
        note = rec.type if rec.type != "totp" else None
        candidates = [a for a in [*inventory.accounts, *new_accounts]
                      if _same_service(a, service_id, rec.issuer or rec.account)]
        same = [a for a in candidates if norm(a.account) == norm(rec.account)]
        if not same and rec.account:
            blank = [a for a in candidates if not a.account]
            same = blank if len(blank) == 1 and len(candidates) == 1 else []
        if same:
            target = same[0]
            if any(target is n for n in new_accounts):
                plan.items.append(PlanItem(rec, "skip", target, service_id, "same account earlier in this import", how))
            elif target.has("totp"):
                plan.items.append(PlanItem(rec, "skip", target, service_id, "already has a TOTP factor", how))
            else:
                plan.items.append(PlanItem(rec, "update", target, service_id, f"add totp:{where}", how))
            continue
        service = service_id or rec.issuer or rec.account or "unknown"
        ident = unique_id(slugify(service), taken)
        taken.add(ident)
        acct = Account(id=ident, service=service, account=rec.account, label=rec.issuer or rec.account or service,
                       group=rec.groups[0] if rec.groups else DEFAULT_GROUP,
                       factors=[Factor(type="totp", where=where, note=note)],
                       notes=f"Imported from {where}.")
        new_accounts.append(acct)
        plan.items.append(PlanItem(rec, "add", acct, service_id, "new account", how))
    # labels: the issuer alone, or issuer + short account name when one service has several accounts
    everyone = [*inventory.accounts, *new_accounts]
    for acct in new_accounts:
        siblings = [a for a in everyone if a.service == acct.service]
        if len(siblings) > 1 and acct.account:
            acct.label = f"{acct.label} ({_short(acct.account)})"
    return plan


def apply_merge(inventory: Inventory, plan: MergePlan, when: date | None = None) -> dict[str, int]:
    """Apply a plan to the inventory in memory (the caller saves it with ``save_inventory``); returns counts."""
    when = when or date.today()
    for item in plan.items:
        if item.action == "add":
            if all(a is not item.account for a in inventory.accounts):
                inventory.accounts.append(item.account)
        elif item.action == "update":
            where = item.reason.split(":", 1)[1] if ":" in item.reason else item.record.app
            note = item.record.type if item.record.type != "totp" else None
            apply_change(item.account, add=[Factor(type="totp", where=where, note=note)], when=when)
    return plan.counts()
