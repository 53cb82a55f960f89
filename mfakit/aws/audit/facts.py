"""Collect what the audit needs from an account (embedded or live) through the API only."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from mfakit.aws.audit.devices import device_type

#: Reads that MFA enforcement should block (the first one the user may do with MFA is used).
PROBE_READS = ("ec2:DescribeVpcs", "ec2:DescribeInstances", "s3:ListAllMyBuckets", "iam:ListUsers")


@dataclass
class UserFacts:
    name: str
    arn: str
    console_password: bool
    password_reset_required: bool
    access_keys_active: int
    devices: dict[str, list[str]]  # type -> serials
    mfa_active: bool  # from the credential report
    attached: list[str]
    is_admin: bool
    probe_action: str = ""
    read_console_no_mfa: str = ""  # decision with aws:MultiFactorAuthPresent=false (console without MFA)
    read_keys_no_mfa: str = ""  # decision with the key absent (long-term access keys)
    read_with_mfa: str = ""
    change_password_no_mfa: str = ""
    enroll_no_mfa: str = ""  # iam:EnableMFADevice on the user without MFA

    @property
    def mfa_enforced(self) -> str:
        """yes | partial (console only: access keys bypass) | no | n/a (nothing to protect)."""
        if self.read_with_mfa != "allowed":
            return "n/a"
        console = self.read_console_no_mfa != "allowed"
        keys = self.read_keys_no_mfa != "allowed"
        return "yes" if console and keys else "partial" if console or keys else "no"


@dataclass
class AccountFacts:
    account: str
    users: list[UserFacts] = field(default_factory=list)
    root_mfa_active: bool = False
    root_virtual_mfa: bool = False


def _simulate(iam: Any, arn: str, user: str, action: str, resource: str, mfa: str | None) -> str:
    entries = [{"ContextKeyName": "aws:username", "ContextKeyValues": [user], "ContextKeyType": "string"}]
    if mfa is not None:
        entries.append({"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": [mfa],
                        "ContextKeyType": "boolean"})
    res = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=[action], ResourceArns=[resource],
                                        ContextEntries=entries)
    return res["EvaluationResults"][0]["EvalDecision"]


def credential_report(iam: Any, wait: Callable[[float], None] = time.sleep) -> dict[str, dict[str, str]]:
    for _ in range(20):
        if iam.generate_credential_report().get("State") == "COMPLETE":
            break
        wait(1.0)
    content = iam.get_credential_report()["Content"]
    text = content.decode() if isinstance(content, bytes) else content
    return {row["user"]: row for row in csv.DictReader(io.StringIO(text))}


def _policies(iam: Any, name: str) -> list[str]:
    names = [p["PolicyName"] for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]]
    for g in iam.list_groups_for_user(UserName=name)["Groups"]:
        names += [p["PolicyName"] for p in iam.list_attached_group_policies(GroupName=g["GroupName"])[
            "AttachedPolicies"]]
    return names


def collect(session: Any, progress: Callable[[str], None] | None = None) -> AccountFacts:
    """Users, credentials, devices, credential report, root MFA, and the enforcement simulations."""
    from botocore.exceptions import ClientError

    iam = session.client("iam")
    account = session.client("sts").get_caller_identity()["Account"]
    report = credential_report(iam)
    facts = AccountFacts(account)
    root = report.get("<root_account>", {})
    facts.root_mfa_active = root.get("mfa_active") == "true" or bool(
        iam.get_account_summary()["SummaryMap"].get("AccountMFAEnabled"))
    facts.root_virtual_mfa = any("root-account-mfa-device" in d["SerialNumber"] for page in
                                 iam.get_paginator("list_virtual_mfa_devices").paginate(AssignmentStatus="Assigned")
                                 for d in page["VirtualMFADevices"])
    for page in iam.get_paginator("list_users").paginate():
        for u in page["Users"]:
            name, arn = u["UserName"], u["Arn"]
            if progress:
                progress(name)
            try:
                lp = iam.get_login_profile(UserName=name)["LoginProfile"]
                console, reset = True, bool(lp.get("PasswordResetRequired"))
            except ClientError:
                console, reset = False, False
            keys = [k for k in iam.list_access_keys(UserName=name)["AccessKeyMetadata"] if k["Status"] == "Active"]
            devices: dict[str, list[str]] = {}
            for d in iam.list_mfa_devices(UserName=name)["MFADevices"]:
                devices.setdefault(device_type(d["SerialNumber"]), []).append(d["SerialNumber"])
            attached = _policies(iam, name)
            uf = UserFacts(name, arn, console, reset, len(keys), devices,
                           report.get(name, {}).get("mfa_active") == "true", attached,
                           "AdministratorAccess" in attached)
            _enforcement(iam, uf, account)
            facts.users.append(uf)
    return facts


def _enforcement(iam: Any, uf: UserFacts, account: str) -> None:
    for action in PROBE_READS:
        if _simulate(iam, uf.arn, uf.name, action, "*", "true") == "allowed":
            uf.probe_action = action
            break
    if uf.probe_action:
        uf.read_with_mfa = "allowed"
        uf.read_console_no_mfa = _simulate(iam, uf.arn, uf.name, uf.probe_action, "*", "false")
        uf.read_keys_no_mfa = _simulate(iam, uf.arn, uf.name, uf.probe_action, "*", None)
    else:
        uf.read_with_mfa = "implicitDeny"
    uf.change_password_no_mfa = _simulate(iam, uf.arn, uf.name, "iam:ChangePassword", uf.arn, "false")
    uf.enroll_no_mfa = _simulate(iam, uf.arn, uf.name, "iam:EnableMFADevice", uf.arn, "false")
