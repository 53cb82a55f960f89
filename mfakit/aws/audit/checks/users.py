"""IAM users' MFA devices (Prowler: iam_user_mfa_enabled_console_access, iam_user_hardware_mfa_enabled,
iam_administrator_access_with_mfa)."""

from __future__ import annotations

from mfakit.aws.audit.checks import Check, Finding
from mfakit.aws.audit.facts import AccountFacts


def _console(f: AccountFacts, c: Check) -> list[Finding]:
    out = []
    for u in f.users:
        if not u.console_password:
            continue
        ok = u.mfa_active
        out.append(c.finding("PASS" if ok else "FAIL", u.name, "console password with MFA" if ok else
                             "console password but no MFA device"))
    return out


def _hardware(f: AccountFacts, c: Check) -> list[Finding]:
    out = []
    for u in f.users:
        if not u.devices:
            continue
        ok = bool(u.devices.get("security_key") or u.devices.get("hardware"))
        kinds = ", ".join(sorted(u.devices))
        out.append(c.finding("PASS" if ok else "FAIL", u.name, f"MFA devices: {kinds}"))
    return out


def _admins(f: AccountFacts, c: Check) -> list[Finding]:
    out = []
    for u in f.users:
        if u.is_admin:
            ok = u.mfa_active
            out.append(c.finding("PASS" if ok else "FAIL", u.name, "administrator with MFA" if ok else
                                 "administrator without MFA"))
    return out


CHECKS = [
    Check("iam_user_mfa_enabled_console_access", "high", "Every IAM user with a console password has MFA.",
          "Have the user assign an MFA device (Security credentials > Assign MFA device), and enforce it with a "
          "forced-MFA policy (mfakit aws policy).", _console),
    Check("iam_user_hardware_mfa_enabled", "medium", "IAM users' MFA is a FIDO security key or hardware token "
          "rather than a phone app only.",
          "Register a FIDO security key (console only) named <user>-SecurityKey; keep the app as a backup or "
          "remove it.", _hardware),
    Check("iam_administrator_access_with_mfa", "high", "Users with AdministratorAccess have MFA.",
          "Assign MFA to every administrator before anything else, and enforce it by policy.", _admins),
]
