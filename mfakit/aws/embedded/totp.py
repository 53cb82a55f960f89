"""TOTP checks as AWS does them: a code is valid in the current 30-second step or one step either side,
and a step already used for this device is refused (no replay)."""

from __future__ import annotations

import pyotp

from mfakit.aws.embedded.state import MfaSeed

STEP = 30
DRIFT = 1


def _counter_for(seed: MfaSeed, code: str, now: float, start: int | None = None) -> int | None:
    totp = pyotp.TOTP(seed.seed)
    n = int(now // STEP)
    candidates = range(n - DRIFT, n + DRIFT + 1) if start is None else [start]
    for c in candidates:
        if c > seed.last_counter and pyotp.utils.strings_equal(str(code), totp.at(c * STEP)):
            return c
    return None


def check_one(seed: MfaSeed, code: str, now: float) -> bool:
    """One code (GetSessionToken, console sign-in): valid and not used before; marks its step used."""
    c = _counter_for(seed, code, now)
    if c is None:
        return False
    seed.last_counter = c
    return True


def check_two(seed: MfaSeed, code1: str, code2: str, now: float) -> bool:
    """EnableMFADevice: two consecutive codes (step c then c+1) with c+1 within the allowed drift."""
    totp = pyotp.TOTP(seed.seed)
    n = int(now // STEP)
    for c in range(n - DRIFT - 1, n + DRIFT):
        if c <= seed.last_counter:
            continue
        if (pyotp.utils.strings_equal(str(code1), totp.at(c * STEP))
                and pyotp.utils.strings_equal(str(code2), totp.at((c + 1) * STEP))):
            seed.last_counter = c + 1
            return True
    return False
