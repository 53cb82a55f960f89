"""Root user MFA (Prowler: iam_root_mfa_enabled, iam_root_hardware_mfa_enabled)."""

from __future__ import annotations

from mfakit.aws.audit.checks import Check, Finding
from mfakit.aws.audit.facts import AccountFacts


def _root_mfa(f: AccountFacts, c: Check) -> list[Finding]:
    ok = f.root_mfa_active
    return [c.finding("PASS" if ok else "FAIL", "<root_account>",
                      "root user has MFA" if ok else "root user has no MFA device")]


def _root_hw(f: AccountFacts, c: Check) -> list[Finding]:
    """Prowler's logic: AccountMFAEnabled and no virtual device assigned to the root user (found by the
    device's User ARN, whatever the device is called)."""
    ok = f.account_mfa_enabled and not f.root_virtual_mfa
    msg = ("root user uses a hardware or FIDO MFA device" if ok else
           "root user uses a virtual MFA device" if f.account_mfa_enabled else "root user has no MFA device")
    return [c.finding("PASS" if ok else "FAIL", "<root_account>", msg)]


CHECKS = [
    Check("iam_root_mfa_enabled", "critical", "The root user has MFA enabled.",
          "Sign in as root, open Security credentials and assign an MFA device (a FIDO security key is best).",
          _root_mfa),
    Check("iam_root_hardware_mfa_enabled", "critical", "The root user's MFA is a hardware or FIDO device, "
          "not a virtual (phone app) device.",
          "Replace the root user's virtual MFA with a FIDO security key or hardware TOTP token (keep two keys).",
          _root_hw),
]
