"""Operations the embedded layer answers or checks itself because moto lacks them or gets them wrong:
GetSessionToken with MFA, GetCallerIdentity, EnableMFADevice code checks, ChangePassword, MFA-device tags,
GetMFADevice, DeleteConflict rules, the policy simulator, and response fix-ups (PasswordResetRequired, root)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from mfakit.aws.embedded import totp
from mfakit.aws.embedded.responses import error, ok
from mfakit.aws.embedded.simulate import simulate_custom, simulate_principal
from mfakit.aws.embedded.state import Principal

if TYPE_CHECKING:
    from mfakit.aws.embedded.enforce import Enforcer

Handler = Callable[["Enforcer", Principal, dict[str, Any]], Any]

MFA_FAILED = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
MFA_UNKNOWN = ("MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial "
               "number is valid and associated with this user.")


def _now(e: "Enforcer") -> dt.datetime:
    return dt.datetime.fromtimestamp(e.state.clock.now(), tz=dt.timezone.utc)


def get_session_token(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    """Temporary credentials; with SerialNumber/TokenCode they carry MFA (code checked, replay refused)."""
    if who.source != "access-key":
        return error("AccessDenied", "Cannot call GetSessionToken with session credentials")
    serial, code = api.get("SerialNumber"), api.get("TokenCode")
    now = e.state.clock.now()
    if serial:
        if who.kind != "user":
            return error("AccessDenied", MFA_UNKNOWN)
        user = e.backend.get_user(who.name)
        seed = e.seed(str(serial))
        if serial not in user.mfa_devices or seed is None:  # FIDO keys cannot be used with GetSessionToken
            return error("AccessDenied", MFA_UNKNOWN)
        if not code or not totp.check_one(seed, str(code), now):
            return error("AccessDenied", MFA_FAILED)
        mfa = "true"
    else:
        mfa = "false"
    duration = int(api.get("DurationSeconds") or 43200)  # STS API reference: 900..129600 s, default 12 h
    if not 900 <= duration <= 129600:
        return error("ValidationError", f"1 validation error detected: Value '{duration}' at 'durationSeconds' "
                     "failed to satisfy constraint: Member must have value between 900 and 129600", 400)
    issued = Principal(who.kind, who.name, who.arn, who.user_id, mfa, now, "session-token", now + duration)  # type: ignore[arg-type]
    key_id, secret, token = e.state.mint(issued)
    expires = _now(e) + dt.timedelta(seconds=duration)
    return ok({"Credentials": {"AccessKeyId": key_id, "SecretAccessKey": secret, "SessionToken": token,
                               "Expiration": expires}})


def get_caller_identity(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    return ok({"UserId": who.user_id or who.name, "Account": e.state.account, "Arn": who.arn})


def enable_mfa_device(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    """Check the two consecutive codes against the seed captured at creation; moto then records the device."""
    serial = str(api.get("SerialNumber", ""))
    seed = e.seed(serial)
    if seed is None or serial not in e.backend.virtual_mfa_devices:
        return error("NoSuchEntity", f"VirtualMFADevice with serial number {serial} doesn't exist.", 404)
    if not totp.check_two(seed, str(api.get("AuthenticationCode1", "")), str(api.get("AuthenticationCode2", "")),
                          e.state.clock.now()):
        return error("InvalidAuthenticationCode", "Authentication code for device is not valid.", 403)
    return None


def change_password(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    """ChangePassword for the caller's own login profile; clears PasswordResetRequired."""
    if who.kind != "user":
        return error("InvalidUserType", "Only IAM users can change their own password.", 400)
    user = e.backend.get_user(who.name)
    if not user.password:
        return error("NoSuchEntity", f"Login Profile for User {who.name} cannot be found.", 404)
    if str(api.get("OldPassword", "")) != user.password:
        return error("InvalidUserType", "The old password is incorrect.", 400)  # message never echoes input
    new = str(api.get("NewPassword", ""))
    policy = e.backend.account_password_policy
    min_len = getattr(policy, "minimum_password_length", 8) if policy else 8
    if len(new) < min_len or new == user.password:
        return error("PasswordPolicyViolation", "Password does not conform to the account password policy.", 400)
    user.password = new
    user.password_reset_required = False
    return ok({})


def update_login_profile(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    """moto wipes the password when only PasswordResetRequired is given; AWS keeps it."""
    user = e.backend.users.get(str(api.get("UserName", "")))
    if user is None or not user.password:
        return error("NoSuchEntity", f"Login Profile for User {api.get('UserName')} cannot be found.", 404)
    if api.get("Password"):
        user.password = str(api["Password"])
    if "PasswordResetRequired" in api:
        user.password_reset_required = bool(api["PasswordResetRequired"])
    return ok({})


def _device_exists(e: "Enforcer", serial: str) -> bool:
    if serial in e.backend.virtual_mfa_devices:
        return True
    return any(serial in u.mfa_devices for u in e.backend.users.values())


def tag_mfa_device(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    serial = str(api.get("SerialNumber", ""))
    if not _device_exists(e, serial):
        return error("NoSuchEntity", f"MFA device {serial} not found.", 404)
    tags = e.state.device_tags.setdefault(serial, {})
    tags.update({t["Key"]: t["Value"] for t in api.get("Tags", [])})
    return ok({})


def untag_mfa_device(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    tags = e.state.device_tags.get(str(api.get("SerialNumber", "")), {})
    for k in api.get("TagKeys", []):
        tags.pop(k, None)
    return ok({})


def list_mfa_device_tags(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    serial = str(api.get("SerialNumber", ""))
    if not _device_exists(e, serial):
        return error("NoSuchEntity", f"MFA device {serial} not found.", 404)
    tags = e.state.device_tags.get(serial, {})
    return ok({"Tags": [{"Key": k, "Value": v} for k, v in tags.items()], "IsTruncated": False})


def get_mfa_device(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    serial = str(api.get("SerialNumber", ""))
    for user in e.backend.users.values():
        dev = user.mfa_devices.get(serial)
        if dev is not None:
            return ok({"UserName": user.name, "SerialNumber": serial, "EnableDate": dev.enable_date,
                       "Certifications": {}})
    return error("NoSuchEntity", f"MFA device {serial} not found.", 404)


def delete_user(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    """AWS refuses to delete a user that still has credentials, devices, policies or groups."""
    name = str(api.get("UserName", ""))
    user = e.backend.users.get(name)
    if user is None:
        return None  # moto answers NoSuchEntity
    checks = [
        (user.password, "Cannot delete entity, must delete login profile first."),
        (user.access_keys, "Cannot delete entity, must delete access keys first."),
        (user.mfa_devices, "Cannot delete entity, must delete MFA device first."),
        (user.managed_policies, "Cannot delete entity, must detach all policies first."),
        (user.policies, "Cannot delete entity, must delete policies first."),
        (e.backend.get_groups_for_user(name), "Cannot delete entity, must remove users from group first."),
    ]
    for present, message in checks:
        if present:
            return error("DeleteConflict", message, 409)
    return None


def delete_virtual_mfa_device(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    device = e.backend.virtual_mfa_devices.get(str(api.get("SerialNumber", "")))
    if device is not None and device.user is not None:
        return error("DeleteConflict", "MFA Device is still in use", 409)
    return None


def delete_policy(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    policy = e.backend.managed_policies.get(str(api.get("PolicyArn", "")))
    if policy is not None and policy.attachment_count > 0:
        return error("DeleteConflict", "Cannot delete a policy attached to entities.", 409)
    return None


def _sim_principal(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    return simulate_principal(e, api)


def _sim_custom(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    return simulate_custom(e, api)


PRE_POLICY: dict[str, Handler] = {
    "GetSessionToken": get_session_token,
    "GetCallerIdentity": get_caller_identity,
}
IMPLEMENTED: dict[str, Handler] = {
    "EnableMFADevice": enable_mfa_device,
    "ChangePassword": change_password,
    "UpdateLoginProfile": update_login_profile,
    "TagMFADevice": tag_mfa_device,
    "UntagMFADevice": untag_mfa_device,
    "ListMFADeviceTags": list_mfa_device_tags,
    "GetMFADevice": get_mfa_device,
    "DeleteUser": delete_user,
    "DeleteVirtualMFADevice": delete_virtual_mfa_device,
    "DeletePolicy": delete_policy,
    "SimulatePrincipalPolicy": _sim_principal,
    "SimulateCustomPolicy": _sim_custom,
}


def list_virtual_mfa_devices(e: "Enforcer", who: Principal, api: dict[str, Any]) -> Any:
    """moto lists every device's seed; AWS returns a seed only at creation. Plus the modelled root device."""
    status = api.get("AssignmentStatus") or "Any"
    acct = e.state.account
    out = []
    for serial, dev in e.backend.virtual_mfa_devices.items():
        assigned = dev.user is not None
        if status == "Any" or (status == "Assigned") == assigned:
            item: dict[str, Any] = {"SerialNumber": serial}
            if assigned:
                u = dev.user
                item["User"] = {"Path": u.path, "UserName": u.name, "UserId": u.id, "Arn": u.arn,
                                "CreateDate": u.create_date}
                item["EnableDate"] = dev.enable_date
            out.append(item)
    if e.state.root_mfa == "virtual" and status in ("Any", "Assigned"):
        # the console names a root device as the person chose (mfa/my-phone); the old default was
        # root-account-mfa-device. The audit must not depend on the name (Prowler checks the type).
        out.append({"SerialNumber": f"arn:aws:iam::{acct}:mfa/{e.state.root_device_name}",
                    "User": {"Path": "/", "UserName": "<root_account>", "UserId": acct,
                             "Arn": f"arn:aws:iam::{acct}:root", "CreateDate": _now(e)},
                    "EnableDate": _now(e)})
    return ok({"VirtualMFADevices": out, "IsTruncated": False})


IMPLEMENTED["ListVirtualMFADevices"] = list_virtual_mfa_devices


# -- after moto answered (``result``: the dict moto's response method built, before serialization) -------
def _after_create_virtual(e: "Enforcer", api: dict[str, Any], result: dict[str, Any]) -> None:
    dev = result.get("VirtualMFADevice")
    serial = getattr(dev, "serial_number", None) or (dev or {}).get("SerialNumber", "")
    e.seed(str(serial))  # memory only: the seed is kept to check codes, never printed
    if api.get("Tags"):
        e.state.device_tags[str(serial)] = {t["Key"]: t["Value"] for t in api["Tags"]}


def _after_login_profile(e: "Enforcer", api: dict[str, Any], result: dict[str, Any]) -> None:
    profile = result.get("LoginProfile", {})
    user = e.backend.users.get(profile.get("UserName", api.get("UserName", "")))
    if user is None:
        return
    if "PasswordResetRequired" in api:  # moto drops the flag
        user.password_reset_required = bool(api["PasswordResetRequired"])
    profile["PasswordResetRequired"] = bool(user.password_reset_required)


def _after_delete_virtual(e: "Enforcer", api: dict[str, Any], result: dict[str, Any]) -> None:
    e.state.seeds.pop(str(api.get("SerialNumber", "")), None)
    e.state.device_tags.pop(str(api.get("SerialNumber", "")), None)


def _after_deactivate(e: "Enforcer", api: dict[str, Any], result: dict[str, Any]) -> None:
    e.state.device_kinds.pop(str(api.get("SerialNumber", "")), None)


def _after_summary(e: "Enforcer", api: dict[str, Any], result: dict[str, Any]) -> None:
    result.setdefault("SummaryMap", {})["AccountMFAEnabled"] = 0 if e.state.root_mfa == "none" else 1


def _after_credential_report(e: "Enforcer", api: dict[str, Any], result: dict[str, Any]) -> None:
    content = result.get("Content", "")
    text = content.decode() if isinstance(content, bytes) else str(content)
    lines = text.splitlines()
    if not lines or any(line.startswith("<root_account>,") for line in lines):
        return
    ncols = len(lines[0].split(","))
    mfa = "false" if e.state.root_mfa == "none" else "true"
    row = ["<root_account>", f"arn:aws:iam::{e.state.account}:root", "2020-01-01T00:00:00+00:00",
           "not_supported", "no_information", "not_supported", "not_supported", mfa]
    row += ["false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"]
    lines.insert(1, ",".join(row[:ncols]))
    result["Content"] = "\n".join(lines) + "\n"


AFTER: dict[str, Callable[["Enforcer", dict[str, Any], dict[str, Any]], None]] = {
    "CreateVirtualMFADevice": _after_create_virtual,
    "CreateLoginProfile": _after_login_profile,
    "GetLoginProfile": _after_login_profile,
    "DeleteVirtualMFADevice": _after_delete_virtual,
    "DeactivateMFADevice": _after_deactivate,
    "GetAccountSummary": _after_summary,
    "GetCredentialReport": _after_credential_report,
}
