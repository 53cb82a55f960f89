"""Hostile policy files and a full disk (issue 11, AWS part): one line, exit 2, never a crash."""

from __future__ import annotations

import errno
import json

from cli_support import run_cli


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("mfakit: error:") and "Traceback" not in err, err
    return lines[0]


def test_lint_sid_that_looks_like_markup(tmp_path, capsys):
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": "[/x]", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
        {"Sid": "[bold red]boom[/]", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    code, out, err = run_cli(["aws", "lint", str(path)], capsys)
    assert code == 1 and "Traceback" not in err and "unexpected" not in err, err
    assert "[/x]" in out  # shown literally, not read as a closing tag


def test_deeply_nested_policy(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    for argv in (["aws", "lint", str(path)], ["aws", "eval", "-p", str(path), "-a", "s3:GetObject"]):
        code, _, err = run_cli(argv, capsys)
        assert code == 2
        assert str(path) in _one_error_line(err) and "nested too deeply" in err


def test_five_thousand_digit_number(tmp_path, capsys):
    path = tmp_path / "num.json"
    path.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", '
                    '"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ' + "9" * 5000 + "}}}]}")
    code, _, err = run_cli(["aws", "lint", str(path)], capsys)
    assert code == 2 and str(path) in _one_error_line(err)


def test_policy_output_on_a_full_disk(tmp_path, capsys, monkeypatch):
    import mfakit.fileio as fileio

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    target = tmp_path / "policy.json"
    code, out, err = run_cli(["aws", "policy", "--variant", "seed", "-o", str(target)], capsys)
    assert code == 2 and out == ""
    line = _one_error_line(err)
    assert "policy.json" in line and ("space" in line.lower() or "full" in line.lower())
    assert not target.exists() and list(tmp_path.iterdir()) == []  # no half-written file left behind
