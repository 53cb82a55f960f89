"""``mfakit aws demo --cli``: the walkthrough's AWS CLI commands (the full run with the real CLI is replayed,
in its core, by test_aws_serve.py::test_aws_cli_replays_the_walkthrough)."""

from __future__ import annotations

import json

from cli_support import run_cli

from mfakit.aws.walkthrough import STEP_NAMES


def test_dry_run_lists_a_command_for_every_api_step(capsys):
    code, out, err = run_cli(["aws", "demo", "--cli", "--dry-run", "--format", "json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    steps = {r["step"] for r in rows}
    assert steps == set(STEP_NAMES) - {"admin-breaks-deadlock", "console-security-key", "verify-security-key"}
    assert all(r["expected"] == "ok" for r in rows if r["step"] == "no-mfa-change-password")  # seed policy
    assert all(r["command"].startswith("aws --profile ") for r in rows)
    expect = {r["step"]: r["expected"] for r in rows}
    assert expect["no-mfa-describe-vpcs"] == "UnauthorizedOperation" and expect["no-mfa-list-users"] == "AccessDenied"
    assert any("--profile s-takahashi-mfa ec2 describe-vpcs" in r["command"] for r in rows)
    assert "<code>" in out and "<initial password>" in out  # placeholders, never a value


def test_dry_run_aws_variant_shows_the_deadlock(capsys):
    code, out, _ = run_cli(["aws", "demo", "--cli", "--dry-run", "--policy", "aws", "--format", "json"], capsys)
    rows = {r["step"]: r for r in json.loads(out)}
    assert code == 0 and rows["no-mfa-change-password"]["expected"] == "AccessDenied"
    assert "update-login-profile --user-name s-takahashi --no-password-reset-required" in \
        rows["admin-breaks-deadlock"]["command"]


def test_text_dry_run(capsys):
    code, out, _ = run_cli(["aws", "demo", "--cli", "--dry-run"], capsys)
    assert code == 0 and out.startswith("# create-policy\naws --profile mfakit-admin iam create-policy")
    assert "# AWS answers UnauthorizedOperation" in out


def test_cli_refuses_live_and_needs_the_aws_program(capsys, monkeypatch):
    code, _, err = run_cli(["aws", "demo", "--cli", "--live", "--profile", "x"], capsys)
    assert code == 2 and "--dry-run" in err
    import mfakit.aws.cli_commands as cc

    monkeypatch.setattr(cc, "find_aws", lambda: None)
    code, _, err = run_cli(["aws", "demo", "--cli"], capsys)
    assert code == 2 and "mfakit[aws-cli]" in err and len(err.strip().splitlines()) == 1
