"""Guard rails for recording a change: never silently record the removal of a factor the service requires.

A removal is refused (unless forced) when, after the change, the account would no longer meet:

- the service's ``backups_required`` (e.g. GitHub: "totp or sms"), when it met it before;
- ``key_only: no`` — TOTP/SMS cannot go once a key is registered — when the last TOTP/SMS would go;
- having any second factor at all (recovery codes alone are not one).

Each reason is one line citing the catalog fact and its source. The CLI (``record --force``) and the notebook
widget ("record anyway") share these rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from mfakit.catalog.model import Fact, Service
from mfakit.inventory.model import Account, Factor

Check = Callable[[list[Factor]], bool]
_PHONE = {"totp", "sms"}
_OTHER_METHOD = {"totp", "sms", "email", "push"}
#: Words of a ``backups_required`` entry → the factor type they mean.
_WORDS: list[tuple[str, str]] = [
    (r"\b(totp|authenticator( app)?|auth app|otp app|app)\b", "totp"),
    (r"\b(sms|text message|phone( number)?)\b", "sms"),
    (r"\be-?mail\b", "email"),
    (r"\bpush\b", "push"),
    (r"\b(recovery|backup) codes?\b", "recovery_codes"),
    (r"\bpasskeys?\b", "passkey"),
    (r"\b(security|hardware|fido2?|u2f) keys?\b", "security_key"),
]


def _count(factors: list[Factor], ftype: str) -> int:
    return len({(f.where or "").casefold() for f in factors if f.type == ftype})


def _alternative(text: str) -> Check | None:
    """One alternative of a requirement ("sms", "second security key", "another 2FA method") as a check."""
    t = text.strip().casefold()
    if re.search(r"\b(second|another|two|2|backup)\b.*\b(security|hardware|fido2?|u2f) keys?\b", t):
        return lambda fs: _count(fs, "security_key") >= 2
    if re.search(r"\b(another|other|second)\b.*\b(2fa|two-factor|mfa|method)\b", t):
        return lambda fs: any(f.type in _OTHER_METHOD for f in fs)
    for pattern, ftype in _WORDS:
        if re.search(pattern, t):
            return lambda fs, ftype=ftype: any(f.type == ftype for f in fs)
    return None


def requirement_check(requirement: str) -> Check | None:
    """``"totp or sms"`` → a check that the factors hold a TOTP or an SMS; None when the text is not understood
    (an entry the kit cannot read never blocks a change)."""
    parts = [p for p in re.split(r"\s+or\s+|/|,|\|", requirement) if p.strip()]
    checks = [_alternative(p) for p in parts]
    if not checks or any(c is None for c in checks):
        return None
    return lambda fs: any(c(fs) for c in checks if c is not None)


def _cite(fact: Fact, name: str) -> str:
    parts = [f"{name}; source: {fact.source}" if fact.source else name]
    if fact.origin:
        parts.append(fact.origin)
    if fact.as_of:
        parts.append(f"as of {fact.as_of}")
    return ", ".join(parts)


def _requirements(fact: Fact | None) -> list[str]:
    if fact is None or not fact.value:
        return []
    value = fact.value
    return [value] if isinstance(value, str) else [str(v) for v in value if v]


def _matches(f: Factor, spec: Factor) -> bool:
    return f.type == spec.type and (spec.where is None or (f.where or "").casefold() == spec.where.casefold())


def after_change(account: Account, remove: Iterable[Factor], add: Iterable[Factor] = ()) -> list[Factor]:
    """The account's factors once ``remove`` and ``add`` are applied (nothing is changed)."""
    removes = list(remove)
    left = [f for f in account.factors if not any(_matches(f, r) for r in removes)]
    for a in add:
        if not any(f.type == a.type and (f.where or None) == a.where for f in left):
            left.append(a)
    return left


def refusals(account: Account, remove: list[Factor], service: Service | None,
             add: Iterable[Factor] = ()) -> list[str]:
    """Why removing ``remove`` from ``account`` (adding ``add`` in the same change) should not be recorded.

    Empty means allowed. Each reason is one line naming the fact and its source; ``service`` is the catalog's
    service for the account (None when unknown: only the last-second-factor rule applies).
    """
    if not remove:
        return []
    before = list(account.factors)
    after = after_change(account, remove, add)
    gone = ", ".join(sorted({f.spec() for f in before if f not in after})) or ", ".join(r.spec() for r in remove)
    reasons: list[str] = []
    if service is not None:
        fact = service.backups_required
        for req in _requirements(fact):
            check = requirement_check(req)
            if check is not None and check(before) and not check(after) and fact is not None:
                reasons.append(f"removing {gone} from '{account.id}': {service.name} requires {req} "
                               f"({_cite(fact, 'backups_required')})")
        key_only = service.key_only
        had_phone = any(f.type in _PHONE for f in before)
        keeps_phone = any(f.type in _PHONE for f in after)
        if key_only is not None and key_only.value == "no" and had_phone and not keeps_phone and not reasons:
            reasons.append(f"removing {gone} from '{account.id}': {service.name} does not let TOTP/SMS go once a "
                           f"key is registered ({_cite(key_only, 'key_only: no')})")
    second = [f for f in before if f.type != "recovery_codes"]
    second_after = [f for f in after if f.type != "recovery_codes"]
    if second and not second_after:
        reasons.append(f"removing {gone} would leave '{account.id}' with no second factor at all "
                       "(source: your inventory)")
    return reasons

