"""Live guard rails: no --live / no confirmation → no AWS call; no real credentials inside the embedded AWS."""

from __future__ import annotations

import json
import os

import pytest

from mfakit.cli.main import run


class RecordingSession:
    """A stand-in for boto3.Session that records every use."""

    calls: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        RecordingSession.calls.append(f"Session({kwargs.get('profile_name')})")

    def client(self, name: str, *a, **k):
        RecordingSession.calls.append(f"client({name})")
        raise AssertionError("no AWS client may be created before confirmation")


@pytest.fixture
def stub_boto3(monkeypatch):
    import boto3

    RecordingSession.calls = []
    monkeypatch.setattr(boto3, "Session", RecordingSession)
    return RecordingSession


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        run(argv)
    return exc.value.code, capsys.readouterr()


def test_live_without_confirmation_calls_nothing(stub_boto3, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    code, cap = _run(["aws", "demo", "--live", "--profile", "prod"], capsys)
    assert code == 2 and "confirmation" in cap.err
    assert stub_boto3.calls == []
    code, cap = _run(["aws", "demo", "--live"], capsys)  # no profile: refused
    assert code == 2 and "--profile" in cap.err and stub_boto3.calls == []
    code, cap = _run(["aws", "cleanup", "--live", "--profile", "prod"], capsys)
    assert code == 2 and stub_boto3.calls == []


def test_wrong_typed_confirmation_calls_nothing(stub_boto3, capsys, monkeypatch):
    import mfakit.cli.aws_walkthrough as cmd

    monkeypatch.setattr(cmd, "_ask", lambda prompt: "not-the-profile")
    code, cap = _run(["aws", "demo", "--live", "--profile", "prod"], capsys)
    assert code == 2 and "did not match" in cap.err and stub_boto3.calls == []


def test_embedded_demo_json_uses_no_real_credentials(tmp_path, capsys, monkeypatch):
    """A bogus ~/.aws and real-looking AWS_* variables are ignored; no socket is opened; JSON is pure."""
    import socket

    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIABOGUSHOMEPROFILE\naws_secret_access_key = x\n"
        "[bogus]\naws_access_key_id = AKIABOGUSNAMEDPROF\naws_secret_access_key = y\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_PROFILE", "bogus")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY01")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-looking-secret")
    monkeypatch.setattr(socket.socket, "connect", lambda *a: (_ for _ in ()).throw(AssertionError("network")))

    from mfakit.aws.embedded import embedded
    from mfakit.aws.embedded.env import ADMIN_KEY_ID

    with embedded() as aws:
        import boto3

        assert boto3.Session().get_credentials().access_key == ADMIN_KEY_ID
        assert aws.admin.get_credentials().access_key == ADMIN_KEY_ID
        assert "AWS_PROFILE" not in os.environ
    assert os.environ["AWS_PROFILE"] == "bogus" and os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALLOOKINGKEY01"

    code, cap = _run(["aws", "demo", "--format", "json", "--policy", "aws"], capsys)
    assert code == 0
    steps = json.loads(cap.out)
    assert {"step", "principal", "action", "mfa", "expected", "decision", "reason"} <= set(steps[0])
    assert all(s["ok"] for s in steps)
    rows = {s["name"]: s for s in steps}  # AWS's own answer and the CLI command beside the explanation
    vpcs = rows["no-mfa-describe-vpcs"]
    assert vpcs["cli"] == "aws --profile s-takahashi ec2 describe-vpcs"
    assert vpcs["aws_error_code"] == "UnauthorizedOperation"
    assert vpcs["aws_error_message"].startswith("You are not authorized to perform this operation. User: ")
    assert "DenyAllExceptListedIfNoMFA" in vpcs["reason"]
    assert rows["mfa-describe-vpcs"]["aws_error_code"] == ""
    assert "AKIABOGUS" not in cap.out + cap.err and "AKIAREALLOOKING" not in cap.out + cap.err
