"""Lockout risk: which accounts a single lost device (phone or key) would lock the person out of."""

from __future__ import annotations

from dataclasses import dataclass

from mfakit.inventory.model import KEY_FACTORS, Account

#: Rule id → (what it means, why it matters). Kept beside the code like an audit check's metadata.
RULES: dict[str, str] = {
    "totp_one_phone": "TOTP lives only in one phone app and nothing else stands in: losing the phone locks you out",
    "single_key": "a single security key and no second key or other factor: losing the key locks you out",
    "no_recovery_codes": "no recovery codes recorded: a lost factor means the service's account recovery",
    "sms_only_fallback": "SMS is the only fallback: a lost phone number or a SIM swap decides access",
}
LEVELS = ("none", "low", "medium", "high")


@dataclass(frozen=True)
class LockoutRisk:
    level: str  # none | low | medium | high
    rules: tuple[str, ...]

    @property
    def reasons(self) -> list[str]:
        return [RULES[r] for r in self.rules]

    def summary(self) -> str:
        return self.level if not self.rules else f"{self.level}: {', '.join(self.rules)}"


def _devices(account: Account, types: set[str] | frozenset[str]) -> set[str]:
    """Distinct places (phones, keys) holding factors of the given types; an unnamed place counts once."""
    return {(f.where or f"(unnamed {f.type})").casefold() for f in account.factors if f.type in types}


def assess(account: Account) -> LockoutRisk:
    """Apply every lockout rule to one account."""
    types = account.factor_types()
    recovery = "recovery_codes" in types
    keys = _devices(account, KEY_FACTORS)
    phones = _devices(account, {"totp", "push"})
    rules: list[str] = []
    others_than_totp = types & (KEY_FACTORS | {"sms", "email"})
    if phones and len(phones) == 1 and not others_than_totp:
        rules.append("totp_one_phone")
    if keys and len(keys) == 1 and not (types & {"totp", "push", "sms", "email"}):
        rules.append("single_key")
    if "sms" in types and not recovery and len(keys | phones) <= 1:
        rules.append("sms_only_fallback")
    if not recovery and types:
        rules.append("no_recovery_codes")
    if {"totp_one_phone", "single_key"} & set(rules):
        level = "medium" if recovery else "high"
    elif "sms_only_fallback" in rules:
        level = "medium"
    elif rules:
        level = "low"
    else:
        level = "none"
    return LockoutRisk(level=level, rules=tuple(rules))
