"""Lint for MFA-enforcement policies: findings with an id, a severity, the statement concerned and a fix.

The first-sign-in checks are not pattern matching: they *evaluate* a new user's journey without MFA
(console session, ``aws:MultiFactorAuthPresent = "false"``) with the kit's evaluator over the whole policy set.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from mfakit.aws.evaluator import compile_policies, evaluate
from mfakit.aws.evaluator.compile import CompiledPolicySet, Statement

ACCOUNT = "123456789012"
MFA_KEY = "aws:multifactorauthpresent"
SEVERITIES = ("error", "warning", "info")
_USER_RE = re.compile(r":user/(?:[^*?$]*/)?([^/*?$]+)$")

#: The steps a new user takes before having MFA, and the resource each one concerns.
JOURNEY = ("iam:ChangePassword", "iam:GetAccountPasswordPolicy", "iam:GetUser", "iam:CreateVirtualMFADevice",
           "iam:EnableMFADevice", "iam:ListMFADevices")
_ACCOUNT_LEVEL = {"iam:getaccountpasswordpolicy", "iam:listvirtualmfadevices", "iam:listusers",
                  "iam:getaccountsummary", "sts:getsessiontoken"}
_MFA_RESOURCE = {"iam:createvirtualmfadevice", "iam:deletevirtualmfadevice"}
_SESSION_TOKEN = "sts:getsessiontoken"


@dataclass(frozen=True)
class Finding:
    """One lint result. ``statement`` is ``policy / Sid`` (or None when the finding concerns the whole set)."""
    id: str
    severity: str
    message: str
    statement: str | None
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _resource_for(action: str, user: str) -> str:
    a = action.lower()
    if a in _ACCOUNT_LEVEL:
        return "*"
    if a in _MFA_RESOURCE:
        return f"arn:aws:iam::{ACCOUNT}:mfa/{user}"
    return f"arn:aws:iam::{ACCOUNT}:user/{user}"


def _journey_user(cps: CompiledPolicySet) -> str:
    """A hard-coded user name found in the policies, or a placeholder (``${aws:username}`` is then supplied)."""
    for st in cps.statements:
        for p in st.resource.patterns:
            m = _USER_RE.search(p)
            if m:
                return m.group(1)
    return "new-user"


def _mfa_denies(cps: CompiledPolicySet) -> list[Statement]:
    return [st for st in cps.statements if st.effect == "Deny" and any(c.lkey == MFA_KEY for c in st.conditions)]


def _decide(cps: CompiledPolicySet, action: str, user: str, mfa: str | None):
    ctx = {"aws:username": user}
    if mfa is not None:
        ctx["aws:MultiFactorAuthPresent"] = mfa
    return evaluate(cps, action, _resource_for(action, user), ctx)


def _deny_label(res) -> str | None:
    return next((m.label for m in res.matched if m.effect == "Deny"), None)


def lint_policies(policies: Sequence[Any] | CompiledPolicySet) -> list[Finding]:
    """Lint a policy set (dicts, JSON text or (name, document) pairs, e.g. a user's attached policies)."""
    cps = compile_policies(policies)
    user = _journey_user(cps)
    findings: list[Finding] = []
    findings += _check_versions(cps)
    denies = _mfa_denies(cps)
    if not denies:
        findings.append(Finding("MFA000", "warning", "no Deny statement is conditioned on "
                                "aws:MultiFactorAuthPresent: nothing forces MFA", None,
                                "attach the forced-MFA policy (mfakit aws policy)"))
    else:
        findings += _check_journey(cps, user)
    findings += _check_bool(cps)
    findings += _check_session_token(cps)
    findings += _check_exceptions(cps, denies, user)
    findings += _check_user_names(cps)
    findings += _check_deny_variables(cps)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.id))


def _check_journey(cps: CompiledPolicySet, user: str) -> list[Finding]:
    out: list[Finding] = []
    res = {a: _decide(cps, a, user, "false") for a in JOURNEY}
    change = res["iam:ChangePassword"]
    if not change.allowed:
        out.append(Finding(
            "MFA001", "error",
            f"first-sign-in deadlock: a new user who must change their password cannot (iam:ChangePassword without "
            f"MFA → {change.decision}: {change.reason}); without signing in they can never register MFA, and only "
            f"an administrator can break the loop",
            _deny_label(change),
            "add iam:ChangePassword (AWS also names iam:GetAccountPasswordPolicy) to the NotAction list of the "
            "MFA deny statement (mfakit aws policy --allow-password-change), or create users without "
            "'must change password at next sign-in'"))
    else:
        out.append(Finding(
            "MFA009", "warning",
            "the password can be changed without MFA (iam:ChangePassword is allowed with "
            "aws:MultiFactorAuthPresent = false); AWS does not recommend this: a stolen password alone can replace "
            "the password", _deny_label(change) or next((m.label for m in change.matched), None),
            "accept the risk knowingly, or remove iam:ChangePassword from the exceptions and create users "
            "without a forced password change"))
        pol = res["iam:GetAccountPasswordPolicy"]
        if not pol.allowed:
            out.append(Finding(
                "MFA008", "info",
                f"iam:GetAccountPasswordPolicy is not allowed without MFA ({pol.decision}): the forced password "
                f"change works, but the console cannot show the password rules",
                _deny_label(pol),
                "add iam:GetAccountPasswordPolicy to the exceptions, as AWS's note suggests"))
    blocked = [a for a in JOURNEY[2:] if not res[a].allowed]
    if blocked:
        out.append(Finding(
            "MFA002", "error",
            "a user without MFA cannot register MFA: " + ", ".join(f"{a} → {res[a].decision}" for a in blocked),
            _deny_label(res[blocked[0]]) or next((m.label for m in res[blocked[0]].considered), None),
            "list these actions in the MFA deny statement's NotAction and allow them on the user's own ARN"))
    return out


def _check_bool(cps: CompiledPolicySet) -> list[Finding]:
    out = []
    for st in cps.statements:
        for c in st.conditions:
            if (st.effect == "Deny" and c.lkey == MFA_KEY and c.family == "bool" and not c.if_exists
                    and c.qualifier is None and "false" in [v.lower() for v in c.values]):
                out.append(Finding(
                    "MFA003", "warning",
                    "Bool on aws:MultiFactorAuthPresent: the key is absent for long-term access keys, so Bool is "
                    "false and the deny does not apply; calls signed with access keys slip through without MFA",
                    st.label, 'use "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}'))
    return out


def _check_session_token(cps: CompiledPolicySet) -> list[Finding]:
    out = []
    for st in cps.statements:
        if any(a.lower() == _SESSION_TOKEN for a in st.actions):
            kind = "exempts" if st.not_action else ("allows" if st.effect == "Allow" else "denies")
            out.append(Finding(
                "MFA004", "info",
                f"this statement {kind} sts:GetSessionToken, which has no effect: AWS does not control "
                "authentication operations by policy (no permission is needed and none can deny it)",
                st.label, "nothing to do (harmless; AWS's example lists it too)"))
    return out


def _check_exceptions(cps: CompiledPolicySet, denies: list[Statement], user: str) -> list[Finding]:
    out = []
    for st in denies:
        if not st.not_action:
            continue
        for a in st.actions:
            if a.lower() == _SESSION_TOKEN or "*" in a or "?" in a:
                continue
            res = _decide(cps, a, user, "false")
            if not res.allowed:
                out.append(Finding(
                    "MFA005", "warning",
                    f"{a} is exempted from the MFA deny but nothing in the policy set allows it "
                    f"({res.decision}): the user still cannot do it without MFA",
                    st.label, f"allow {a} on the user's own resource, or drop it from the NotAction list"))
    return out


def _check_user_names(cps: CompiledPolicySet) -> list[Finding]:
    out = []
    for pol in cps.policies:
        names: dict[str, list[str]] = {}
        for st in pol.statements:
            for p in st.resource.patterns:
                m = _USER_RE.search(p)
                if m and "${" not in p:
                    names.setdefault(m.group(1), []).append(st.sid or f"statement {st.index}")
        for name, sids in names.items():
            sids = list(dict.fromkeys(sids))
            out.append(Finding(
                "MFA006", "info",
                f"user name {name!r} is hard-coded in {len(sids)} statement(s) ({', '.join(sids)}): the policy "
                f"fits one user only",
                f"{pol.name} / {sids[0]}",
                "use arn:aws:iam::*:user/${aws:username} (Version 2012-10-17) so one policy serves every user"))
    return out


def _check_versions(cps: CompiledPolicySet) -> list[Finding]:
    out = []
    for pol in cps.policies:
        if pol.version == "2012-10-17":
            continue
        uses_vars = "${" in str(pol.document.get("Statement"))
        what = "has no Version" if pol.version is None else f"has the old Version {pol.version}"
        out.append(Finding(
            "MFA007", "error" if uses_vars else "warning",
            f"the policy {what}: policy variables are not substituted"
            + (" and its ${...} are matched literally, so those statements match nothing" if uses_vars else ""),
            pol.name, 'add "Version": "2012-10-17"'))
    return out


def _check_deny_variables(cps: CompiledPolicySet) -> list[Finding]:
    out = []
    for pol in cps.policies:
        if pol.version != "2012-10-17":
            continue
        for st in pol.statements:
            if st.effect == "Deny" and "${" in str(st.raw.get("Resource", st.raw.get("NotResource", ""))) + str(
                    st.raw.get("Condition", "")):
                out.append(Finding(
                    "MFA010", "warning",
                    "a Deny statement uses a policy variable without a default: when its key is absent (e.g. "
                    "aws:username for role sessions) AWS may treat the statement as invalid and the deny is "
                    "skipped (the kit's evaluator ignores it)",
                    st.label, "give the variable a default, e.g. ${aws:username, 'none'}, or avoid it in Deny"))
    return out
