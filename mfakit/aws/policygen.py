"""The forced-MFA policy: AWS's example and the seed's variant, with the user's choices.

AWS example: IAM User Guide, "AWS: Allows MFA-authenticated IAM users to manage their own credentials on the
Security credentials page" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html),
the version described in ../shared/reference/aws-mfa.md. The seed's variant hard-codes the user name, allows
``iam:GetAccessKeyLastUsed`` and adds ``iam:GetMFADevice`` and ``iam:ChangePassword`` to the NotAction list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

USERNAME_VARIABLE = "${aws:username}"
SEED_USER = "s-takahashi"

#: AWS's caveat about first-sign-in password changes (printed when the option is chosen).
PASSWORD_CHANGE_CAVEAT = (
    "AWS: this example does not allow a password reset at sign-in (new users, expired passwords). You can allow it "
    "by adding iam:ChangePassword and iam:GetAccountPasswordPolicy to DenyAllExceptListedIfNoMFA, but AWS does not "
    "recommend it: letting users change their password without MFA can be a security risk.")

#: Checked-in copies under data/policies/: file name → generator arguments.
POLICY_FILES: dict[str, dict[str, Any]] = {
    "forced-mfa-aws-example.json": {"variant": "aws"},
    "forced-mfa-self-manage.json": {"variant": "seed", "user": SEED_USER},
    "forced-mfa-aws-example-first-sign-in.json": {"variant": "aws", "allow_password_change": True},
}


def _stmt(sid: str, actions: list[str], resource: str) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}


def forced_mfa_policy(variant: str = "aws", user: str | None = None, allow_password_change: bool | None = None,
                      allow_users_page: bool = False) -> dict[str, Any]:
    """Build the forced-MFA self-management policy.

    variant: ``"aws"`` (AWS's example) or ``"seed"`` (the seed's arrangement).
    user: a user name to hard-code, or ``"${aws:username}"``; None → the variant's own choice
      (aws: the variable; seed: ``s-takahashi``).
    allow_password_change: True → ``iam:ChangePassword`` and ``iam:GetAccountPasswordPolicy`` join the
      exceptions (AWS's advice, see PASSWORD_CHANGE_CAVEAT); False → neither; None → the variant's own choice
      (aws: neither; seed: ChangePassword only, as the seed did).
    allow_users_page: add ``iam:ListUsers`` to AllowViewAccountInfo and to the exceptions.
    """
    if variant not in ("aws", "seed"):
        from mfakit.errors import PolicyError

        raise PolicyError(f"unknown variant {variant!r} (choose aws or seed)")
    seed = variant == "seed"
    name = user if user is not None else (SEED_USER if seed else USERNAME_VARIABLE)
    if not name or any(c in name for c in "*?:/\"") and name != USERNAME_VARIABLE:
        from mfakit.errors import PolicyError

        raise PolicyError(f"not a valid IAM user name: {name!r}")
    own = f"arn:aws:iam::*:user/{name}"
    view = ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"]
    if allow_users_page:
        view.append("iam:ListUsers")
    keys = ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"]
    if seed:
        keys.append("iam:GetAccessKeyLastUsed")
    exceptions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser"]
    if seed:
        exceptions.append("iam:GetMFADevice")
    exceptions += ["iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice"]
    change = seed if allow_password_change is None else allow_password_change
    if change:
        exceptions.append("iam:ChangePassword")
        if allow_password_change:
            exceptions.append("iam:GetAccountPasswordPolicy")
    if allow_users_page:
        exceptions.append("iam:ListUsers")
    exceptions.append("sts:GetSessionToken")
    statements = [
        _stmt("AllowViewAccountInfo", view, "*"),
        _stmt("AllowManageOwnPasswords", ["iam:ChangePassword", "iam:GetUser"], own),
        _stmt("AllowManageOwnAccessKeys", keys, own),
        _stmt("AllowManageOwnSigningCertificates", ["iam:DeleteSigningCertificate", "iam:ListSigningCertificates",
                                                    "iam:UpdateSigningCertificate", "iam:UploadSigningCertificate"],
              own),
        _stmt("AllowManageOwnSSHPublicKeys", ["iam:DeleteSSHPublicKey", "iam:GetSSHPublicKey",
                                              "iam:ListSSHPublicKeys", "iam:UpdateSSHPublicKey",
                                              "iam:UploadSSHPublicKey"], own),
        _stmt("AllowManageOwnGitCredentials", ["iam:CreateServiceSpecificCredential",
                                               "iam:DeleteServiceSpecificCredential",
                                               "iam:ListServiceSpecificCredentials",
                                               "iam:ResetServiceSpecificCredential",
                                               "iam:UpdateServiceSpecificCredential"], own),
        _stmt("AllowManageOwnVirtualMFADevice", ["iam:CreateVirtualMFADevice"], "arn:aws:iam::*:mfa/*"),
        _stmt("AllowManageOwnUserMFA", ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                                        "iam:ResyncMFADevice"], own),
        {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny", "NotAction": exceptions, "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def dump_policy(doc: dict[str, Any]) -> str:
    """Pretty JSON as on the AWS page (4-space indent), ending with a newline."""
    return json.dumps(doc, indent=4, ensure_ascii=False) + "\n"


def expected_files() -> dict[str, str]:
    """The text every checked-in policy file must have."""
    return {name: dump_policy(forced_mfa_policy(**kwargs)) for name, kwargs in POLICY_FILES.items()}


def write_all(directory: Path | None = None) -> list[Path]:
    """(Re)write the checked-in copies under ``data/policies/`` atomically; returns the paths written."""
    from mfakit.config import POLICIES_DIR
    from mfakit.fileio import atomic_write as atomic_write_text

    target = Path(directory) if directory is not None else POLICIES_DIR
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in expected_files().items():
        atomic_write_text(target / name, text)
        out.append(target / name)
    return out
