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


# ---------------------------------------------------------------------------------------------------------------
# Per device: "what if I lose my phone / Titan 1?"

#: Factor type → the kind of device that holds it (recovery codes and e-mail are not devices you can lose).
DEVICE_KIND: dict[str, str] = {
    "totp": "phone app", "push": "phone app", "sms": "phone number",
    "security_key": "key", "passkey": "key",
}


@dataclass(frozen=True)
class DeviceLoss:
    """What losing one device costs: accounts gone for good, and accounts that then need recovery codes."""

    device: str
    kind: str  # phone app | phone number | key
    accounts: tuple[str, ...]  # labels of every account that uses the device
    locked_out: tuple[str, ...]
    needs_recovery: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"device": self.device, "kind": self.kind, "accounts": list(self.accounts),
                "locked_out": list(self.locked_out), "needs_recovery": list(self.needs_recovery)}


def _device_name(ftype: str, where: str | None) -> str:
    return where.strip() if where and where.strip() else f"(unnamed {DEVICE_KIND[ftype]})"


def devices(accounts: list[Account]) -> list[tuple[str, str]]:
    """Every (device, kind) the inventory names, in first-seen order; the same name in any case is one device."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for a in accounts:
        for f in a.factors:
            if f.type in DEVICE_KIND:
                name, kind = _device_name(f.type, f.where), DEVICE_KIND[f.type]
                seen.setdefault((name.casefold(), kind), (name, kind))
    return list(seen.values())


def _on(f_type: str, f_where: str | None, device: str, kind: str) -> bool:
    return DEVICE_KIND.get(f_type) == kind and _device_name(f_type, f_where).casefold() == device.casefold()


def lose_device(accounts: list[Account], device: str, kind: str) -> DeviceLoss:
    """Which accounts losing ``device`` locks you out of, and which you could only get back with recovery codes.

    An account is affected when one of its factors lives on the device. With no other second factor left
    (another phone app, key, phone number or e-mail), it needs its recovery codes if it has any recorded, and is
    locked out otherwise (left to the service's own account recovery).
    """
    using, locked, recovery = [], [], []
    for a in accounts:
        if not any(_on(f.type, f.where, device, kind) for f in a.factors):
            continue
        using.append(a.display)
        left = [f for f in a.factors if f.type != "recovery_codes" and not _on(f.type, f.where, device, kind)]
        if left:
            continue
        (recovery if a.has("recovery_codes") else locked).append(a.display)
    return DeviceLoss(device, kind, tuple(using), tuple(locked), tuple(recovery))


def device_losses(accounts: list[Account]) -> list[DeviceLoss]:
    """:func:`lose_device` for every device of the inventory: keys first, then phone apps, then phone numbers."""
    order = {"key": 0, "phone app": 1, "phone number": 2}
    found = [lose_device(accounts, name, kind) for name, kind in devices(accounts)]
    return sorted(found, key=lambda d: (order[d.kind], -len(d.locked_out) - len(d.needs_recovery), d.device.casefold()))


def second_key_line(losses: list[DeviceLoss]) -> str:
    """One line: what a second key would protect (the accounts that one key alone guards)."""
    alone = sorted({label for d in losses if d.kind == "key" for label in (*d.locked_out, *d.needs_recovery)},
                   key=str.casefold)
    keys = [d.device for d in losses if d.kind == "key"]
    if not keys:
        return "No security key in the inventory yet: register one where the plan says 'ready'."
    if not alone:
        return "Every account on a key has another way in: a second key would add no protection today."
    return (f"A second key registered beside {', '.join(keys)} would protect {len(alone)} account(s) that one key "
            f"alone guards: {', '.join(alone)}.")
