"""The seed's AWS walkthrough, step by step, as library code that runs unchanged on the embedded AWS or on a
real account: only the *target* differs (its administrator session, how time passes, how the console-only
security-key step happens).

A target provides ``admin`` (boto3 Session), ``live`` (bool), ``session(key, secret, token=None)``,
``now()``, ``sleep(seconds)``; optionally ``settle(session)`` (wait for IAM eventual consistency),
``console_sign_in`` / ``console_register_security_key`` (the embedded console model) or ``guide`` (a real
account: show instructions and wait for the person to register the key in the console).
"""

from __future__ import annotations

import json
import secrets
from typing import Any, Callable

from mfakit.aws.cli_commands import commands_for
from mfakit.aws.live import DEMO_USER, MANAGED, POLICY_NAME, TAGS, Ledger
from mfakit.aws.steps import StepResult, run_call

STEP_NAMES = (
    "create-policy", "create-user", "create-login-profile", "attach-policies", "create-access-key",
    "no-mfa-describe-vpcs", "no-mfa-describe-instances", "no-mfa-list-users", "no-mfa-change-password",
    "admin-breaks-deadlock", "create-virtual-mfa-device", "tag-mfa-device", "duplicate-device-name",
    "enable-mfa-device", "get-session-token-wrong-code", "get-session-token", "mfa-describe-vpcs",
    "mfa-describe-instances", "mfa-list-users", "console-security-key", "verify-security-key", "clean-up",
)


class InjectedFailure(RuntimeError):
    """Raised by ``fail_at`` to prove that clean-up works after a failure at any step."""


def device_name(user: str, device_type: str) -> str:
    """The naming convention from the seed: MFA device names are unique per account, so prefix the user."""
    return f"{user}-{device_type}"


def _password() -> str:
    return "Mk-" + secrets.token_urlsafe(18) + "9!"


class _Run:
    def __init__(self, target: Any, variant: str, user: str, ledger: Ledger, fail_at: str | None,
                 progress: Callable[[StepResult], None] | None) -> None:
        from mfakit.aws.managed import managed_policy
        from mfakit.aws.policygen import forced_mfa_policy

        self.t, self.variant, self.user, self.ledger = target, variant, user, ledger
        self.fail_at, self.progress = fail_at, progress
        self.results: list[StepResult] = []
        self.policy_doc = forced_mfa_policy(variant=variant)
        self.local = [(POLICY_NAME, self.policy_doc)] + [(n, managed_policy(n)) for n in MANAGED]
        self.account = target.admin.client("sts").get_caller_identity()["Account"]
        self.user_arn = f"arn:aws:iam::{self.account}:user/{user}"
        self.user_id = ""
        self._clients: dict[tuple[int, str], Any] = {}
        from mfakit.aws.evaluator import compile_policies

        self.compiled = compile_policies(self.local)

    def client(self, session: Any, service: str) -> Any:
        """One client per (session, service): creating botocore clients is the costly part of a step."""
        key = (id(session), service)
        if key not in self._clients:
            self._clients[key] = (session, session.client(service))
        return self._clients[key][1]

    # -- bookkeeping ----------------------------------------------------------------------------
    def step(self, name: str, title: str, principal: str, action: str, call: str, mfa: str, expected: str,
             console: bool = False) -> StepResult:
        if self.fail_at == name:
            raise InjectedFailure(f"injected failure at step {name}")
        r = StepResult(len(self.results) + 1, name, title, principal, action, call, mfa, expected, console=console)
        r.cli = "\n".join(commands_for(name, self.user, self.variant))
        self.results.append(r)
        return r

    def done(self, r: StepResult) -> None:
        if self.progress is not None:
            self.progress(r)

    def context(self, mfa: str) -> dict[str, str]:
        ctx = {"aws:username": self.user, "aws:userid": self.user_id, "aws:PrincipalArn": self.user_arn}
        if mfa != "absent":
            ctx["aws:MultiFactorAuthPresent"] = mfa
        if mfa == "true":
            ctx["aws:MultiFactorAuthAge"] = "0"
        return ctx

    def explain(self, r: StepResult, action: str, resource: str, mfa: str) -> None:
        """The kit's evaluator on the same policies and request context: the reason and the full explanation."""
        from mfakit.aws.evaluator import evaluate

        res = evaluate(self.compiled, action, resource, self.context(mfa))
        r.reason = res.reason
        r.explain = res.explain()
        r.statements = [{"policy": m.policy, "statement": m.sid or f"#{m.index}", "effect": m.effect,
                         "applies": m.applied,
                         "conditions": "; ".join(f"{'✓' if c.held else '✗'} {c.operator} {c.key}: {c.why}"
                                                 for c in m.conditions) or "(none)"}
                        for m in res.considered]

    def as_user(self, r: StepResult, session: Any, service: str, op: str, resource: str, mfa: str,
                **params: Any) -> Any:
        self.explain(r, r.action, resource, mfa)
        resp = run_call(r, lambda: getattr(self.client(session, service), op)(**params))
        self.done(r)
        return resp

    def as_admin(self, r: StepResult, fn: Callable[[], Any], reason: str = "administrator credentials") -> Any:
        r.reason = reason
        resp = run_call(r, fn)
        if r.decision == "allowed":
            r.reason = reason
        self.done(r)
        return resp


def run_walkthrough(target: Any, variant: str = "seed", user: str = DEMO_USER, ledger: Ledger | None = None,
                    fail_at: str | None = None, clean: bool = True,
                    progress: Callable[[StepResult], None] | None = None) -> list[StepResult]:
    """Run the seed's steps in order on ``target``; return one :class:`StepResult` per step.

    variant: ``"seed"`` (the seed's policy) or ``"aws"`` (AWS's example, which shows the first-sign-in deadlock).
    fail_at: a name from :data:`STEP_NAMES` to raise :class:`InjectedFailure` there (tests of clean-up).
    clean: remove everything created at the end (the ``clean-up`` step).
    """
    ledger = ledger if ledger is not None else Ledger()
    run = _Run(target, variant, user, ledger, fail_at, progress)
    _admin_setup(run)
    user_sess, old_password = _user_without_mfa(run)
    serial, code_totp = _virtual_device(run, user_sess)
    mfa_sess = _mfa_session(run, user_sess, serial, code_totp)
    _with_mfa(run, mfa_sess)
    _security_key(run, old_password, code_totp)
    if clean:
        from mfakit.aws.live import cleanup

        r = run.step("clean-up", "Remove everything the walkthrough created (tag mfakit:demo)", "admin",
                     "iam:Delete*", "mfakit.aws.live.cleanup(admin)", "-", "allowed")
        removed = cleanup(target.admin, ledger)
        r.decision, r.ok, r.reason = "allowed", True, f"{len(removed)} removals: " + "; ".join(removed)
        run.done(r)
    return run.results


# -- the phases -----------------------------------------------------------------------------------------
def _admin_setup(run: _Run) -> None:
    iam = run.client(run.t.admin, "iam")
    doc = json.dumps(run.policy_doc)
    r = run.step("create-policy", f"Create the forced-MFA policy {POLICY_NAME} ({run.variant} variant)", "admin",
                 "iam:CreatePolicy", f"iam.create_policy(PolicyName={POLICY_NAME!r}, Tags=mfakit:demo)", "-",
                 "allowed")
    resp = run.as_admin(r, lambda: iam.create_policy(PolicyName=POLICY_NAME, PolicyDocument=doc, Tags=TAGS))
    policy_arn = resp["Policy"]["Arn"] if resp else f"arn:aws:iam::{run.account}:policy/{POLICY_NAME}"
    if resp:
        run.ledger.add("policy", policy_arn)
    r = run.step("create-user", f"Create the IAM user {run.user}", "admin", "iam:CreateUser",
                 f"iam.create_user(UserName={run.user!r}, Tags=mfakit:demo)", "-", "allowed")
    resp = run.as_admin(r, lambda: iam.create_user(UserName=run.user, Tags=TAGS))
    if resp:
        run.ledger.add("user", run.user)
        run.user_id = resp["User"]["UserId"]
    run.password = _password()
    r = run.step("create-login-profile", "Give the user a console password that must be changed at first sign-in",
                 "admin", "iam:CreateLoginProfile",
                 f"iam.create_login_profile(UserName={run.user!r}, PasswordResetRequired=True)", "-", "allowed")
    run.as_admin(r, lambda: iam.create_login_profile(UserName=run.user, Password=run.password,
                                                     PasswordResetRequired=True))
    r = run.step("attach-policies", "Attach the forced-MFA policy and " + ", ".join(MANAGED), "admin",
                 "iam:AttachUserPolicy", "iam.attach_user_policy(...) x4", "-", "allowed")
    arns = [policy_arn] + [f"arn:aws:iam::aws:policy/{n}" for n in MANAGED]
    run.as_admin(r, lambda: [iam.attach_user_policy(UserName=run.user, PolicyArn=a) for a in arns])


#: The reads the seed tried in the console, as (step suffix, service, operation, IAM action, what).
_READS = (
    ("describe-vpcs", "ec2", "describe_vpcs", "ec2:DescribeVpcs", "Read VPCs"),
    ("describe-instances", "ec2", "describe_instances", "ec2:DescribeInstances", "Read EC2 instances"),
    ("list-users", "iam", "list_users", "iam:ListUsers", "Read IAM users"),
)


def _reads(run: _Run, sess: Any, who: str, prefix: str, when: str, mfa: str, expected: str) -> None:
    """The same three reads, before MFA (denied) or with an MFA session (allowed)."""
    for suffix, service, op, action, what in _READS:
        r = run.step(f"{prefix}-{suffix}", f"{what} {when}", who, action, f"{service}.{op}()", mfa, expected)
        run.as_user(r, sess, service, op, "*", mfa)


def _user_without_mfa(run: _Run) -> tuple[Any, str]:
    iam = run.client(run.t.admin, "iam")
    r = run.step("create-access-key", "Issue an access key so the walkthrough can act as the user", "admin",
                 "iam:CreateAccessKey", f"iam.create_access_key(UserName={run.user!r})", "-", "allowed")
    key = run.as_admin(r, lambda: iam.create_access_key(UserName=run.user))["AccessKey"]
    sess = run.t.session(key["AccessKeyId"], key["SecretAccessKey"])
    if hasattr(run.t, "settle"):
        run.t.settle(sess)
    who = f"{run.user} (access key, no MFA)"
    _reads(run, sess, who, "no-mfa", "before MFA", "absent", "explicitDeny")
    new_password = _password()
    expect = "allowed" if run.variant == "seed" else "explicitDeny"
    r = run.step("no-mfa-change-password", "Change the password at first sign-in, before any MFA device", who,
                 "iam:ChangePassword", "iam.change_password(OldPassword=..., NewPassword=...)", "absent", expect)
    run.as_user(r, sess, "iam", "change_password", run.user_arn, "absent",
                OldPassword=run.password, NewPassword=new_password)
    if r.decision == "allowed":
        run.password = new_password
    else:
        r.reason += (" — first-sign-in DEADLOCK: the user must change the password before anything else but "
                     "cannot without MFA, and cannot register MFA without signing in; only an admin can break it")
        r2 = run.step("admin-breaks-deadlock", "Break the deadlock: an admin lifts PasswordResetRequired",
                      "admin", "iam:UpdateLoginProfile",
                      f"iam.update_login_profile(UserName={run.user!r}, PasswordResetRequired=False)", "-",
                      "allowed")
        run.as_admin(r2, lambda: iam.update_login_profile(UserName=run.user, PasswordResetRequired=False),
                     "the AWS example policy has no iam:ChangePassword exception; the seed's variant adds it")
    return sess, run.password


def _virtual_device(run: _Run, sess: Any) -> tuple[str, Any]:
    import pyotp

    who = f"{run.user} (access key, no MFA)"
    name = device_name(run.user, "AuthenticatorApp")
    arn = f"arn:aws:iam::{run.account}:mfa/{name}"
    r = run.step("create-virtual-mfa-device", f"Create a virtual MFA device named {name} (<user>-<DeviceType>)",
                 who, "iam:CreateVirtualMFADevice", f"iam.create_virtual_mfa_device(VirtualMFADeviceName={name!r})",
                 "absent", "allowed")
    resp = run.as_user(r, sess, "iam", "create_virtual_mfa_device", arn, "absent", VirtualMFADeviceName=name)
    if resp is None:
        raise InjectedFailure(f"could not create the MFA device: {r.reason}")
    serial = resp["VirtualMFADevice"]["SerialNumber"]
    run.ledger.add("device", serial)
    raw = resp["VirtualMFADevice"]["Base32StringSeed"]
    totp = pyotp.TOTP(raw.decode() if isinstance(raw, bytes) else raw)  # seed stays in this object only
    iam = run.client(run.t.admin, "iam")
    r = run.step("tag-mfa-device", "Tag the device mfakit:demo (the admin: tagging needs iam:TagMFADevice)",
                 "admin", "iam:TagMFADevice", "iam.tag_mfa_device(SerialNumber=..., Tags=mfakit:demo)", "-",
                 "allowed")
    run.as_admin(r, lambda: iam.tag_mfa_device(SerialNumber=serial, Tags=TAGS))
    r = run.step("duplicate-device-name", f"Another device with the same name {name}: names are unique per account",
                 who, "iam:CreateVirtualMFADevice", f"iam.create_virtual_mfa_device(VirtualMFADeviceName={name!r})",
                 "absent", "EntityAlreadyExists")
    run.as_user(r, sess, "iam", "create_virtual_mfa_device", arn, "absent", VirtualMFADeviceName=name)
    if r.decision == "EntityAlreadyExists":
        r.reason = (f"the policy allows it, but IAM refuses: {r.reason} Use <user>-<DeviceType>, "
                    f"e.g. {device_name(run.user, 'SecurityKey')}")
    r = run.step("enable-mfa-device", "Enable it with two consecutive codes from the authenticator (pyotp)", who,
                 "iam:EnableMFADevice", "iam.enable_mfa_device(UserName=..., SerialNumber=..., "
                 "AuthenticationCode1=..., AuthenticationCode2=...)", "absent", "allowed")
    now = run.t.now()
    run.as_user(r, sess, "iam", "enable_mfa_device", run.user_arn, "absent", UserName=run.user,
                SerialNumber=serial, AuthenticationCode1=totp.at(now - 30), AuthenticationCode2=totp.at(now))
    return serial, totp


def _mfa_session(run: _Run, sess: Any, serial: str, totp: Any) -> Any:
    who = f"{run.user} (access key)"
    r = run.step("get-session-token-wrong-code", "Ask for an MFA session with a wrong code", who,
                 "sts:GetSessionToken", "sts.get_session_token(SerialNumber=..., TokenCode='000000')", "absent",
                 "AccessDenied")
    wrong = "000000" if totp.at(run.t.now()) != "000000" else "111111"
    r.reason = "authentication, not authorization: no policy controls sts:GetSessionToken"
    run_call(r, lambda: run.client(sess, "sts").get_session_token(SerialNumber=serial, TokenCode=wrong))
    run.done(r)
    run.t.sleep(30)  # the codes used to enable the device cannot be used again: wait for the next one
    r = run.step("get-session-token", "Get an MFA session with the next code (temporary credentials carry MFA)",
                 who, "sts:GetSessionToken", "sts.get_session_token(SerialNumber=..., TokenCode=...)", "absent",
                 "allowed")
    r.reason = "authentication: the code is checked; the credentials carry aws:MultiFactorAuthPresent=true"
    resp = run_call(r, lambda: run.client(sess, "sts").get_session_token(SerialNumber=serial,
                                                                    TokenCode=totp.at(run.t.now())))
    run.done(r)
    if resp is None:
        raise InjectedFailure(f"no MFA session: {r.reason}")
    c = resp["Credentials"]
    return run.t.session(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


def _with_mfa(run: _Run, mfa_sess: Any) -> None:
    who = f"{run.user} (MFA session)"
    _reads(run, mfa_sess, who, "mfa", "with MFA", "true", "allowed")


def _security_key(run: _Run, password: str, totp: Any) -> None:
    name = device_name(run.user, "SecurityKey")
    t = run.t
    modelled = hasattr(t, "console_register_security_key")
    expected = "registered" if modelled or getattr(t, "guide", None) else "skipped"
    r = run.step("console-security-key",
                 f"CONSOLE ONLY: register a FIDO security key named {name} (PIN, then touch)"
                 + (" — modelled" if modelled else " — guided"),
                 f"{run.user} (console, signed in with MFA)", "iam:EnableMFADevice",
                 "console: Security credentials > Assign MFA device > Security key (no API exists for this)",
                 "true", expected, console=True)
    run.explain(r, "iam:EnableMFADevice", run.user_arn, "true")
    if modelled:
        signed = t.console_sign_in(run.user, password)
        if signed.status == "mfa_required":
            t.sleep(30)
            signed = signed.submit_mfa(totp.at(t.now()))
        t.console_register_security_key(signed, name)
        r.decision = "registered"
    elif getattr(t, "guide", None):
        confirmed = t.guide(f"In the AWS console, signed in as {run.user} with the authenticator app, open Security "
                f"credentials > Assign MFA device, name it {name}, choose 'Security key', enter the key's PIN and "
                "touch it. Press Enter when done.")
        r.decision = "registered" if confirmed is not False else "skipped"
        if confirmed is False:  # not interactive: nobody could do the console step
            r.expected = expected = "skipped"
    else:
        r.decision = "skipped"
    r.ok = r.decision == r.expected
    run.done(r)
    iam = run.client(t.admin, "iam")
    r = run.step("verify-security-key", "List the user's MFA devices: the key shows as a security key (u2f)",
                 "admin", "iam:ListMFADevices", f"iam.list_mfa_devices(UserName={run.user!r})", "-",
                 "security key listed" if expected == "registered" else "not registered")
    resp = run.as_admin(r, lambda: iam.list_mfa_devices(UserName=run.user))
    from mfakit.aws.audit.devices import device_type

    kinds = [device_type(d["SerialNumber"]) for d in (resp or {}).get("MFADevices", [])]
    r.decision = "security key listed" if "security_key" in kinds else "not registered"
    r.reason = "devices: " + ", ".join(kinds or ["none"])
    r.ok = r.decision == r.expected
