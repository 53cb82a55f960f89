"""What the embedded layer keeps beside moto: who holds which credentials, MFA seeds (memory only), used codes,
MFA-device tags, the root account's MFA, and a clock that tests and the demo can move forward."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Literal

MfaState = Literal["absent", "false", "true"]


@dataclass(frozen=True)
class Principal:
    """The caller behind a set of credentials, and the MFA context those credentials carry."""

    kind: Literal["admin", "user"]
    name: str
    arn: str
    user_id: str = ""
    mfa: MfaState = "absent"  # aws:MultiFactorAuthPresent: absent for long-term keys
    mfa_auth_time: float | None = None
    source: Literal["access-key", "session-token", "console"] = "access-key"
    expires: float | None = None  # temporary credentials: when they stop working (embedded clock)

    def context(self, now: float) -> dict[str, object]:
        """The request context AWS builds for this caller (global condition keys)."""
        ctx: dict[str, object] = {
            "aws:username": self.name,
            "aws:userid": self.user_id,
            "aws:PrincipalArn": self.arn,
            "aws:PrincipalType": "User",
            "aws:PrincipalAccount": self.arn.split(":")[4],
            "aws:SecureTransport": "true",
        }
        if self.mfa != "absent":
            ctx["aws:MultiFactorAuthPresent"] = self.mfa
            ctx["aws:TokenIssueTime"] = _iso(self.mfa_auth_time or now)
        if self.mfa == "true" and self.mfa_auth_time is not None:
            ctx["aws:MultiFactorAuthAge"] = str(int(max(0, now - self.mfa_auth_time)))
        return ctx


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class Clock:
    """Wall-clock time plus an offset: ``advance()`` lets a demo wait for the next TOTP window instantly."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class MfaSeed:
    """A virtual device's TOTP seed, captured from CreateVirtualMFADevice. Never printed (repr hides it)."""

    serial: str
    seed: str = field(repr=False)
    last_counter: int = -1  # the highest time-step already used: codes at or below it are refused


@dataclass
class KitState:
    """Everything the embedded layer adds to moto's state."""

    account: str
    clock: Clock = field(default_factory=Clock)
    temp_creds: dict[str, Principal] = field(default_factory=dict)
    temp_tokens: dict[str, str] = field(default_factory=dict)  # key id -> session token (memory only)
    temp_secrets: dict[str, str] = field(default_factory=dict, repr=False)  # key id -> secret (signatures)
    seeds: dict[str, MfaSeed] = field(default_factory=dict)
    device_tags: dict[str, dict[str, str]] = field(default_factory=dict)
    device_kinds: dict[str, str] = field(default_factory=dict)  # serial -> "u2f" for modelled console keys
    root_mfa: Literal["none", "virtual", "hardware"] = "none"
    root_device_name: str = "root-account-mfa-device"  # a virtual root device's name (console: any name)

    def mint(self, principal: Principal, prefix: str = "ASIA") -> tuple[str, str, str]:
        """New temporary credentials for ``principal``: (key id, secret, session token)."""
        key_id = prefix + secrets.token_hex(8).upper()
        token = "mfakit-embedded-" + secrets.token_urlsafe(24)
        secret = secrets.token_urlsafe(30)
        self.temp_creds[key_id] = principal
        self.temp_tokens[key_id] = token
        self.temp_secrets[key_id] = secret
        return key_id, secret, token
