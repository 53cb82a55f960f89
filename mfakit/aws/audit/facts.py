"""Collect what the audit needs from an account (embedded or live) through the API only."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from mfakit.aws.audit.devices import device_type

#: Tried first when probing enforcement; after them, the actions the user's own policies allow.
PROBE_READS = ("ec2:DescribeVpcs", "ec2:DescribeInstances", "s3:ListAllMyBuckets", "iam:ListUsers")
#: The "with MFA" request context: an MFA session carries both keys (IAM User Guide, "AWS global condition
#: context keys": aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge, seconds since MFA).
MFA_AGE = "60"


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
    groups: list[str] = field(default_factory=list)

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
    root_mfa_active: bool = False  # credential report, <root_account> row, mfa_active
    account_mfa_enabled: bool = False  # GetAccountSummary AccountMFAEnabled
    root_virtual_mfa: bool = False  # a virtual device assigned to the root user (by its User ARN, not its name)
    password_expires: bool = False  # the account password policy sets MaxPasswordAge
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {"policies": [arn], "users": [..]}


def _simulate(iam: Any, arn: str, user: str, action: str, resource: str, mfa: str | None) -> str:
    return _simulate_many(iam, arn, user, [action], resource, mfa)[action]


def _simulate_many(iam: Any, arn: str, user: str, actions: list[str], resource: str,
                   mfa: str | None) -> dict[str, str]:
    """One SimulatePrincipalPolicy call for several actions: action -> EvalDecision."""
    entries = [{"ContextKeyName": "aws:username", "ContextKeyValues": [user], "ContextKeyType": "string"}]
    if mfa is not None:
        entries.append({"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": [mfa],
                        "ContextKeyType": "boolean"})
    if mfa == "true":
        entries.append({"ContextKeyName": "aws:MultiFactorAuthAge", "ContextKeyValues": [MFA_AGE],
                        "ContextKeyType": "numeric"})
    out: dict[str, str] = {}
    pages = iam.get_paginator("simulate_principal_policy").paginate(
        PolicySourceArn=arn, ActionNames=actions, ResourceArns=[resource], ContextEntries=entries)
    for page in pages:  # a real account pages long answers (IsTruncated/Marker)
        out.update({r["EvalActionName"]: r["EvalDecision"] for r in page["EvaluationResults"]})
    return out


def credential_report(iam: Any, wait: Callable[[float], None] = time.sleep) -> dict[str, dict[str, str]]:
    for attempt in range(20):
        if iam.generate_credential_report().get("State") == "COMPLETE":
            break
        if attempt:  # ask again at once first: a fresh report is often ready by the second call
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
    facts.root_mfa_active = root.get("mfa_active") == "true"
    facts.account_mfa_enabled = bool(iam.get_account_summary()["SummaryMap"].get("AccountMFAEnabled"))
    # A root virtual device is known by the user it is assigned to (arn:aws:iam::ACCT:root), not by its name:
    # the console lets the person name it (mfa/my-phone); root-account-mfa-device was only the old default.
    facts.root_virtual_mfa = any(d.get("User", {}).get("Arn", "").endswith(":root") for page in
                                 iam.get_paginator("list_virtual_mfa_devices").paginate(AssignmentStatus="Assigned")
                                 for d in page["VirtualMFADevices"])
    try:
        facts.password_expires = bool(iam.get_account_password_policy()["PasswordPolicy"].get("MaxPasswordAge"))
    except ClientError:
        facts.password_expires = False  # NoSuchEntity: no password policy, passwords never expire
    for page in iam.get_paginator("list_groups").paginate():
        for g in page["Groups"]:
            gname = g["GroupName"]
            facts.groups[gname] = {
                "policies": [p["PolicyArn"] for p in iam.list_attached_group_policies(GroupName=gname)[
                    "AttachedPolicies"]],
                "users": [u["UserName"] for u in iam.get_group(GroupName=gname)["Users"]]}
    policy_docs: dict[str, Any] = {}
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
            direct = [p["PolicyName"] for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]]
            uf = UserFacts(name, arn, console, reset, len(keys), devices,
                           report.get(name, {}).get("mfa_active") == "true", attached,
                           "AdministratorAccess" in direct)
            uf.groups = [g for g, info in facts.groups.items() if name in info["users"]]
            _enforcement(iam, uf, account, _granted_actions(session, iam, name, policy_docs))
            facts.users.append(uf)
    return facts


def _granted_actions(session: Any, iam: Any, user: str, seen: dict[str, Any] | None = None) -> list[str]:
    """Concrete actions the user's own policies allow (wildcards resolved against AWS's Service
    Authorization Reference), so that a user whose only permission is, say, SQS is still probed.
    ``seen`` caches managed policy documents by ARN across users (one read per policy per audit)."""
    from mfakit.aws.audit.granted import allowed_actions

    seen = {} if seen is None else seen

    def managed(arn: str) -> Any:
        if arn not in seen:
            pol = iam.get_policy(PolicyArn=arn)["Policy"]
            seen[arn] = iam.get_policy_version(PolicyArn=arn, VersionId=pol["DefaultVersionId"])[
                "PolicyVersion"]["Document"]
        return seen[arn]

    docs = [managed(p["PolicyArn"]) for p in iam.list_attached_user_policies(UserName=user)["AttachedPolicies"]]
    for pname in iam.list_user_policies(UserName=user)["PolicyNames"]:
        docs.append(iam.get_user_policy(UserName=user, PolicyName=pname)["PolicyDocument"])
    for g in iam.list_groups_for_user(UserName=user)["Groups"]:
        docs += [managed(p["PolicyArn"]) for p in
                 iam.list_attached_group_policies(GroupName=g["GroupName"])["AttachedPolicies"]]
    return allowed_actions(docs)


def _enforcement(iam: Any, uf: UserFacts, account: str, granted: list[str] | None = None) -> None:
    candidates = (list(PROBE_READS) + [a for a in (granted or []) if a not in PROBE_READS])[:100]
    with_mfa = _simulate_many(iam, uf.arn, uf.name, candidates, "*", "true")
    uf.probe_action = next((a for a in candidates if with_mfa.get(a) == "allowed"), "")
    if uf.probe_action:
        uf.read_with_mfa = "allowed"
        uf.read_console_no_mfa = _simulate(iam, uf.arn, uf.name, uf.probe_action, "*", "false")
        uf.read_keys_no_mfa = _simulate(iam, uf.arn, uf.name, uf.probe_action, "*", None)
    else:
        uf.read_with_mfa = "implicitDeny"
    uf.change_password_no_mfa = _simulate(iam, uf.arn, uf.name, "iam:ChangePassword", uf.arn, "false")
    uf.enroll_no_mfa = _simulate(iam, uf.arn, uf.name, "iam:EnableMFADevice", uf.arn, "false")
