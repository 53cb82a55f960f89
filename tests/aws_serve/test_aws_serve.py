"""``mfakit aws serve`` in its own process: the real AWS CLI replays the walkthrough's core and gets AWS's
answers; live mode (profiles, confirmation, tags, ledger, clean-up) runs over HTTP against it; an endpoint
answering HTTP 500 is reported in one line with exit status 2. Only 127.0.0.1 is ever contacted."""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3
import pyotp
import pytest

from mfakit.aws.cli_commands import find_aws
from mfakit.aws.policygen import forced_mfa_policy

USER = "s-takahashi"  # the live walkthrough's user
CLI_USER = "cli-replay"


@pytest.fixture(scope="module")
def served():
    proc = subprocess.Popen([sys.executable, "-m", "mfakit.cli.main", "aws", "serve"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    info = json.loads(line)
    yield proc, info
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _admin(info):
    return boto3.Session(aws_access_key_id=info["admin"]["aws_access_key_id"],
                         aws_secret_access_key=info["admin"]["aws_secret_access_key"], region_name=info["region"])


def _aws(info, creds, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": creds[0], "AWS_SECRET_ACCESS_KEY": creds[1], "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_MAX_ATTEMPTS": "1"})
    if len(creds) > 2:
        env["AWS_SESSION_TOKEN"] = creds[2]
    return subprocess.run([find_aws(), "--endpoint-url", info["endpoint"], "--output", "json", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_json_line_and_loopback(served):
    _, info = served
    assert set(info) == {"endpoint", "region", "admin"}
    assert info["endpoint"].startswith("http://127.0.0.1:")
    assert info["admin"]["aws_access_key_id"] == "MFAKITEMBEDDEDADMIN0"  # the embedded fake key, never AKIA...
    import requests

    assert requests.get(info["endpoint"] + "/moto-api/data.json", timeout=5).status_code == 403


@pytest.mark.skipif(find_aws() is None, reason="the AWS CLI is not installed (pip install -e '.[test]')")
def test_aws_cli_replays_the_walkthrough(served):
    _, info = served
    admin = _admin(info)
    iam = admin.client("iam", endpoint_url=info["endpoint"])
    arn = iam.create_policy(PolicyName="forced-mfa-cli-replay",
                            PolicyDocument=json.dumps(forced_mfa_policy("seed", user=CLI_USER)))["Policy"]["Arn"]
    iam.create_user(UserName=CLI_USER)
    for a in (arn, "arn:aws:iam::aws:policy/AmazonVPCFullAccess", "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
              "arn:aws:iam::aws:policy/IAMReadOnlyAccess"):
        iam.attach_user_policy(UserName=CLI_USER, PolicyArn=a)
    key = iam.create_access_key(UserName=CLI_USER)["AccessKey"]
    user = (key["AccessKeyId"], key["SecretAccessKey"])

    denied = _aws(info, user, "ec2", "describe-vpcs")  # before MFA: AWS's EC2 answer
    assert denied.returncode != 0
    assert "(UnauthorizedOperation)" in denied.stderr and "You are not authorized to perform this operation." \
        in denied.stderr and "with an explicit deny in an identity-based policy" in denied.stderr
    # IAM's answer over HTTP (boto3 here: each `aws` process costs a second): the user path as the resource
    from botocore.exceptions import ClientError

    uiam = boto3.Session(aws_access_key_id=user[0], aws_secret_access_key=user[1],
                         region_name="us-east-1").client("iam", endpoint_url=info["endpoint"])
    with pytest.raises(ClientError) as exc:
        uiam.list_users()
    assert exc.value.response["Error"]["Code"] == "AccessDenied"
    assert "on resource: arn:aws:iam::123456789012:user/ with" in exc.value.response["Error"]["Message"]

    made = _aws(info, user, "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", f"{CLI_USER}-App",
                "--outfile", "/dev/stdout", "--bootstrap-method", "Base32StringSeed")
    assert made.returncode == 0, made.stderr
    seed, _, rest = made.stdout.partition("{")
    serial = json.loads("{" + rest)["VirtualMFADevice"]["SerialNumber"]
    totp, now = pyotp.TOTP(seed.strip()), time.time()
    enabled = _aws(info, user, "iam", "enable-mfa-device", "--user-name", CLI_USER, "--serial-number", serial,
                   "--authentication-code1", totp.at(now - 30), "--authentication-code2", totp.at(now))
    assert enabled.returncode == 0, enabled.stderr
    token = _aws(info, user, "sts", "get-session-token", "--serial-number", serial, "--token-code",
                 totp.at(time.time() + 30))
    assert token.returncode == 0, token.stderr
    c = json.loads(token.stdout)["Credentials"]
    mfa = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    vpcs = _aws(info, mfa, "ec2", "describe-vpcs")  # the same read, now allowed
    assert vpcs.returncode == 0 and json.loads(vpcs.stdout)["Vpcs"]
    mfa_iam = boto3.Session(aws_access_key_id=mfa[0], aws_secret_access_key=mfa[1], aws_session_token=mfa[2],
                            region_name="us-east-1").client("iam", endpoint_url=info["endpoint"])
    assert CLI_USER in [u["UserName"] for u in mfa_iam.list_users()["Users"]]


def _profile_files(tmp_path: Path, endpoint: str, info) -> dict[str, str]:
    (tmp_path / "config").write_text(f"[profile local]\nregion = us-east-1\nendpoint_url = {endpoint}\n"
                                     "max_attempts = 1\n")
    (tmp_path / "credentials").write_text(f"[local]\naws_access_key_id = {info['admin']['aws_access_key_id']}\n"
                                          f"aws_secret_access_key = {info['admin']['aws_secret_access_key']}\n")
    return {"AWS_CONFIG_FILE": str(tmp_path / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
            "XDG_STATE_HOME": str(tmp_path / "state")}


def test_live_mode_over_http(served, tmp_path, monkeypatch, capsys):
    """The whole --live path against the local endpoint: profile, typed confirmation, tags, ledger, clean-up."""
    from cli_support import run_cli

    _, info = served
    for k, v in _profile_files(tmp_path, info["endpoint"], info).items():
        monkeypatch.setenv(k, v)
    for k in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(k, raising=False)
    admin = _admin(info).client("iam", endpoint_url=info["endpoint"])
    import mfakit.cli.aws_walkthrough as cmd

    monkeypatch.setattr(cmd, "_ask", lambda prompt: "local")  # the typed confirmation: the profile's name
    code, out, err = run_cli(["aws", "demo", "--live", "--profile", "local", "--format", "json", "--keep"], capsys)
    assert code == 0, err
    steps = {s["name"]: s for s in json.loads(out)}
    assert steps["no-mfa-describe-vpcs"]["aws_error_code"] == "UnauthorizedOperation"
    assert steps["no-mfa-list-users"]["aws_error_code"] == "AccessDenied"
    assert steps["mfa-describe-vpcs"]["decision"] == "allowed"
    assert steps["console-security-key"]["decision"] == "skipped"  # not interactive: nobody could do it
    assert "aws --profile" in steps["create-user"]["cli"]
    tags = admin.list_user_tags(UserName=USER)["Tags"]
    assert {"Key": "mfakit:demo", "Value": "walkthrough"} in tags
    ledger = json.loads((tmp_path / "state" / "mfakit" / "aws-demo-123456789012.json").read_text())
    assert USER in ledger["user"] and ledger["device"]
    assert "Mk-" not in out + err  # the password never printed
    code, out, err = run_cli(["aws", "cleanup", "--live", "--profile", "local", "--yes", "--format", "json"], capsys)
    assert code == 0, err
    assert f"deleted user {USER}" in json.loads(out)["removed"]
    assert USER not in [u["UserName"] for u in admin.list_users()["Users"]]
    code, out, err = run_cli(["aws", "cleanup", "--live", "--profile", "local", "--yes", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["removed"] == []  # idempotent


class _Http500(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        body = b"<ErrorResponse><Error><Code>InternalFailure</Code><Message>boom\nline two</Message></Error></ErrorResponse>"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_http_500_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    from cli_support import run_cli

    server = http.server.HTTPServer(("127.0.0.1", 0), _Http500)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        info = {"admin": {"aws_access_key_id": "MFAKITEMBEDDEDADMIN0", "aws_secret_access_key": "x"}}
        for k, v in _profile_files(tmp_path, f"http://127.0.0.1:{server.server_port}", info).items():
            monkeypatch.setenv(k, v)
        for argv in (["aws", "demo", "--live", "--profile", "local", "--yes"],
                     ["aws", "cleanup", "--live", "--profile", "local", "--yes"],
                     ["aws", "audit", "--live", "--profile", "local"]):
            code, out, err = run_cli(argv, capsys)
            assert code == 2, (argv, err)
            lines = [line for line in err.splitlines() if line.startswith("mfakit: error:")]
            assert len(lines) == 1 and "HTTP 500" in lines[0] and "Traceback" not in err
    finally:
        server.shutdown()


def test_serve_stops_cleanly_on_sigterm():
    proc = subprocess.Popen([sys.executable, "-m", "mfakit.cli.main", "aws", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    assert info["endpoint"].startswith("http://127.0.0.1:")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    assert "Traceback" not in proc.stderr.read()


def test_serve_port_in_use_is_one_line_exit_2(capsys):
    import socket

    from cli_support import run_cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code, out, err = run_cli(["aws", "serve", "--port", str(busy.getsockname()[1])], capsys)
    assert code == 2 and out == "" and "cannot listen on 127.0.0.1:" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(["aws", "serve", "--port", "70000"], capsys)
    assert code == 2 and "--port" in err
