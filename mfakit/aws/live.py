"""Guard rails for running the walkthrough against a real account, the tag every created resource carries,
and ``cleanup()``, which removes exactly what the kit created (idempotent, safe after a failure at any step).

Ownership: a resource is the kit's when it carries the tag ``mfakit:demo`` (users, policies, MFA devices)
or is listed in the run's ledger (ARNs/names only, never secrets). A same-named resource without either is
never touched: the walkthrough refuses to start, and cleanup leaves it alone.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from mfakit.errors import AwsError

TAG_KEY = "mfakit:demo"
TAG_VALUE = "walkthrough"
TAGS = [{"Key": TAG_KEY, "Value": TAG_VALUE}]
DEMO_USER = "s-takahashi"
POLICY_NAME = "forced-mfa-self-manage"
MANAGED = ("AmazonVPCFullAccess", "AmazonEC2FullAccess", "IAMReadOnlyAccess")


def _tagged(tags: list[dict[str, str]]) -> bool:
    return any(t.get("Key") == TAG_KEY for t in tags or [])


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


# -- the ledger -----------------------------------------------------------------------------------------
def default_ledger_path(account: str) -> Path:
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "mfakit" / f"aws-demo-{account}.json"


@dataclass
class Ledger:
    """What this kit created: kind -> identifiers. Written after every creation when ``path`` is set."""

    path: Path | None = None
    items: dict[str, list[str]] = field(default_factory=lambda: {"user": [], "policy": [], "device": []})

    def add(self, kind: str, ident: str) -> None:
        if ident not in self.items.setdefault(kind, []):
            self.items[kind].append(ident)
            self.save()

    def discard(self, kind: str, ident: str) -> None:
        if ident in self.items.get(kind, []):
            self.items[kind].remove(ident)
            self.save()

    def save(self) -> None:
        if self.path is None:
            return
        from mfakit.fileio import atomic_write as atomic_write_text

        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps(self.items, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path | None) -> "Ledger":
        if path is None or not path.is_file():
            return cls(path)
        try:
            items = json.loads(path.read_text())
        except ValueError as exc:
            raise AwsError(f"ledger is not JSON: {exc}", path) from None
        return cls(path, {k: list(v) for k, v in items.items()})


# -- the plan and the preflight -----------------------------------------------------------------------
def demo_plan(variant: str = "seed", user: str = DEMO_USER) -> list[dict[str, str]]:
    """Exactly what the walkthrough creates, shown before a live run asks for confirmation."""
    return [
        {"kind": "customer-managed policy", "name": POLICY_NAME, "detail": f"forced-MFA policy ({variant} variant)"},
        {"kind": "IAM user", "name": user, "detail": "with a console password that must be changed"},
        {"kind": "login profile", "name": user, "detail": "random password, kept in memory only"},
        {"kind": "policy attachments", "name": user,
         "detail": ", ".join((POLICY_NAME,) + MANAGED)},
        {"kind": "access key", "name": user, "detail": "so the walkthrough can act as the user (deleted after)"},
        {"kind": "virtual MFA device", "name": f"{user}-AuthenticatorApp", "detail": "codes computed with pyotp"},
        {"kind": "security key (console)", "name": f"{user}-SecurityKey",
         "detail": "registered by YOU in the console when asked (optional)"},
    ]


def preflight(admin: Any, user: str = DEMO_USER) -> list[str]:
    """Problems that forbid a run: a same-named user/policy/device the kit did not create (or left over)."""
    from botocore.exceptions import ClientError

    iam = admin.client("iam")
    account = admin.client("sts").get_caller_identity()["Account"]
    problems = []
    try:
        tags = iam.list_user_tags(UserName=user)["Tags"]
        problems.append(f"IAM user {user} already exists" + (" (left over from an earlier run: run mfakit aws "
                        "cleanup first)" if _tagged(tags) else " and was not created by mfakit: refusing to touch it"))
    except ClientError as exc:
        if _code(exc) != "NoSuchEntity":
            raise
    arn = f"arn:aws:iam::{account}:policy/{POLICY_NAME}"
    try:
        tags = iam.list_policy_tags(PolicyArn=arn)["Tags"]
        problems.append(f"policy {POLICY_NAME} already exists" + (" (left over: run mfakit aws cleanup first)"
                        if _tagged(tags) else " and was not created by mfakit: refusing to touch it"))
    except ClientError as exc:
        if _code(exc) != "NoSuchEntity":
            raise
    for page in iam.get_paginator("list_virtual_mfa_devices").paginate():
        for dev in page["VirtualMFADevices"]:
            if dev["SerialNumber"].endswith(f"/{user}-AuthenticatorApp"):
                problems.append(f"an MFA device named {user}-AuthenticatorApp already exists in the account")
    return problems


def confirm_live(plan: list[dict[str, str]], account: str, ask: Callable[[str], str] | None, yes: bool) -> None:
    """The typed confirmation: the account id must be typed back (or ``yes``); otherwise AwsError."""
    if yes:
        return
    if ask is None:
        raise AwsError("refusing to change a real AWS account without confirmation (use --yes to skip it)")
    answer = ask(f"Type the account id {account} to create the resources above in it")
    if answer.strip() != account:
        raise AwsError("confirmation did not match the account id: nothing was created")


@contextmanager
def aws_errors(where: str) -> Iterator[None]:
    """botocore's errors (an HTTP 500, no credentials, an unreachable endpoint) as one-line AwsErrors."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
        code = str(err.get("Code", ""))
        code = "" if code == str(status) else f" {code}"  # an empty body: botocore's code is the status itself
        raise AwsError(f"{where}: AWS answered HTTP {status}{code}: {err.get('Message', '') or exc}") from None
    except BotoCoreError as exc:
        raise AwsError(f"{where}: {exc}") from None


def _is_local(url: str | None) -> bool:
    from urllib.parse import urlparse

    from mfakit.aws.embedded.server import is_loopback

    return bool(url) and is_loopback(urlparse(str(url)).hostname or "")


def _profile_endpoint(session: Any) -> str | None:
    core = getattr(session, "_session", None)
    value = os.environ.get("AWS_ENDPOINT_URL")
    try:
        value = (core.get_scoped_config() or {}).get("endpoint_url") or value if core is not None else value
    except Exception:  # noqa: BLE001 - a profile botocore cannot read: boto3 reports it on first use
        pass
    return str(value) if value else None


class _EndpointSession:
    """A boto3 session whose clients go to ``endpoint`` (the admin profile's endpoint_url)."""

    def __init__(self, session: Any, endpoint: str) -> None:
        self._s, self._endpoint = session, endpoint

    def client(self, name: str, **kwargs: Any) -> Any:
        kwargs.setdefault("endpoint_url", self._endpoint)
        return self._s.client(name, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._s, name)


# -- the live target ------------------------------------------------------------------------------------
class LiveTarget:
    """A real account reached through a named profile. Only built when the user asked for --live."""

    live = True

    def __init__(self, profile: str | None, region: str | None = None,
                 guide: Callable[[str], None] | None = None, session_factory: Callable[..., Any] | None = None):
        import boto3

        factory = session_factory or boto3.Session
        self._factory = factory
        self.admin = factory(profile_name=profile, region_name=region) if profile else factory(region_name=region)
        self.region = region or getattr(self.admin, "region_name", None) or "us-east-1"
        self.guide = guide
        #: The profile's ``endpoint_url`` (botocore config), if any: sessions built from the user's keys must
        #: reach the same endpoint, never the public one.
        self.endpoint = _profile_endpoint(self.admin)
        #: A loopback endpoint (``mfakit aws serve``, set in the profile's config as ``endpoint_url``): no IAM
        #: propagation delay to wait for, and the next TOTP code is accepted at once (one step of drift),
        #: so ``sleep`` moves a clock offset instead of waiting.
        self.local = _is_local(self.endpoint)
        self._offset = 0.0

    def session(self, key_id: str, secret: str, token: str | None = None) -> Any:
        sess = self._factory(aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token,
                             region_name=self.region)
        return _EndpointSession(sess, self.endpoint) if self.endpoint else sess

    def now(self) -> float:
        return time.time() + self._offset

    def sleep(self, seconds: float) -> None:
        if self.local and self._offset + seconds <= 30:
            self._offset += seconds
        else:
            time.sleep(seconds)

    def settle(self, session: Any, timeout: float = 60.0) -> None:
        """New access keys take a few seconds to work on AWS (eventual consistency): wait until they do."""
        from botocore.exceptions import ClientError

        if self.local:
            return
        deadline = time.time() + timeout
        while True:
            try:
                session.client("sts").get_caller_identity()
                time.sleep(8)  # IAM may still answer InvalidClientTokenId for a moment after STS accepts it
                return
            except ClientError:
                if time.time() > deadline:
                    raise
                time.sleep(3)


# -- clean-up -------------------------------------------------------------------------------------------
def _ignore_missing(fn: Callable[[], Any]) -> bool:
    from botocore.exceptions import ClientError

    try:
        fn()
        return True
    except ClientError as exc:
        if _code(exc) in ("NoSuchEntity", "NoSuchEntityException"):
            return False
        raise


def _kit_users(iam: Any, ledger: Ledger) -> list[str]:
    """Users carrying the kit's tag (a ledger entry alone is not enough: the tag proves ownership)."""
    from botocore.exceptions import ClientError

    out = []
    for page in iam.get_paginator("list_users").paginate():
        for u in page["Users"]:
            try:
                if _tagged(iam.list_user_tags(UserName=u["UserName"])["Tags"]):
                    out.append(u["UserName"])
            except ClientError as exc:
                if _code(exc) != "NoSuchEntity":
                    raise
    return sorted(out)


def _remove_user(iam: Any, name: str, removed: list[str]) -> None:
    for dev in iam.list_mfa_devices(UserName=name)["MFADevices"]:
        serial = dev["SerialNumber"]
        if _ignore_missing(lambda: iam.deactivate_mfa_device(UserName=name, SerialNumber=serial)):
            removed.append(f"deactivated MFA device {serial}")
        if ":mfa/" in serial and _ignore_missing(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial)):
            removed.append(f"deleted virtual MFA device {serial}")
    for key in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]:
        if _ignore_missing(lambda: iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])):
            removed.append(f"deleted access key of {name}")
    if _ignore_missing(lambda: iam.delete_login_profile(UserName=name)):
        removed.append(f"deleted login profile of {name}")
    for pol in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]:
        if _ignore_missing(lambda: iam.detach_user_policy(UserName=name, PolicyArn=pol["PolicyArn"])):
            removed.append(f"detached {pol['PolicyName']} from {name}")
    for pname in iam.list_user_policies(UserName=name)["PolicyNames"]:
        if _ignore_missing(lambda: iam.delete_user_policy(UserName=name, PolicyName=pname)):
            removed.append(f"deleted inline policy {pname} of {name}")
    for grp in iam.list_groups_for_user(UserName=name)["Groups"]:
        if _ignore_missing(lambda: iam.remove_user_from_group(UserName=name, GroupName=grp["GroupName"])):
            removed.append(f"removed {name} from group {grp['GroupName']}")
    if _ignore_missing(lambda: iam.delete_user(UserName=name)):
        removed.append(f"deleted user {name}")


def _kit_policies(iam: Any, ledger: Ledger) -> list[str]:
    arns = []
    for page in iam.get_paginator("list_policies").paginate(Scope="Local"):
        for pol in page["Policies"]:
            if _tagged(iam.list_policy_tags(PolicyArn=pol["Arn"])["Tags"]):
                arns.append(pol["Arn"])
    return arns


def _kit_devices(iam: Any, ledger: Ledger) -> list[str]:
    from botocore.exceptions import ClientError

    serials = []
    for page in iam.get_paginator("list_virtual_mfa_devices").paginate(AssignmentStatus="Unassigned"):
        for dev in page["VirtualMFADevices"]:
            serial = dev["SerialNumber"]
            try:
                tags = iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]
            except ClientError:
                tags = []
            if _tagged(tags) or serial in ledger.items.get("device", []):
                serials.append(serial)
    return serials


def cleanup(session: Any, ledger: Ledger | None = None) -> list[str]:
    """Remove everything the kit created in the account behind ``session`` (an administrator session).

    Returns one line per thing removed; an empty list when nothing was left. Safe to run any number of times.
    """
    ledger = ledger or Ledger()
    iam = session.client("iam")
    removed: list[str] = []
    for name in _kit_users(iam, ledger):
        _remove_user(iam, name, removed)
        ledger.discard("user", name)
    for arn in _kit_policies(iam, ledger):
        entities = iam.list_entities_for_policy(PolicyArn=arn)
        if entities["PolicyUsers"] or entities["PolicyGroups"] or entities["PolicyRoles"]:
            removed.append(f"kept policy {arn}: still attached to entities mfakit did not create")
            continue
        for ver in iam.list_policy_versions(PolicyArn=arn)["Versions"]:
            if not ver["IsDefaultVersion"]:
                _ignore_missing(lambda: iam.delete_policy_version(PolicyArn=arn, VersionId=ver["VersionId"]))
        if _ignore_missing(lambda: iam.delete_policy(PolicyArn=arn)):
            removed.append(f"deleted policy {arn}")
        ledger.discard("policy", arn)
    for serial in _kit_devices(iam, ledger):
        if _ignore_missing(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial)):
            removed.append(f"deleted virtual MFA device {serial}")
        ledger.discard("device", serial)
    return removed


def leftovers(session: Any, ledger: Ledger | None = None) -> dict[str, list[str]]:
    """What the kit created and is still there (empty lists after a successful clean-up)."""
    ledger = ledger or Ledger()
    iam = session.client("iam")
    return {"users": _kit_users(iam, ledger), "policies": _kit_policies(iam, ledger),
            "devices": _kit_devices(iam, ledger)}
