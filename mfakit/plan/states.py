"""Migration states and next steps: for each account, where it stands and what to do next, with the source."""

from __future__ import annotations

import re

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from mfakit.catalog.model import Match, Service
from mfakit.inventory.model import KEY_FACTORS, Account, Inventory
from mfakit.plan.lockout import LockoutRisk, assess

if TYPE_CHECKING:
    from mfakit.catalog import Catalog

#: The five states, in the order a plan lists them (most actionable first).
STATES: tuple[str, ...] = ("ready", "hybrid", "blocked", "unknown", "done")
STATE_MEANING: dict[str, str] = {  # the one definition: exports and views print these
    "done": "on a key or passkey, no TOTP or SMS left",
    "ready": "the service lets a key replace TOTP: not done yet",
    "hybrid": "a key is possible or registered, but TOTP must stay",
    "blocked": "the service takes no security key or passkey",
    "unknown": "the catalog cannot tell",
}


@dataclass
class PlanRow:
    """One account's place in the migration. Plain data: exports and views are built from these."""

    account_id: str
    label: str
    group: str
    service: str
    service_id: str | None
    account: str
    factors: str
    state: str
    next_step: str
    reason: str
    source: str
    lockout: LockoutRisk = field(repr=False, default_factory=lambda: LockoutRisk("none", ()))
    off_app: bool = False

    @property
    def lockout_risk(self) -> str:
        return self.lockout.level

    def as_record(self) -> dict[str, Any]:
        """The export/JSON shape (column order is :data:`mfakit.export.COLUMNS`)."""
        d = asdict(self)
        d.pop("lockout")
        d["lockout_risk"] = self.lockout.level
        d["lockout_reasons"] = "; ".join(self.lockout.rules)
        return d


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _fmt_factors(account: Account) -> str:
    return ", ".join(f.spec() for f in account.factors) or "none"


def _source(service: Service, *facts: str) -> str:
    seen: list[str] = []
    for name in facts:
        fact = service.key_only if name == "key_only" else service.supports.get(name)
        if fact is not None:
            text = f"{fact.source} ({fact.origin}, {fact.as_of})"
            if text not in seen:
                seen.append(text)
    return "; ".join(seen)


def _key_kind(service: Service) -> str:
    if service.supports_value("passkey_login") or service.supports_value("passkey_2fa"):
        if service.supports_value("security_key"):
            return "your key (as a passkey or security key)"
        return "a passkey on your key"
    return "your key as a security key"


#: Where else an answer can be recorded (the notebook widget), appended to every "record it" step.
_WIDGET = " (or \"What I found\" in notebook 02)"


def _record_new(service_name: str) -> str:
    """The commands that add a service no catalog knows and record whether it takes keys."""
    import shlex

    from mfakit.catalog.normalize import slug

    sid = slug(service_name)
    if not sid or len(service_name) > 40:  # a long name would crowd every table: name placeholders instead
        quoted, sid = "NAME", "ID"
    else:
        quoted = shlex.quote(service_name)
    return (f"mfakit catalog add {quoted}, then "
            f"mfakit catalog set {sid} key_support=ANSWER (security_key, passkey, both or none)")


def _backups(service: Service) -> str:
    fact = service.backups_required
    if fact is None or not fact.value:
        return ""
    value = fact.value if isinstance(fact.value, str) else ", ".join(map(str, fact.value))
    return value


def decide(account: Account, match: Match, risk: LockoutRisk | None = None) -> tuple[str, str, str, str]:
    """(state, next_step, reason, source) for one account (``risk`` is assessed here when not given)."""
    types = account.factor_types()
    on_key = bool(types & KEY_FACTORS)
    phone_left = sorted(types & {"totp", "sms"})
    service = match.service
    if on_key and not phone_left:
        src = _source(service, "key_only") if service else ""
        risk = risk or assess(account)
        step = "Done."  # a second key is one line of the per-device lockout view, not a step on every row
        return "done", step, "on a key or passkey; no TOTP or SMS left", src or "inventory"
    if service is None:
        if match.how == "ambiguous":
            why = f"'{account.service}' matches several catalog services ({', '.join(match.candidates)})"
            step = (f"Say which one it is: set 'service: {match.candidates[0]}' (or "
                    f"{' or '.join(match.candidates[1:])}) for account '{account.id}' in the inventory.")
        elif _EMAIL.fullmatch(account.service or ""):
            # An e-mail address never selects a service (a code with no issuer carries only the account).
            why = f"the code names an account ({account.service}), not a service"
            step = (f"Set 'service:' for account '{account.id}' in the inventory to the site this code signs "
                    "in to (its catalog id or name).")
        else:
            why = f"'{account.service}' is not in the catalog"
            if match.how == "tenant":
                why += " (a sign-in tenant of a shared provider is not the provider)"
            elif match.candidates:
                why += f" (closest: {', '.join(match.candidates)})"
            step = ("Check its security settings for keys/passkeys, then record it: "
                    f"{_record_new(account.service)}{_WIDGET}.")
        return "unknown", step, why, "catalog"
    name = service.name
    support = service.key_support
    if support is False:
        return ("blocked", f"Keep TOTP for {name}; keep its recovery codes safe.",
                f"{name} supports no security key or passkey",
                _source(service, "security_key", "passkey_2fa", "passkey_login"))
    if support is None:
        return ("unknown", f"Check whether {name} takes security keys or passkeys, then record it: "
                f"mfakit catalog set {service.id} key_support=ANSWER (security_key, passkey, both or none)"
                f"{_WIDGET}.",
                f"no catalog knows whether {name} supports security keys or passkeys", "catalog")
    key_only = service.key_only_value
    src = _source(service, "key_only", "security_key", "passkey_2fa", "passkey_login")
    if key_only == "yes":
        if on_key:
            step = f"Remove {' and '.join(phone_left)} from {name}: the key is enough."
        else:
            step = f"Register {_key_kind(service)} at {name}, then remove {' and '.join(phone_left) or 'TOTP'}."
        return "ready", step, f"{name} lets a key replace TOTP", src
    backups = _backups(service)
    need = f" ({name} requires: {backups})" if backups else ""
    if key_only == "no":
        if on_key:
            step = f"Keep TOTP for {name}{need}; nothing more to move."
        else:
            step = f"Register {_key_kind(service)} at {name} beside TOTP{need}."
        if not backups and (service.key_only is None or service.key_only.origin != "personal"):
            step += f" Found that TOTP can go? Record it: mfakit catalog set {service.id} key_only=yes{_WIDGET}."
        return "hybrid", step, f"{name} takes a key but TOTP must stay", src
    step = (f"Register {_key_kind(service)} at {name}, then check whether it lets you turn TOTP off"
            if not on_key else f"Check whether {name} lets you turn TOTP off now that the key is registered")
    return "unknown", step + f"; record it: mfakit catalog set {service.id} key_only=yes (or no){_WIDGET}.", \
        f"{name} takes keys, but whether TOTP can be removed is unknown", src


def plan_account(account: Account, match: Match) -> PlanRow:
    risk = assess(account)
    state, step, reason, source = decide(account, match, risk)
    service = match.service
    return PlanRow(
        account_id=account.id, label=account.display, group=account.group,
        service=service.name if service else account.service, service_id=service.id if service else None,
        account=account.account, factors=_fmt_factors(account), state=state, next_step=step, reason=reason,
        source=source, lockout=risk, off_app="totp" not in account.factor_types(),
    )


def build_plan(inventory: Inventory, catalog: "Catalog | None" = None) -> list[PlanRow]:
    """Plan every account of the inventory (in inventory order)."""
    if catalog is None:
        from mfakit.catalog import load_catalog
        catalog = load_catalog()
    return [plan_account(a, catalog.match(a.service, account=a.account)) for a in inventory.accounts]


def sort_for_plan(rows: list[PlanRow]) -> list[PlanRow]:
    """Rows ordered by what to do first: actionable states, then higher lockout risk, then label."""
    from mfakit.plan.lockout import LEVELS
    return sorted(rows, key=lambda r: (STATES.index(r.state), -LEVELS.index(r.lockout.level), r.label.casefold()))
