"""The seed walkthrough as a decision table, the politest corpus, the generator's checked-in files, the lint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfakit.aws.evaluator import compile_policies, evaluate
from mfakit.aws.lint import lint_policies
from mfakit.aws.managed import managed_policy
from mfakit.aws.policygen import (POLICY_FILES, dump_policy, expected_files, forced_mfa_policy, write_all)
from mfakit.config import POLICIES_DIR

ACCT = "123456789012"
ME = f"arn:aws:iam::{ACCT}:user/s-takahashi"
MANAGED = ("AmazonVPCFullAccess", "AmazonEC2FullAccess", "IAMReadOnlyAccess")
SEED_POST = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_fb217d49d8cab26f.txt"


@pytest.fixture(scope="module")
def seed_set():
    return compile_policies([("forced-mfa-self-manage", forced_mfa_policy("seed"))]
                            + [(n, managed_policy(n)) for n in MANAGED])


MFA_CONTEXTS = {"absent": None, "false": {"aws:MultiFactorAuthPresent": "false"},
                "true": {"aws:MultiFactorAuthPresent": "true"}}
REQUESTS = {
    "ec2:DescribeVpcs": "*",
    "iam:ListUsers": "*",
    "iam:ChangePassword": ME,
    "iam:CreateVirtualMFADevice": f"arn:aws:iam::{ACCT}:mfa/s-takahashi-AuthenticatorApp",
    "iam:EnableMFADevice": ME,
    "iam:DeleteUser": ME,
    "sts:GetSessionToken": "*",
}
# decision table: action -> (no MFA key, "false", "true")
TABLE = {
    "ec2:DescribeVpcs": ("explicitDeny", "explicitDeny", "allowed"),
    "iam:ListUsers": ("explicitDeny", "explicitDeny", "allowed"),
    "iam:ChangePassword": ("allowed", "allowed", "allowed"),
    "iam:CreateVirtualMFADevice": ("allowed", "allowed", "allowed"),
    "iam:EnableMFADevice": ("allowed", "allowed", "allowed"),
    "iam:DeleteUser": ("explicitDeny", "explicitDeny", "implicitDeny"),
    # decided like any action (nothing allows it); AWS never authorizes it by policy: the embedded AWS lets it pass
    "sts:GetSessionToken": ("implicitDeny", "implicitDeny", "implicitDeny"),
}


@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("mfa", list(MFA_CONTEXTS))
def test_seed_decision_table(seed_set, action: str, mfa: str) -> None:
    expected = TABLE[action][list(MFA_CONTEXTS).index(mfa)]
    res = evaluate(seed_set, action, REQUESTS[action], MFA_CONTEXTS[mfa])
    assert res.decision == expected, res.reason


def test_seed_deny_reason_names_statement_and_condition(seed_set) -> None:
    res = evaluate(seed_set, "ec2:DescribeVpcs", "*")
    assert res.reason == ("explicit deny: forced-mfa-self-manage / DenyAllExceptListedIfNoMFA "
                          "(aws:MultiFactorAuthPresent absent → BoolIfExists is true)")
    assert [m.sid for m in res.matched if m.effect == "Deny"] == ["DenyAllExceptListedIfNoMFA"]
    text = "\n".join(res.explain())
    assert "AmazonVPCFullAccess" in text and "AmazonEC2FullAccess" in text


def test_seed_after_mfa_explains_why_deny_did_not_apply(seed_set) -> None:
    res = evaluate(seed_set, "ec2:DescribeVpcs", "*", {"aws:MultiFactorAuthPresent": "true"})
    deny = [m for m in res.considered if m.effect == "Deny"]
    assert len(deny) == 1 and not deny[0].applied
    assert deny[0].conditions[0].why == ('aws:MultiFactorAuthPresent = "true" matches none of "false" '
                                         '→ BoolIfExists is false')


def test_politest_corpus(shared_fixtures: Path) -> None:
    cases = json.loads((shared_fixtures / "iam-corpus" / "politest" / "identity_only_cases.json").read_text())
    words = {"Allowed": "allowed", "ExplicitlyDenied": "explicitDeny", "ImplicitlyDenied": "implicitDeny"}
    assert len(cases) == 32
    failures = []
    for c in cases:
        req = c["request"]
        res = evaluate(c["identityPolicies"], req["action"], req["resource"]["resource"], req["context"] or None)
        if res.decision != words[c["expected"]["response"]]:
            failures.append((c["name"], res.decision, res.reason))
    assert failures == []


# --- generator -----------------------------------------------------------------------------------------------
def test_seed_variant_equals_the_seed_post() -> None:
    if not SEED_POST.is_file():
        pytest.skip("../shared/seed is absent")
    text = SEED_POST.read_text(encoding="utf-8")
    start = text.index('{\n"Version"')
    doc, _ = json.JSONDecoder().raw_decode(text[start:])
    assert forced_mfa_policy("seed") == doc


def test_checked_in_policies_are_current() -> None:
    for name, text in expected_files().items():
        assert (POLICIES_DIR / name).read_text(encoding="utf-8") == text, f"run: mfakit aws policy --write-all ({name})"


def test_write_all_writes_every_file(tmp_path: Path) -> None:
    paths = write_all(tmp_path)
    assert sorted(p.name for p in paths) == sorted(POLICY_FILES)
    assert json.loads(paths[0].read_text())["Version"] == "2012-10-17"


def test_aws_example_structure() -> None:
    doc = forced_mfa_policy("aws")
    sids = [s["Sid"] for s in doc["Statement"]]
    assert sids[0] == "AllowViewAccountInfo" and sids[-1] == "DenyAllExceptListedIfNoMFA" and len(sids) == 9
    deny = doc["Statement"][-1]
    assert deny["NotAction"] == ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
                                 "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
                                 "sts:GetSessionToken"]
    assert deny["Condition"] == {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    assert doc["Statement"][1]["Resource"] == "arn:aws:iam::*:user/${aws:username}"
    assert dump_policy(doc).startswith('{\n    "Version": "2012-10-17",\n    "Statement": [\n')


def test_generator_options() -> None:
    doc = forced_mfa_policy("aws", user="alice", allow_password_change=True, allow_users_page=True)
    st = {s["Sid"]: s for s in doc["Statement"]}
    exceptions = st["DenyAllExceptListedIfNoMFA"]["NotAction"]
    assert {"iam:ChangePassword", "iam:GetAccountPasswordPolicy", "iam:ListUsers"} <= set(exceptions)
    assert exceptions[-1] == "sts:GetSessionToken"
    assert "iam:ListUsers" in st["AllowViewAccountInfo"]["Action"]
    assert st["AllowManageOwnPasswords"]["Resource"] == "arn:aws:iam::*:user/alice"
    seed_var = forced_mfa_policy("seed", user="${aws:username}", allow_password_change=False)
    assert "iam:ChangePassword" not in seed_var["Statement"][-1]["NotAction"]
    assert seed_var["Statement"][1]["Resource"].endswith("${aws:username}")


def test_generator_refuses_bad_input() -> None:
    from mfakit.errors import PolicyError

    with pytest.raises(PolicyError):
        forced_mfa_policy("nope")
    with pytest.raises(PolicyError):
        forced_mfa_policy("aws", user="a/b")


# --- lint ----------------------------------------------------------------------------------------------------
def _ids(findings) -> set[str]:
    return {f.id for f in findings}


def test_lint_aws_example_reports_deadlock() -> None:
    findings = lint_policies([("forced-mfa", forced_mfa_policy("aws"))])
    dead = [f for f in findings if f.id == "MFA001"]
    assert len(dead) == 1 and dead[0].severity == "error"
    assert dead[0].statement == "forced-mfa / DenyAllExceptListedIfNoMFA"
    assert "ChangePassword" in dead[0].fix
    assert "MFA004" in _ids(findings)  # sts:GetSessionToken has no effect
    assert "MFA006" not in _ids(findings)  # uses ${aws:username}


def test_lint_seed_variant_has_no_deadlock(seed_set) -> None:
    alone = lint_policies([("forced-mfa-self-manage", forced_mfa_policy("seed"))])
    ids = _ids(alone)
    assert "MFA001" not in ids and "MFA002" not in ids
    assert {"MFA009", "MFA006", "MFA004", "MFA008"} <= ids  # password without MFA, hard-coded name, ...
    unallowed = [f for f in alone if f.id == "MFA005"]
    assert [f.message.split()[0] for f in unallowed] == ["iam:GetMFADevice"]
    # with IAMReadOnlyAccess attached (iam:Get*), GetMFADevice is allowed: the finding goes away
    assert "MFA005" not in _ids(lint_policies(seed_set))


def test_lint_after_password_option_no_deadlock() -> None:
    ids = _ids(lint_policies([forced_mfa_policy("aws", allow_password_change=True)]))
    assert "MFA001" not in ids and "MFA009" in ids and "MFA008" not in ids


def test_lint_bool_instead_of_boolifexists() -> None:
    doc = forced_mfa_policy("aws", allow_password_change=True)
    deny = doc["Statement"][-1]
    deny["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    found = [f for f in lint_policies([doc]) if f.id == "MFA003"]
    assert len(found) == 1 and "BoolIfExists" in found[0].fix


def test_lint_missing_version_and_no_enforcement() -> None:
    doc = forced_mfa_policy("aws")
    del doc["Version"]
    findings = {f.id: f for f in lint_policies([doc])}
    assert findings["MFA007"].severity == "error"  # variables become literal
    plain = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    findings = {f.id: f for f in lint_policies([plain])}
    assert findings["MFA007"].severity == "warning" and "MFA000" in findings


def test_lint_mfa_registration_blocked() -> None:
    doc = forced_mfa_policy("aws", allow_password_change=True)
    doc["Statement"][-1]["NotAction"] = ["iam:ChangePassword", "iam:GetAccountPasswordPolicy"]
    found = [f for f in lint_policies([doc]) if f.id == "MFA002"]
    assert found and "iam:EnableMFADevice" in found[0].message


def test_lint_deny_with_variable() -> None:
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::home/${aws:username}/*"}]}
    assert "MFA010" in _ids(lint_policies([doc]))
