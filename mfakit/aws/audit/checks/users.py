"""IAM users' MFA devices (Prowler: iam_user_mfa_enabled_console_access, iam_user_hardware_mfa_enabled,
iam_administrator_access_with_mfa)."""

from __future__ import annotations

from mfakit.aws.audit.checks import Check, Finding
from mfakit.aws.audit.facts import AccountFacts


def _console(f: AccountFacts, c: Check) -> list[Finding]:
    """Prowler's logic: every credential-report user; a console password without MFA fails."""
    out = [c.finding("PASS", "<root_account>", "the root user has no IAM console password")]
    for u in f.users:
        if not u.console_password:
            out.append(c.finding("PASS", u.name, "no console password"))
            continue
        ok = u.mfa_active
        out.append(c.finding("PASS" if ok else "FAIL", u.name, "console password with MFA" if ok else
                             "console password but no MFA device"))
    return out


def _hardware(f: AccountFacts, c: Check) -> list[Finding]:
    """Prowler's logic: no MFA at all fails; ANY virtual (app) or SMS device fails, even beside a key."""
    out = []
    for u in f.users:
        if not u.devices:
            out.append(c.finding("FAIL", u.name, "no MFA device of any type"))
            continue
        weak = sorted(k for k in u.devices if k in ("virtual", "sms"))
        kinds = ", ".join(sorted(u.devices))
        out.append(c.finding("FAIL" if weak else "PASS", u.name,
                             f"MFA devices: {kinds}" + (f" ({' and '.join(weak)} counts as not hardware)"
                                                       if weak else "")))
    return out


def _admin_groups(f: AccountFacts, c: Check) -> list[Finding]:
    """Prowler's logic: per group; AdministratorAccess attached and a member without MFA fails."""
    out = []
    mfa = {u.name: u.mfa_active for u in f.users}
    for name, info in sorted(f.groups.items()):
        admin = "arn:aws:iam::aws:policy/AdministratorAccess" in info["policies"]
        without = [u for u in info["users"] if not mfa.get(u, False)] if admin else []
        msg = ("no policies" if not info["policies"] else "non-administrative access" if not admin else
               f"administrator access to {', '.join(without)} without MFA" if without else
               "administrator access, every member has MFA" if info["users"] else "administrator access, no members")
        out.append(c.finding("FAIL" if without else "PASS", f"group/{name}", msg))
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
    Check("iam_administrator_access_with_mfa", "high", "Groups with AdministratorAccess have only members "
          "with MFA.", "Assign MFA to every administrator before anything else, and enforce it by policy.",
          _admin_groups),
    Check("mfakit_iam_user_administrator_without_mfa", "high", "Users with AdministratorAccess attached "
          "directly have MFA (Prowler's check looks at groups only).",
          "Assign MFA to every administrator before anything else, and enforce it by policy.", _admins),
]
