"""The walkthrough as AWS CLI commands: what a person types to replay it in a real account, and a runner that
runs them with the real ``aws`` program against the local endpoint (``mfakit aws serve``).

Each command belongs to a walkthrough step (same names as :data:`mfakit.aws.walkthrough.STEP_NAMES`) and is
run under a profile: ``mfakit-admin`` (an administrator), ``USER`` (the user's access key, no MFA) or
``USER-mfa`` (the temporary credentials from ``sts get-session-token`` with a code). Printed commands use
``--profile``; the runner passes the same credentials through the environment of each ``aws`` process (no
credentials file is written) and masks passwords and codes in what it prints. The virtual device's seed is
read from the CLI's ``--outfile /dev/stdout`` in memory: it never reaches a file.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from mfakit.aws.live import DEMO_USER, MANAGED, POLICY_NAME, TAG_KEY, TAG_VALUE
from mfakit.errors import AwsError

TAG = f"Key={TAG_KEY},Value={TAG_VALUE}"
ADMIN_PROFILE = "mfakit-admin"


@dataclass(frozen=True)
class CliStep:
    """One command of the replay: the walkthrough step it belongs to, the profile, argv (with {fields}),
    and what AWS answers (``ok`` or an error code)."""

    step: str
    profile: str  # "admin" | "user" | "user-mfa"
    args: tuple[str, ...]
    expect: str = "ok"


def steps(user: str = DEMO_USER, variant: str = "seed") -> list[CliStep]:
    """The seed's walkthrough as CLI commands, in order. ``variant="aws"`` (AWS's example policy): the
    password change is denied (the first-sign-in deadlock) and an administrator lifts the reset."""
    name = f"{user}-AuthenticatorApp"
    out: list[CliStep] = [
        CliStep("create-policy", "admin", ("iam", "create-policy", "--policy-name", POLICY_NAME,
                                           "--policy-document", "file://{policy_file}", "--tags", TAG)),
        CliStep("create-user", "admin", ("iam", "create-user", "--user-name", user, "--tags", TAG)),
        CliStep("create-login-profile", "admin", ("iam", "create-login-profile", "--user-name", user,
                                                  "--password", "{password}", "--password-reset-required")),
        CliStep("attach-policies", "admin", ("iam", "attach-user-policy", "--user-name", user, "--policy-arn",
                                             "arn:aws:iam::{account}:policy/" + POLICY_NAME)),
    ]
    out += [CliStep("attach-policies", "admin", ("iam", "attach-user-policy", "--user-name", user, "--policy-arn",
                                                 f"arn:aws:iam::aws:policy/{m}")) for m in MANAGED]
    out += [
        CliStep("create-access-key", "admin", ("iam", "create-access-key", "--user-name", user)),
        CliStep("no-mfa-describe-vpcs", "user", ("ec2", "describe-vpcs"), "UnauthorizedOperation"),
        CliStep("no-mfa-describe-instances", "user", ("ec2", "describe-instances"), "UnauthorizedOperation"),
        CliStep("no-mfa-list-users", "user", ("iam", "list-users"), "AccessDenied"),
        CliStep("no-mfa-change-password", "user", ("iam", "change-password", "--old-password", "{password}",
                                                   "--new-password", "{new_password}"),
                "ok" if variant == "seed" else "AccessDenied"),
    ]
    if variant != "seed":
        out.append(CliStep("admin-breaks-deadlock", "admin", ("iam", "update-login-profile", "--user-name", user,
                                                               "--no-password-reset-required")))
    out += [
        CliStep("create-virtual-mfa-device", "user", ("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name",
                                                      name, "--outfile", "{outfile}", "--bootstrap-method",
                                                      "Base32StringSeed")),
        CliStep("tag-mfa-device", "admin", ("iam", "tag-mfa-device", "--serial-number", "{serial}", "--tags", TAG)),
        CliStep("duplicate-device-name", "user", ("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name",
                                                  name, "--outfile", "{outfile}", "--bootstrap-method",
                                                  "Base32StringSeed"), "EntityAlreadyExists"),
        CliStep("enable-mfa-device", "user", ("iam", "enable-mfa-device", "--user-name", user, "--serial-number",
                                              "{serial}", "--authentication-code1", "{code1}",
                                              "--authentication-code2", "{code2}")),
        CliStep("get-session-token-wrong-code", "user", ("sts", "get-session-token", "--serial-number", "{serial}",
                                                         "--token-code", "{wrong_code}"), "AccessDenied"),
        CliStep("get-session-token", "user", ("sts", "get-session-token", "--serial-number", "{serial}",
                                              "--token-code", "{code}")),
        CliStep("mfa-describe-vpcs", "user-mfa", ("ec2", "describe-vpcs")),
        CliStep("mfa-describe-instances", "user-mfa", ("ec2", "describe-instances")),
        CliStep("mfa-list-users", "user-mfa", ("iam", "list-users")),
        CliStep("clean-up", "admin", ("iam", "deactivate-mfa-device", "--user-name", user, "--serial-number",
                                      "{serial}")),
        CliStep("clean-up", "admin", ("iam", "delete-virtual-mfa-device", "--serial-number", "{serial}")),
        CliStep("clean-up", "admin", ("iam", "delete-access-key", "--user-name", user, "--access-key-id",
                                      "{user_key_id}")),
        CliStep("clean-up", "admin", ("iam", "delete-login-profile", "--user-name", user)),
    ]
    out += [CliStep("clean-up", "admin", ("iam", "detach-user-policy", "--user-name", user, "--policy-arn", arn))
            for arn in ["arn:aws:iam::{account}:policy/" + POLICY_NAME] + [f"arn:aws:iam::aws:policy/{m}"
                                                                           for m in MANAGED]]
    out += [CliStep("clean-up", "admin", ("iam", "delete-user", "--user-name", user)),
            CliStep("clean-up", "admin", ("iam", "delete-policy", "--policy-arn",
                                          "arn:aws:iam::{account}:policy/" + POLICY_NAME))]
    return out


#: What a printed command shows instead of a value that is secret or only known at run time.
PLACEHOLDERS = {"password": "'<initial password>'", "new_password": "'<new password>'", "code1": "<code>",
                "code2": "<next code>", "code": "<code>", "wrong_code": "000000", "outfile": "/dev/stdout",
                "policy_file": f"{POLICY_NAME}.json", "serial": f"arn:aws:iam::<account>:mfa/{DEMO_USER}-AuthenticatorApp",
                "account": "<account>", "user_key_id": "<access key id>"}
SECRET_FIELDS = ("password", "new_password", "code1", "code2", "code")


def profile_name(profile: str, user: str = DEMO_USER) -> str:
    return {"admin": ADMIN_PROFILE, "user": user, "user-mfa": f"{user}-mfa"}[profile]


def command_line(step: CliStep, values: dict[str, str] | None = None, user: str = DEMO_USER) -> str:
    """``aws --profile NAME service op ...`` with known values filled in and secrets shown as placeholders."""
    shown = dict(PLACEHOLDERS)
    for k, v in (values or {}).items():
        if k not in SECRET_FIELDS and k in ("account", "serial", "user_key_id"):
            shown[k] = v
    parts = ["aws", "--profile", profile_name(step.profile, user)]
    for arg in step.args:
        if arg.startswith("{") and arg.endswith("}") and arg[1:-1] in shown:
            parts.append(shown[arg[1:-1]] if arg[1:-1] in PLACEHOLDERS else arg)
        elif "{" in arg:
            parts.append(shlex.quote(arg.format(**shown)))
        else:
            parts.append(shlex.quote(arg))
    return " ".join(parts)


def commands_for(step_name: str, user: str = DEMO_USER, variant: str = "seed") -> list[str]:
    """The printed commands of one walkthrough step ([] for the console-only steps)."""
    return [command_line(s, user=user) for s in steps(user, variant) if s.step == step_name]


@dataclass
class CliResult:
    step: str
    command: str
    expected: str
    result: str = ""
    aws_error_code: str = ""
    aws_error_message: str = ""
    ok: bool = False
    output: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("step", "command", "expected", "result", "aws_error_code",
                                              "aws_error_message", "ok")}


def find_aws() -> str | None:
    """The ``aws`` program: the one installed beside this Python first (``pip install 'mfakit[aws-cli]'``)."""
    beside = Path(sys.executable).parent / "aws"
    return str(beside) if beside.is_file() else shutil.which("aws")


def _error_of(stderr: str) -> tuple[str, str]:
    """``An error occurred (Code) when calling the Op operation: message`` -> (Code, message)."""
    text = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    if "An error occurred (" in text:
        code = text.split("An error occurred (", 1)[1].split(")", 1)[0]
        return code, text.split("operation: ", 1)[-1]
    return "error", text


class Replay:
    """Runs :func:`steps` with the real AWS CLI against ``endpoint`` (a local endpoint: never a real account)."""

    def __init__(self, endpoint: str, region: str, admin: tuple[str, str], aws: str,
                 user: str = DEMO_USER, progress: Callable[[CliResult], None] | None = None,
                 variant: str = "seed") -> None:
        self.endpoint, self.region, self.aws, self.user, self.variant = endpoint, region, aws, user, variant
        self.creds: dict[str, tuple[str, str, str | None]] = {"admin": (admin[0], admin[1], None)}
        self.values: dict[str, str] = {"password": "Mk-" + os.urandom(9).hex() + "9!",
                                       "new_password": "Mk-" + os.urandom(9).hex() + "8!", "outfile": "/dev/stdout"}
        self.progress = progress
        self.totp: Any = None

    def _env(self, profile: str) -> dict[str, str]:
        key, secret, token = self.creds[profile]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": self.region,
                    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1"})
        if token:
            env["AWS_SESSION_TOKEN"] = token
        return env

    def _codes(self, step: CliStep) -> None:
        if self.totp is None:
            return
        now = time.time()
        if step.step == "enable-mfa-device":  # two consecutive codes, the newest being the current one
            self.values["code1"], self.values["code2"] = self.totp.at(now - 30), self.totp.at(now)
        elif step.step == "get-session-token":  # a code not used before: the next one (within AWS's drift)
            self.values["code"] = self.totp.at(now + 30)
        elif step.step == "get-session-token-wrong-code":
            self.values["wrong_code"] = "000000" if self.totp.at(now) != "000000" else "111111"

    def run(self) -> list[CliResult]:
        import pyotp

        results: list[CliResult] = []
        with tempfile.TemporaryDirectory(prefix="mfakit-cli-") as tmp:
            from mfakit.aws.policygen import dump_policy, forced_mfa_policy

            policy_file = Path(tmp) / f"{POLICY_NAME}.json"  # the policy document (not a secret)
            policy_file.write_text(dump_policy(forced_mfa_policy(self.variant, user=self.user if self.variant == "seed"
                                                                 else None)))
            self.values["policy_file"] = str(policy_file)
            for step in steps(self.user, self.variant):
                if step.profile not in self.creds:
                    break  # an earlier step failed to hand out these credentials
                self._codes(step)
                argv = [a.format(**self.values) if "{" in a else a for a in step.args]
                res = CliResult(step.step, command_line(step, self.values, self.user), step.expect)
                proc = subprocess.run([self.aws, "--endpoint-url", self.endpoint, "--output", "json", *argv],
                                      env=self._env(step.profile), capture_output=True, text=True, timeout=120)
                if proc.returncode == 0:
                    res.result = "ok"
                    text = proc.stdout
                    if "--outfile" in argv:  # the seed, then the JSON: keep the seed in memory only
                        seed, _, rest = text.partition("{")
                        self.totp = pyotp.TOTP(seed.strip())
                        text = "{" + rest
                    res.output = json.loads(text) if text.strip() else {}
                else:
                    res.aws_error_code, res.aws_error_message = _error_of(proc.stderr)
                    res.result = res.aws_error_code
                res.ok = res.result == step.expect
                self._capture(step, res)
                results.append(res)
                if self.progress is not None:
                    self.progress(res)
        return results

    def _capture(self, step: CliStep, res: CliResult) -> None:
        out = res.output if res.result == "ok" else {}
        if step.step == "create-policy" and out:
            self.values["account"] = out["Policy"]["Arn"].split(":")[4]
        elif step.step == "create-access-key" and out:
            key = out["AccessKey"]
            self.creds["user"] = (key["AccessKeyId"], key["SecretAccessKey"], None)
            self.values["user_key_id"] = key["AccessKeyId"]
        elif step.step == "create-virtual-mfa-device" and out:
            self.values["serial"] = out["VirtualMFADevice"]["SerialNumber"]
        elif step.step == "no-mfa-change-password" and res.result == "ok":
            self.values["password"] = self.values["new_password"]
        elif step.step == "get-session-token" and out:
            c = out["Credentials"]
            self.creds["user-mfa"] = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


def require_aws() -> str:
    exe = find_aws()
    if exe is None:
        raise AwsError("the AWS CLI is not installed: pip install 'mfakit[aws-cli]' (or print the commands only "
                       "with --cli --dry-run)")
    return exe
