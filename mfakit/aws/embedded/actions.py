"""Which IAM action and which resource ARN a request is authorized against, as AWS does it.

The IAM action is ``<service prefix>:<OperationName>`` (true for IAM, STS and EC2). The resource follows the
IAM Service Authorization Reference for the operations the kit uses: the user's ARN for user operations (the
caller's own user when ``UserName`` is omitted), the device ARN for creating/deleting a virtual MFA device,
the policy ARN for policy operations, and ``*`` where the action has no resource (``ec2:Describe*``,
``iam:ListVirtualMFADevices``, ``iam:GetAccountPasswordPolicy`` ...). ``iam:ListUsers`` is checked against the
user path the request lists (``arn:aws:iam::ACCT:user/``), as AWS's denial messages show it.
The action names themselves come from :mod:`mfakit.aws.embedded.iam_actions`.
"""

from __future__ import annotations

from typing import Any

#: IAM operations whose resource is the user (UserName defaults to the caller when omitted).
USER_OPS = frozenset({
    "GetUser", "ChangePassword", "CreateAccessKey", "DeleteAccessKey", "ListAccessKeys", "UpdateAccessKey",
    "GetAccessKeyLastUsed", "EnableMFADevice", "DeactivateMFADevice", "ListMFADevices", "ResyncMFADevice",
    "GetMFADevice", "CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile",
    "AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies", "PutUserPolicy", "GetUserPolicy",
    "DeleteUserPolicy", "ListUserPolicies", "CreateUser", "DeleteUser", "TagUser", "UntagUser",
    "ListUserTags", "ListGroupsForUser", "AddUserToGroup", "RemoveUserFromGroup",
    "ListSigningCertificates", "UploadSigningCertificate", "DeleteSigningCertificate",
    "UpdateSigningCertificate", "ListSSHPublicKeys", "UploadSSHPublicKey", "GetSSHPublicKey",
    "DeleteSSHPublicKey", "UpdateSSHPublicKey", "ListServiceSpecificCredentials",
    "CreateServiceSpecificCredential", "DeleteServiceSpecificCredential",
    "ResetServiceSpecificCredential", "UpdateServiceSpecificCredential",
})
#: Of those, the ones where AWS uses the caller when UserName is omitted.
SELF_DEFAULT_OPS = frozenset({
    "GetUser", "ChangePassword", "CreateAccessKey", "DeleteAccessKey", "ListAccessKeys", "UpdateAccessKey",
    "ListMFADevices", "ListSigningCertificates", "UploadSigningCertificate", "DeleteSigningCertificate",
    "UpdateSigningCertificate", "ListSSHPublicKeys", "ListServiceSpecificCredentials",
})
#: IAM operations on a virtual MFA device ARN.
DEVICE_OPS = frozenset({"CreateVirtualMFADevice", "DeleteVirtualMFADevice", "TagMFADevice",
                        "UntagMFADevice", "ListMFADeviceTags"})
POLICY_OPS = frozenset({"CreatePolicy", "DeletePolicy", "GetPolicy", "GetPolicyVersion", "CreatePolicyVersion",
                        "DeletePolicyVersion", "ListPolicyVersions", "TagPolicy", "UntagPolicy",
                        "ListPolicyTags", "ListEntitiesForPolicy", "SetDefaultPolicyVersion"})


def resource_arn(prefix: str, operation: str, params: dict[str, Any], account: str,
                 caller_user: str | None) -> str:
    """The resource ARN the request is authorized against (``*`` where the action has no resource)."""
    if prefix != "iam":
        return "*"
    if operation in USER_OPS:
        name = params.get("UserName") or caller_user
        path = params.get("Path", "/") if operation == "CreateUser" else "/"
        return f"arn:aws:iam::{account}:user{path}{name}" if name else "*"
    if operation in DEVICE_OPS:
        if operation == "CreateVirtualMFADevice":
            path = params.get("Path") or "/"
            return f"arn:aws:iam::{account}:mfa{path}{params.get('VirtualMFADeviceName', '')}"
        return str(params.get("SerialNumber", "*"))
    if operation in POLICY_OPS:
        if operation == "CreatePolicy":
            path = params.get("Path") or "/"
            return f"arn:aws:iam::{account}:policy{path}{params.get('PolicyName', '')}"
        return str(params.get("PolicyArn", "*"))
    if operation == "ListUsers":  # AWS: "... iam:ListUsers on resource: arn:aws:iam::ACCT:user/" (PathPrefix)
        return f"arn:aws:iam::{account}:user{params.get('PathPrefix') or '/'}"
    if operation in ("SimulatePrincipalPolicy",):
        return str(params.get("PolicySourceArn", "*"))
    return "*"
