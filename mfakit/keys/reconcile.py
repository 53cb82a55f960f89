"""Reconcile the passkeys found on a key with what the inventory says is on it.

Outcomes per item: ``matched``; ``on_key_not_recorded`` (a passkey the inventory does not record);
``recorded_not_on_key`` (the inventory claims a passkey on this key that is not there); and
``second_factor_not_listable`` — security keys registered as a second factor are non-discoverable
credentials that no key can list, so they are reported as *not checkable*, never as missing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from mfakit.inventory.model import Account, Change, Inventory
from mfakit.keys.passkeys import Passkey

#: RP id → service id, given the RP id alone. Used only when the catalog cannot say.
ServiceMatcher = Callable[[str, "str | None"], "str | None"]
_GENERIC_LABELS = {"www", "login", "accounts", "account", "auth", "id", "signin", "secure", "com", "net", "org",
                   "co", "jp", "io", "live"}
DEMO_SUFFIX = ".mfakit.local"


@dataclass
class Item:
    status: str
    rp_id: str | None = None
    user_name: str | None = None
    account_id: str | None = None
    account: str | None = None
    message: str = ""
    #: the inventory change that would record this finding: {"account", "op", "factor"}
    change: dict[str, str] | None = None


@dataclass
class Reconciliation:
    key_name: str
    items: list[Item]
    notes: list[str] = field(default_factory=list)

    def by_status(self, status: str) -> list[Item]:
        return [i for i in self.items if i.status == status]

    def changes(self, include_removals: bool = False) -> list[dict[str, str]]:
        ops = ("add", "remove") if include_removals else ("add",)
        return [i.change for i in self.items if i.change and i.change["op"] in ops]

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for i in self.items:
            counts[i.status] = counts.get(i.status, 0) + 1
        return {"key_name": self.key_name, "counts": counts, "items": [asdict(i) for i in self.items],
                "notes": self.notes}


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", text.casefold()) if t}


def heuristic_service(rp_id: str, accounts: Iterable[Account]) -> list[Account]:
    """Accounts whose service id's words all appear among the RP id's labels (amazon-jp ~ amazon.co.jp)."""
    labels = _tokens(rp_id)
    hits = []
    for a in accounts:
        words = _tokens(a.service) - {"com"}
        if words and words <= labels and (words - _GENERIC_LABELS or words == labels - {"com"}):
            hits.append((len(words), a))
    best = max((n for n, _ in hits), default=0)
    return [a for n, a in hits if n == best]


def catalog_matcher() -> ServiceMatcher | None:
    """``load_catalog().match(name, domain=rp_id)`` when the catalog is available, else None."""
    try:
        from mfakit.catalog import load_catalog

        catalog = load_catalog()
    except Exception:  # catalog not installed/readable: fall back on the heuristic
        return None

    def match(rp_id: str, rp_name: str | None) -> str | None:
        m = catalog.match(rp_name, domain=rp_id)
        return m.service.id if m.service is not None else None

    return match


def _accounts_for(pk: Passkey, inv: Inventory, matcher: ServiceMatcher | None) -> list[Account]:
    sid = matcher(pk.rp_id, pk.rp_name) if matcher else None
    found = [a for a in inv.accounts if sid and sid.casefold() in (a.service.casefold(), a.id.casefold())]
    if not found:
        found = heuristic_service(pk.rp_id, inv.accounts)
    if len(found) > 1 and pk.user_name:
        same_user = [a for a in found if a.account.casefold() == pk.user_name.casefold()]
        found = same_user or found
    return found


def _on_key(factor_where: str | None, key_name: str) -> bool:
    return (factor_where or "").casefold() == key_name.casefold()


def infer_key_name(inv: Inventory) -> str | None:
    """The key's inventory name when the inventory names exactly one key (e.g. "Titan 1")."""
    names = {f.where for a in inv.accounts for f in a.factors if f.type in ("passkey", "security_key") and f.where}
    return names.pop() if len(names) == 1 else None


def reconcile(passkeys: list[Passkey], inv: Inventory, key_name: str,
              matcher: ServiceMatcher | None = None) -> Reconciliation:
    """Compare ``passkeys`` (from the key) with the inventory's ``passkey:<key_name>`` factors."""
    items: list[Item] = []
    seen: set[str] = set()
    factor = f"passkey:{key_name}"
    for pk in passkeys:
        if pk.rp_id.endswith(DEMO_SUFFIX):
            items.append(Item("demo", pk.rp_id, pk.user_name, message="made by 'mfakit key demo'; ignored"))
            continue
        accounts = _accounts_for(pk, inv, matcher)
        if len(accounts) != 1:
            why = ("no inventory account matches this site: add the account to the inventory first"
                   if not accounts else f"several accounts could match ({', '.join(a.id for a in accounts)})")
            items.append(Item("on_key_not_recorded", pk.rp_id, pk.user_name, message=why))
            continue
        acc = accounts[0]
        seen.add(acc.id)
        if any(f.type == "passkey" and _on_key(f.where, key_name) for f in acc.factors):
            items.append(Item("matched", pk.rp_id, pk.user_name, acc.id, acc.display, "recorded and on the key"))
        else:
            items.append(Item("on_key_not_recorded", pk.rp_id, pk.user_name, acc.id, acc.display,
                              f"a passkey for {acc.display} is on the key; the inventory does not record it",
                              {"account": acc.id, "op": "add", "factor": factor}))
    for acc in inv.accounts:
        if acc.id not in seen and any(f.type == "passkey" and _on_key(f.where, key_name) for f in acc.factors):
            items.append(Item("recorded_not_on_key", None, acc.account or None, acc.id, acc.display,
                              f"the inventory says {acc.display} has a passkey on {key_name}, but the key has "
                              "none for it (deleted? made on another key? a synced passkey?)",
                              {"account": acc.id, "op": "remove", "factor": factor}))
        if any(f.type == "security_key" and _on_key(f.where, key_name) for f in acc.factors):
            items.append(Item("second_factor_not_listable", None, acc.account or None, acc.id, acc.display,
                              "second factor (non-discoverable): no key can list it; not missing, "
                              "just not checkable"))
    notes = ["Second-factor registrations (AWS, GitHub 2FA, Google 2-Step...) are usually non-discoverable: "
             "they cannot be listed from the key and are not reported as missing."]
    return Reconciliation(key_name, items, notes)


def record_findings(rec: Reconciliation, inv: Inventory, path: Path | None = None,
                    include_removals: bool = False, changes: list[dict[str, str]] | None = None) -> list[Change]:
    """Record the proposed changes through ``record_change`` and save once, atomically."""
    from mfakit.inventory.changes import record_change
    from mfakit.inventory.storage import save_inventory

    todo = rec.changes(include_removals) if changes is None else changes
    made: list[Change] = []
    for ch in todo:
        kw = {"add": [ch["factor"]]} if ch["op"] == "add" else {"remove": [ch["factor"]]}
        made += record_change(inv, ch["account"], save=False, path=path, **kw)
    if made:
        save_inventory(inv, path)
    return made
