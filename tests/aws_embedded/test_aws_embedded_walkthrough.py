"""The walkthrough end to end on the embedded AWS, both policy variants, TOTP refusals, fault injection."""

from __future__ import annotations

import json

import pyotp
import pytest
from botocore.exceptions import ClientError

from mfakit.aws.embedded import embedded
from mfakit.aws.live import DEMO_USER, POLICY_NAME, Ledger, cleanup, leftovers, preflight
from mfakit.aws.walkthrough import STEP_NAMES, InjectedFailure, run_walkthrough

SEED_EXPECTED = {
    "create-policy": "allowed", "create-user": "allowed", "create-login-profile": "allowed",
    "attach-policies": "allowed", "create-access-key": "allowed",
    "no-mfa-describe-vpcs": "explicitDeny", "no-mfa-describe-instances": "explicitDeny",
    "no-mfa-list-users": "explicitDeny", "no-mfa-change-password": "allowed",
    "create-virtual-mfa-device": "allowed", "tag-mfa-device": "allowed",
    "duplicate-device-name": "EntityAlreadyExists", "enable-mfa-device": "allowed",
    "get-session-token-wrong-code": "AccessDenied", "get-session-token": "allowed",
    "mfa-describe-vpcs": "allowed", "mfa-describe-instances": "allowed", "mfa-list-users": "allowed",
    "console-security-key": "registered", "verify-security-key": "security key listed", "clean-up": "allowed",
}


@pytest.fixture(scope="module")
def aws():
    with embedded() as handle:
        yield handle


def _by_name(results):
    return {r.name: r for r in results}


def test_seed_variant_every_decision(aws):
    results = run_walkthrough(aws, variant="seed")
    got = {r.name: r.decision for r in results}
    assert got == SEED_EXPECTED
    assert all(r.ok for r in results)
    steps = _by_name(results)
    assert "DenyAllExceptListedIfNoMFA" in steps["no-mfa-describe-vpcs"].reason
    assert steps["console-security-key"].console is True
    assert steps["no-mfa-describe-vpcs"].mfa == "absent" and steps["mfa-describe-vpcs"].mfa == "true"
    assert leftovers(aws.admin) == {"users": [], "policies": [], "devices": []}


def test_aws_variant_shows_deadlock(aws):
    results = run_walkthrough(aws, variant="aws")
    steps = _by_name(results)
    assert steps["no-mfa-change-password"].decision == "explicitDeny"
    assert "DEADLOCK" in steps["no-mfa-change-password"].reason
    assert steps["admin-breaks-deadlock"].decision == "allowed"
    expected = dict(SEED_EXPECTED, **{"no-mfa-change-password": "explicitDeny", "admin-breaks-deadlock": "allowed"})
    assert {r.name: r.decision for r in results} == expected
    assert all(r.ok for r in results)


def test_access_denied_message_shape(aws):
    run_walkthrough(aws, variant="seed", clean=False)
    try:
        user = aws.session_for(DEMO_USER)
        with pytest.raises(ClientError) as exc:
            user.client("ec2").describe_vpcs()
        err = exc.value.response["Error"]
        assert err["Code"] == "UnauthorizedOperation"  # EC2's own code (terraform-provider-aws#34234)
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert err["Message"] == (
            "You are not authorized to perform this operation. "
            "User: arn:aws:iam::123456789012:user/s-takahashi is not authorized to perform: ec2:DescribeVpcs "
            "with an explicit deny in an identity-based policy: "
            "arn:aws:iam::123456789012:policy/forced-mfa-self-manage")
        with pytest.raises(ClientError) as exc:  # IAM: AccessDenied, the user path as the resource
            user.client("iam").list_users()
        assert exc.value.response["Error"]["Code"] == "AccessDenied"
        assert exc.value.response["Error"]["Message"].startswith(
            "User: arn:aws:iam::123456789012:user/s-takahashi is not authorized to perform: iam:ListUsers "
            "on resource: arn:aws:iam::123456789012:user/ with an explicit deny in an identity-based policy: "
            "arn:aws:iam::123456789012:policy/forced-mfa-self-manage")
        mfa = aws.session_for(DEMO_USER, mfa=True)
        with pytest.raises(ClientError) as exc:  # nothing allows iam:CreateUser: implicit deny
            mfa.client("iam").create_user(UserName="x")
        assert exc.value.response["Error"]["Message"] == (
            "User: arn:aws:iam::123456789012:user/s-takahashi is not authorized to perform: iam:CreateUser "
            "on resource: arn:aws:iam::123456789012:user/x because no identity-based policy allows the "
            "iam:CreateUser action")
        # AWS refuses to delete what is still in use
        admin = aws.admin.client("iam")
        with pytest.raises(ClientError) as exc:
            admin.delete_user(UserName=DEMO_USER)
        assert exc.value.response["Error"]["Code"] == "DeleteConflict"
        serial = f"arn:aws:iam::{aws.account}:mfa/{DEMO_USER}-AuthenticatorApp"
        with pytest.raises(ClientError) as exc:
            admin.delete_virtual_mfa_device(SerialNumber=serial)
        assert exc.value.response["Error"]["Code"] == "DeleteConflict"
    finally:
        cleanup(aws.admin)
    assert leftovers(aws.admin)["users"] == []


def test_totp_wrong_reused_and_enable_codes(aws):
    iam = aws.admin.client("iam")
    from mfakit.aws.policygen import forced_mfa_policy

    iam.create_user(UserName="totp-user")
    iam.put_user_policy(UserName="totp-user", PolicyName="forced-mfa",
                        PolicyDocument=json.dumps(forced_mfa_policy("aws")))
    user = aws.session_for("totp-user")
    uiam = user.client("iam")
    dev = uiam.create_virtual_mfa_device(VirtualMFADeviceName="totp-user-AuthenticatorApp")["VirtualMFADevice"]
    totp = pyotp.TOTP(dev["Base32StringSeed"].decode())
    serial, now = dev["SerialNumber"], aws.now()
    for c1, c2 in ((totp.at(now), totp.at(now)), (totp.at(now - 60), totp.at(now)), ("123456", "654321")):
        with pytest.raises(ClientError) as exc:
            uiam.enable_mfa_device(UserName="totp-user", SerialNumber=serial, AuthenticationCode1=c1,
                                   AuthenticationCode2=c2)
        assert exc.value.response["Error"]["Code"] == "InvalidAuthenticationCode"
    uiam.enable_mfa_device(UserName="totp-user", SerialNumber=serial, AuthenticationCode1=totp.at(now - 30),
                           AuthenticationCode2=totp.at(now))
    sts = user.client("sts")
    with pytest.raises(ClientError) as exc:  # the enabling code cannot be replayed
        sts.get_session_token(SerialNumber=serial, TokenCode=totp.at(now))
    assert exc.value.response["Error"]["Code"] == "AccessDenied"
    aws.sleep(30)
    code = totp.at(aws.now())
    with pytest.raises(ClientError):
        sts.get_session_token(SerialNumber=serial, TokenCode="000000" if code != "000000" else "111111")
    creds = sts.get_session_token(SerialNumber=serial, TokenCode=code)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    with pytest.raises(ClientError) as exc:  # reused code
        sts.get_session_token(SerialNumber=serial, TokenCode=code)
    assert "MultiFactorAuthentication failed" in exc.value.response["Error"]["Message"]
    mfa = aws.session(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    assert mfa.client("sts").get_caller_identity()["Arn"].endswith(":user/totp-user")
    assert "seed" not in repr(aws.state.seeds[serial]).lower().replace("mfaseed", "")


@pytest.mark.parametrize("step", [s for s in STEP_NAMES if s not in ("clean-up", "admin-breaks-deadlock")])
def test_fault_injection_then_cleanup_leaves_nothing(aws, step):
    ledger = Ledger()
    with pytest.raises(InjectedFailure):
        run_walkthrough(aws, variant="seed", ledger=ledger, fail_at=step)
    cleanup(aws.admin, ledger)
    assert leftovers(aws.admin, ledger) == {"users": [], "policies": [], "devices": []}
    iam = aws.admin.client("iam")
    assert DEMO_USER not in [u["UserName"] for u in iam.list_users()["Users"]]
    assert POLICY_NAME not in [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    assert not [d for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"] if DEMO_USER in d["SerialNumber"]]
    assert cleanup(aws.admin, ledger) == []  # idempotent


def test_refuses_resources_it_did_not_create(aws):
    iam = aws.admin.client("iam")
    iam.create_user(UserName=DEMO_USER)  # someone else's user, no mfakit tag
    try:
        problems = preflight(aws.admin)
        assert problems and "not created by mfakit" in problems[0]
        cleanup(aws.admin)
        assert DEMO_USER in [u["UserName"] for u in iam.list_users()["Users"]]  # left alone
    finally:
        iam.delete_user(UserName=DEMO_USER)


def test_simulator_and_console_model(aws):
    from mfakit.aws.policygen import forced_mfa_policy

    iam = aws.admin.client("iam")
    doc = json.dumps(forced_mfa_policy("seed"))
    ctx = [{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}]
    res = iam.simulate_custom_policy(PolicyInputList=[doc], ActionNames=["ec2:DescribeVpcs"], ContextEntries=ctx)
    r = res["EvaluationResults"][0]
    assert r["EvalDecision"] == "explicitDeny" and r["MatchedStatements"][0]["SourcePolicyId"] == "PolicyInputList.1"
    ctx[0]["ContextKeyValues"] = ["true"]
    res = iam.simulate_custom_policy(PolicyInputList=[doc], ActionNames=["ec2:DescribeVpcs"], ContextEntries=ctx)
    assert res["EvaluationResults"][0]["EvalDecision"] == "implicitDeny"
    iam.create_user(UserName="console-user")
    iam.create_login_profile(UserName="console-user", Password="First-Pass-1234", PasswordResetRequired=True)
    assert iam.get_login_profile(UserName="console-user")["LoginProfile"]["PasswordResetRequired"] is True
    assert aws.console_sign_in("console-user", "wrong").status == "failed"
    first = aws.console_sign_in("console-user", "First-Pass-1234")
    assert first.status == "password_change_required"
    # no policy allows ChangePassword for this user: the change fails, the reset stays required
    assert first.change_password("First-Pass-1234", "Second-Pass-5678").status == "failed"
    iam.put_user_policy(UserName="console-user", PolicyName="pw", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ChangePassword",
                                                 "Resource": "arn:aws:iam::*:user/${aws:username}"}]}))
    done = aws.console_sign_in("console-user", "First-Pass-1234").change_password("First-Pass-1234",
                                                                                   "Second-Pass-5678")
    assert done.status == "signed_in" and done.mfa == "false"
    assert iam.get_login_profile(UserName="console-user")["LoginProfile"]["PasswordResetRequired"] is False
