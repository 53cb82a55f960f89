"""A seeded embedded account with IAM users in every MFA state, so the audit has something to find."""

from __future__ import annotations

import json
from typing import Any

#: user -> (console password?, reset required?, access key?, policies, device kind or None)
SEEDED_USERS: dict[str, tuple[bool, bool, bool, tuple[str, ...], str | None]] = {
    "alice-enforced": (True, False, False, ("forced-mfa-aws", "AmazonEC2ReadOnlyAccess"), "virtual"),
    "bob-no-mfa": (True, False, False, ("AmazonEC2ReadOnlyAccess",), None),
    "carol-key": (True, False, False, ("forced-mfa-seed-style", "AmazonEC2ReadOnlyAccess"), "security_key"),
    "dave-admin": (False, False, True, ("AdministratorAccess",), None),
    "erin-new-hire": (True, True, False, ("forced-mfa-aws", "AmazonEC2ReadOnlyAccess"), None),
    "frank-bool": (True, False, True, ("forced-mfa-bool", "AmazonEC2ReadOnlyAccess"), "virtual"),
    "grace-hardware": (True, False, False, ("forced-mfa-seed-style", "AmazonEC2ReadOnlyAccess"), "hardware"),
    "heidi-sms": (True, False, False, ("AmazonEC2ReadOnlyAccess",), "sms"),
    "svc-ci": (False, False, True, ("AmazonS3ReadOnlyAccess",), None),
}


def _policies() -> dict[str, dict[str, Any]]:
    from mfakit.aws.policygen import forced_mfa_policy

    aws = forced_mfa_policy("aws")
    seed_style = forced_mfa_policy("aws", allow_password_change=True)
    bool_only = json.loads(json.dumps(aws).replace('"BoolIfExists"', '"Bool"'))
    return {"forced-mfa-aws": aws, "forced-mfa-seed-style": seed_style, "forced-mfa-bool": bool_only}


def seed_account(aws: Any) -> list[str]:
    """Create the users of :data:`SEEDED_USERS` in an embedded AWS (root MFA: a virtual device)."""
    import pyotp

    iam = aws.admin.client("iam")
    arns = {}
    for name, doc in _policies().items():
        arns[name] = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
    for user, (console, reset, key, policies, device) in SEEDED_USERS.items():
        iam.create_user(UserName=user)
        if console:
            iam.create_login_profile(UserName=user, Password="Seeded-Pass-" + user, PasswordResetRequired=reset)
        if key:
            iam.create_access_key(UserName=user)
        for p in policies:
            iam.attach_user_policy(UserName=user, PolicyArn=arns.get(p, f"arn:aws:iam::aws:policy/{p}"))
        if device == "virtual":
            dev = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{user}-AuthenticatorApp")["VirtualMFADevice"]
            totp = pyotp.TOTP(dev["Base32StringSeed"].decode())
            now = aws.now()
            iam.enable_mfa_device(UserName=user, SerialNumber=dev["SerialNumber"],
                                  AuthenticationCode1=totp.at(now - 30), AuthenticationCode2=totp.at(now))
        elif device == "security_key":
            aws.seed_mfa_device(user, f"arn:aws:iam::{aws.account}:u2f/user/{user}/{user}-SecurityKey-SEEDED",
                                "u2f")
        elif device == "hardware":
            aws.seed_mfa_device(user, "GAHT" + str(abs(hash(user)) % 10**8).zfill(8), "hardware")
        elif device == "sms":
            aws.seed_mfa_device(user, f"arn:aws:iam::{aws.account}:sms-mfa/{user}", "sms")
    aws.set_root_mfa("virtual")
    return list(SEEDED_USERS)
