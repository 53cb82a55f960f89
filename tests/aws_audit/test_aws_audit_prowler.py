"""The audit's Prowler-named checks against a port of Prowler's own check logic (second opinion), on varied
account set-ups. The port follows prowler-cloud/prowler's checks line by line (iam_root_mfa_enabled,
iam_root_hardware_mfa_enabled, iam_user_mfa_enabled_console_access, iam_user_hardware_mfa_enabled,
iam_administrator_access_with_mfa) reading the same API answers; it lives here only, never in the package.
One deliberate difference: Prowler derives a device type with ``serial.split(":")[5]``, which raises for a
hardware token's non-ARN serial (its service then logs an error); the port treats such a serial as its own
type (not "mfa"/"sms-mfa"), which is what the check intends."""

from __future__ import annotations

import csv
import io
import json

import pytest

from mfakit.aws.audit import audit_account
from mfakit.aws.audit.seeded import seed_account
from mfakit.aws.embedded import embedded
from mfakit.aws.policygen import forced_mfa_policy

PROWLER = ("iam_root_mfa_enabled", "iam_root_hardware_mfa_enabled", "iam_user_mfa_enabled_console_access",
           "iam_user_hardware_mfa_enabled", "iam_administrator_access_with_mfa")


def prowler_port(session) -> dict[tuple[str, str], str]:
    iam = session.client("iam")
    iam.generate_credential_report()
    text = iam.get_credential_report()["Content"].decode()
    report = list(csv.DictReader(io.StringIO(text)))
    summary = iam.get_account_summary()
    virtual = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    out: dict[tuple[str, str], str] = {}
    for user in report:  # iam_root_mfa_enabled
        if user["user"] == "<root_account>":
            out[("iam_root_mfa_enabled", "<root_account>")] = "FAIL" if user["mfa_active"] == "false" else "PASS"
    if summary["SummaryMap"]["AccountMFAEnabled"] > 0:  # iam_root_hardware_mfa_enabled
        status = "PASS"
        for mfa in virtual:
            if "root" in mfa.get("User", {}).get("Arn", ""):
                status = "FAIL"
    else:
        status = "FAIL"
    out[("iam_root_hardware_mfa_enabled", "<root_account>")] = status
    for user in report:  # iam_user_mfa_enabled_console_access
        if user["password_enabled"] != "not_supported" and user["password_enabled"] == "true":
            status = "FAIL" if user["mfa_active"] == "false" else "PASS"
        else:
            status = "PASS"
        out[("iam_user_mfa_enabled_console_access", user["user"])] = status
    for u in iam.list_users()["Users"]:  # iam_user_hardware_mfa_enabled
        devices = iam.list_mfa_devices(UserName=u["UserName"])["MFADevices"]
        types = [d["SerialNumber"].split(":")[5].split("/")[0] if d["SerialNumber"].count(":") >= 5
                 else d["SerialNumber"] for d in devices]
        status = ("FAIL" if any(t in ("mfa", "sms-mfa") for t in types) else "PASS") if devices else "FAIL"
        out[("iam_user_hardware_mfa_enabled", u["UserName"])] = status
    for g in iam.list_groups()["Groups"]:  # iam_administrator_access_with_mfa
        name = g["GroupName"]
        status = "PASS"
        policies = iam.list_attached_group_policies(GroupName=name)["AttachedPolicies"]
        members = iam.get_group(GroupName=name)["Users"]
        for p in policies:
            if p["PolicyArn"] == "arn:aws:iam::aws:policy/AdministratorAccess":
                for m in members:
                    for row in report:
                        if row["user"] == m["UserName"] and row["mfa_active"] == "false":
                            status = "FAIL"
        out[("iam_administrator_access_with_mfa", f"group/{name}")] = status
    return out


def _virtual(aws, user):
    import pyotp

    iam = aws.admin.client("iam")
    dev = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{user}-App")["VirtualMFADevice"]
    totp, now = pyotp.TOTP(dev["Base32StringSeed"].decode()), aws.now()
    iam.enable_mfa_device(UserName=user, SerialNumber=dev["SerialNumber"], AuthenticationCode1=totp.at(now - 30),
                          AuthenticationCode2=totp.at(now))


def setup_seeded(aws):
    seed_account(aws)


def setup_named_root_device_key_plus_app(aws):
    aws.set_root_mfa("virtual")
    aws.state.root_device_name = "my-phone"  # named in the console, not root-account-mfa-device
    iam = aws.admin.client("iam")
    iam.create_user(UserName="kim-key-and-app")
    iam.create_login_profile(UserName="kim-key-and-app", Password="Pass-word-1234")
    aws.seed_mfa_device("kim-key-and-app", f"arn:aws:iam::{aws.account}:u2f/user/kim/kim-SecurityKey-X", "u2f")
    _virtual(aws, "kim-key-and-app")
    iam.create_user(UserName="lee-nothing")


def setup_hardware_root_admin_group(aws):
    aws.set_root_mfa("hardware")
    iam = aws.admin.client("iam")
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    for u, mfa in (("mo-admin", True), ("ned-admin", False)):
        iam.create_user(UserName=u)
        iam.create_login_profile(UserName=u, Password="Pass-word-1234")
        iam.add_user_to_group(GroupName="admins", UserName=u)
        if mfa:
            _virtual(aws, u)
    iam.create_group(GroupName="empty")
    iam.create_user(UserName="sqs-only")
    iam.put_user_policy(UserName="sqs-only", PolicyName="sqs", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}))


def setup_no_root_mfa_sms(aws):
    iam = aws.admin.client("iam")
    iam.create_group(GroupName="ops")
    iam.attach_group_policy(GroupName="ops", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam.create_user(UserName="oli-sms")
    iam.create_login_profile(UserName="oli-sms", Password="Pass-word-1234")
    aws.seed_mfa_device("oli-sms", f"arn:aws:iam::{aws.account}:sms-mfa/oli-sms", "sms")
    iam.add_user_to_group(GroupName="ops", UserName="oli-sms")
    iam.create_group(GroupName="readers")
    iam.attach_group_policy(GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")


def setup_empty_virtual_root(aws):
    aws.set_root_mfa("virtual")


def setup_hardware_token_and_memberless_admins(aws):
    aws.set_root_mfa("hardware")
    iam = aws.admin.client("iam")
    iam.create_user(UserName="pat-token")
    iam.create_login_profile(UserName="pat-token", Password="Pass-word-1234")
    aws.seed_mfa_device("pat-token", "GAHT98765432", "hardware")  # a hardware TOTP token: non-ARN serial
    iam.create_user(UserName="quinn-sms-no-console")
    aws.seed_mfa_device("quinn-sms-no-console", f"arn:aws:iam::{aws.account}:sms-mfa/quinn", "sms")
    iam.create_group(GroupName="break-glass")
    iam.attach_group_policy(GroupName="break-glass", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")


def setup_two_keys_app_only_readers(aws):
    aws.set_root_mfa("virtual")
    aws.state.root_device_name = "root-phone"
    iam = aws.admin.client("iam")
    iam.create_user(UserName="rae-two-keys")
    iam.create_login_profile(UserName="rae-two-keys", Password="Pass-word-1234")
    for n in (1, 2):
        aws.seed_mfa_device("rae-two-keys", f"arn:aws:iam::{aws.account}:u2f/user/rae/rae-Key{n}-X", "u2f")
    iam.create_user(UserName="sam-app")
    iam.create_login_profile(UserName="sam-app", Password="Pass-word-1234")
    _virtual(aws, "sam-app")
    iam.create_group(GroupName="readers")
    iam.attach_group_policy(GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.create_user(UserName="tia-reader")
    iam.add_user_to_group(GroupName="readers", UserName="tia-reader")
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam.add_user_to_group(GroupName="admins", UserName="rae-two-keys")
    iam.add_user_to_group(GroupName="admins", UserName="sam-app")


SETUPS = [setup_seeded, setup_named_root_device_key_plus_app, setup_hardware_root_admin_group,
          setup_no_root_mfa_sms, setup_empty_virtual_root, setup_hardware_token_and_memberless_admins,
          setup_two_keys_app_only_readers]


def _kit(report) -> dict[tuple[str, str], str]:
    return {(f.check_id, f.resource): f.status for f in report.findings if f.check_id in PROWLER}


@pytest.fixture(scope="module")
def verdicts():
    out = []
    for setup in SETUPS:
        with embedded() as aws:
            setup(aws)
            out.append((setup.__name__, _kit(audit_account(aws.admin)), prowler_port(aws.admin)))
    return out


def test_prowler_named_checks_agree_with_prowlers_logic(verdicts):
    total = agree = 0
    diffs = []
    for name, kit, port in verdicts:
        assert set(kit) == set(port), (name, set(kit) ^ set(port))  # the same resources get a verdict
        for k, status in port.items():
            total += 1
            if kit[k] == status:
                agree += 1
            else:
                diffs.append((name, k, kit[k], status))
    print(f"Prowler agreement: {agree} of {total} verdicts on {len(verdicts)} set-ups")
    assert diffs == [] and total >= 60


def test_the_issue_cases(verdicts):
    by = {name: kit for name, kit, _ in verdicts}
    named = by["setup_named_root_device_key_plus_app"]
    assert named[("iam_root_hardware_mfa_enabled", "<root_account>")] == "FAIL"  # virtual, whatever its name
    assert named[("iam_user_hardware_mfa_enabled", "kim-key-and-app")] == "FAIL"  # key plus an app
    assert named[("iam_user_hardware_mfa_enabled", "lee-nothing")] == "FAIL"  # no MFA at all: a verdict
    token = by["setup_hardware_token_and_memberless_admins"]
    assert token[("iam_user_hardware_mfa_enabled", "pat-token")] == "PASS"
    assert token[("iam_administrator_access_with_mfa", "group/break-glass")] == "PASS"
    keys = by["setup_two_keys_app_only_readers"]
    assert keys[("iam_user_hardware_mfa_enabled", "rae-two-keys")] == "PASS"
    assert keys[("iam_user_hardware_mfa_enabled", "sam-app")] == "FAIL"
    assert keys[("iam_root_hardware_mfa_enabled", "<root_account>")] == "FAIL"
    hw = by["setup_hardware_root_admin_group"]
    assert hw[("iam_root_hardware_mfa_enabled", "<root_account>")] == "PASS"
    assert hw[("iam_administrator_access_with_mfa", "group/admins")] == "FAIL"


def test_own_checks_probe_granted_actions_and_deadlock_only_where_possible():
    with embedded() as aws:
        setup_hardware_root_admin_group(aws)
        iam = aws.admin.client("iam")
        iam.put_user_policy(UserName="sqs-only", PolicyName="forced", PolicyDocument=json.dumps(
            forced_mfa_policy("aws")))
        # a correct policy written with Null on aws:MultiFactorAuthAge (only true in an MFA session)
        iam.create_user(UserName="null-age")
        iam.put_user_policy(UserName="null-age", PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*",
                 "Condition": {"Null": {"aws:MultiFactorAuthAge": "false"}}}]}))
        iam.create_user(UserName="has-device")  # AWS example policy, a device, console, no expiry: no deadlock
        iam.create_login_profile(UserName="has-device", Password="Pass-word-1234")
        iam.put_user_policy(UserName="has-device", PolicyName="forced", PolicyDocument=json.dumps(
            forced_mfa_policy("aws")))
        iam.attach_user_policy(UserName="has-device", PolicyArn="arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
        _virtual(aws, "has-device")
        report = audit_account(aws.admin)
        rows = {r["user"]: r for r in report.user_rows()}
        assert rows["sqs-only"]["mfa_enforced"] == "yes"  # probed with an SQS action its policy grants
        assert rows["null-age"]["mfa_enforced"] == "yes"  # MultiFactorAuthAge is in the with-MFA context
        dead = {f.resource: f.status for f in report.findings if f.check_id == "mfakit_iam_first_sign_in_deadlock"}
        assert dead["has-device"] == "PASS"
        iam.update_account_password_policy(MinimumPasswordLength=12, MaxPasswordAge=90)
        iam.delete_virtual_mfa_device  # noqa: B018 - (the device stays: the user still cannot deadlock)
        report = audit_account(aws.admin)
        dead = {f.resource: f.status for f in report.findings if f.check_id == "mfakit_iam_first_sign_in_deadlock"}
        assert dead["has-device"] == "PASS"
