"""``mfakit aws policy|lint|eval``: output and exit codes (0 ok, 1 lint error finding, 2 bad input)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfakit.aws.policygen import dump_policy, forced_mfa_policy
from mfakit.cli.main import run
from mfakit.config import POLICIES_DIR


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        run(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_policy_prints_pure_json(capsys) -> None:
    code, out, _ = call(capsys, "aws", "policy", "--variant", "seed")
    assert code == 0 and out == dump_policy(forced_mfa_policy("seed"))


def test_policy_password_change_prints_caveat(capsys, tmp_path: Path) -> None:
    target = tmp_path / "p.json"
    code, out, err = call(capsys, "aws", "policy", "--user", "alice", "--allow-password-change",
                          "--allow-users-page", "--output", str(target))
    assert code == 0 and out == "" and "does not" in err and "recommend" in err
    doc = json.loads(target.read_text())
    assert "iam:GetAccountPasswordPolicy" in doc["Statement"][-1]["NotAction"]
    assert doc["Statement"][1]["Resource"] == "arn:aws:iam::*:user/alice"


def test_policy_bad_variant_exit_2(capsys) -> None:
    code, _, err = call(capsys, "aws", "policy", "--variant", "nope")
    assert code == 2 and "unknown variant" in err


def test_lint_exit_codes(capsys) -> None:
    code, out, _ = call(capsys, "aws", "lint", str(POLICIES_DIR / "forced-mfa-aws-example.json"))
    assert code == 1 and "MFA001" in out
    code, out, _ = call(capsys, "aws", "lint", str(POLICIES_DIR / "forced-mfa-self-manage.json"), "--format",
                        "json")
    assert code == 0
    ids = {f["id"] for f in json.loads(out)}
    assert "MFA001" not in ids and "MFA009" in ids


def test_lint_bad_file_exit_2(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", '
                   '"Condition": {"Boool": {"a": "b"}}}]}')
    code, out, err = call(capsys, "aws", "lint", str(bad))
    assert code == 2 and out == ""
    assert err.strip() == f"mfakit: error: {bad}: statement 0: unknown condition operator 'Boool'"
    code, _, err = call(capsys, "aws", "lint", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err


def test_eval_text_and_json(capsys) -> None:
    seed = str(POLICIES_DIR / "forced-mfa-self-manage.json")
    code, out, _ = call(capsys, "aws", "eval", "--policy", seed, "--policy", "managed:AmazonVPCFullAccess",
                        "--action", "ec2:DescribeVpcs", "--resource", "*")
    assert code == 0 and out.startswith("explicitDeny") and "BoolIfExists is true" in out
    code, out, _ = call(capsys, "aws", "eval", "-p", seed, "-p", "managed:AmazonVPCFullAccess", "-a",
                        "ec2:DescribeVpcs", "-c", "aws:MultiFactorAuthPresent=true", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["decision"] == "allowed"
    assert data["matched"][0]["policy"] == "AmazonVPCFullAccess"


def test_eval_multivalued_context(capsys, tmp_path: Path) -> None:
    p = tmp_path / "p.json"
    p.write_text(json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
        "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}]}))
    code, out, _ = call(capsys, "aws", "eval", "-p", str(p), "-a", "ec2:CreateTags", "-c", "aws:TagKeys=env",
                        "-c", "aws:TagKeys=team", "--format", "json")
    assert json.loads(out)["decision"] == "allowed"
    code, out, _ = call(capsys, "aws", "eval", "-p", str(p), "-a", "ec2:CreateTags", "-c",
                        'aws:TagKeys=["env","cost"]', "--format", "json")
    assert json.loads(out)["decision"] == "implicitDeny"


def test_eval_bad_input_exit_2(capsys) -> None:
    code, _, err = call(capsys, "aws", "eval", "-p", "managed:NoSuchPolicyXyz", "-a", "s3:GetObject")
    assert code == 2 and "unknown AWS managed policy" in err
    code, _, err = call(capsys, "aws", "eval", "-p", "managed:IAMReadOnlyAccess", "-a", "s3:GetObject", "-c",
                        "novalue")
    assert code == 2 and "KEY=VALUE" in err
