"""Is MFA actually ENFORCED by the attached policies? Found by simulation (no Prowler check does this)."""

from __future__ import annotations

from mfakit.aws.audit.checks import Check, Finding
from mfakit.aws.audit.facts import AccountFacts


def _not_enforced(f: AccountFacts, c: Check) -> list[Finding]:
    out = []
    for u in f.users:
        state = u.mfa_enforced
        if state == "n/a":
            continue
        out.append(c.finding("PASS" if state != "no" else "FAIL", u.name,
                             f"{u.probe_action} without MFA: {u.read_console_no_mfa} (console), "
                             f"{u.read_keys_no_mfa} (access keys); with MFA: {u.read_with_mfa}"))
    return out


def _key_bypass(f: AccountFacts, c: Check) -> list[Finding]:
    out = []
    for u in f.users:
        if u.mfa_enforced in ("yes", "partial"):
            ok = u.mfa_enforced == "yes"
            out.append(c.finding("PASS" if ok else "FAIL", u.name, "enforced for console and access keys" if ok
                                 else "enforced for the console only: calls with long-term access keys carry no "
                                 "aws:MultiFactorAuthPresent and pass a Bool condition"))
    return out


def _deadlock(f: AccountFacts, c: Check) -> list[Finding]:
    """The first-sign-in deadlock needs all of: a console password, MFA enforced, ChangePassword denied
    without MFA, NO MFA device (with one, the person signs in with MFA and then changes the password), and a
    password change forced before MFA: a reset required now, or passwords that expire (MaxPasswordAge)."""
    out = []
    for u in f.users:
        if not u.console_password or u.mfa_enforced == "n/a" or u.mfa_enforced == "no":
            continue
        blocked = u.change_password_no_mfa != "allowed"
        if not blocked:
            out.append(c.finding("PASS", u.name, "iam:ChangePassword is allowed without MFA"))
        elif u.devices:
            out.append(c.finding("PASS", u.name, "has an MFA device: signs in with MFA, then may change the password"))
        elif u.password_reset_required:
            out.append(c.finding("FAIL", u.name, "DEADLOCKED NOW: must change the password at sign-in, "
                                 "iam:ChangePassword is denied without MFA, and there is no MFA device"))
        elif f.password_expires:
            out.append(c.finding("FAIL", u.name, "iam:ChangePassword is denied without MFA and passwords expire: "
                                 "when this password expires before an MFA device is registered, the user is "
                                 "locked out"))
        else:
            out.append(c.finding("PASS", u.name, "no password change can be forced before MFA (no reset "
                                 "required, passwords do not expire)"))
    return out


def _enrollment(f: AccountFacts, c: Check) -> list[Finding]:
    out = []
    for u in f.users:
        if u.mfa_enforced in ("yes", "partial") and not u.devices:
            ok = u.enroll_no_mfa == "allowed"
            out.append(c.finding("PASS" if ok else "FAIL", u.name, "can enrol an MFA device without MFA" if ok else
                                 "MFA is required but iam:EnableMFADevice is denied without MFA: cannot enrol"))
    return out


CHECKS = [
    Check("mfakit_iam_mfa_not_enforced_by_policy", "high",
          "A read the user is allowed with MFA is denied without MFA (policy simulation).",
          "Attach the forced-MFA policy (mfakit aws policy generate) to the user or, better, to a group.",
          _not_enforced),
    Check("mfakit_iam_mfa_enforcement_access_key_bypass", "high",
          "MFA enforcement also covers long-term access keys (BoolIfExists, not Bool).",
          "Use BoolIfExists {aws:MultiFactorAuthPresent: false} in the deny statement (mfakit aws lint).",
          _key_bypass),
    Check("mfakit_iam_first_sign_in_deadlock", "medium",
          "A console user under MFA enforcement can change a password that must be reset before having MFA.",
          "Add iam:ChangePassword (and iam:GetAccountPasswordPolicy) to the NotAction list of the deny statement "
          "as the seed did, or let an admin reset the password with PasswordResetRequired=false.",
          _deadlock),
    Check("mfakit_iam_mfa_enrollment_blocked", "high",
          "A user who must use MFA can enrol a device without MFA.",
          "Keep iam:CreateVirtualMFADevice, iam:EnableMFADevice, iam:ListMFADevices, iam:GetUser in the NotAction "
          "list and allow them on the user's own ARN.", _enrollment),
]
