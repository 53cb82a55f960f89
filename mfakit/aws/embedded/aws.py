"""``embedded()``: moto for state + the kit's enforcement layer, in-process, offline, fake credentials only."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from mfakit.aws.embedded.env import ADMIN_KEY_ID, ADMIN_SECRET, isolated_env
from mfakit.aws.embedded.state import KitState, Principal

ACCOUNT_ID = "123456789012"  # moto's default account
REGION = "us-east-1"


class EmbeddedAWS:
    """Handles to the embedded AWS: an administrator session, user sessions, the console model, the clock."""

    def __init__(self, enforcer: Any, region: str) -> None:
        self.enforcer = enforcer
        self.state: KitState = enforcer.state
        self.account = self.state.account
        self.region = region
        self.live = False
        self._loader: Any = None
        self.admin = self.session(ADMIN_KEY_ID, ADMIN_SECRET)

    def session(self, key_id: str, secret: str, token: str | None = None) -> Any:
        """A boto3 session for any credentials (enforced according to whom they belong)."""
        import boto3
        import botocore.session

        core = botocore.session.get_session()
        if self._loader is None:  # share the service-model loader: a new session need not re-read the JSON
            self._loader = core.get_component("data_loader")
        else:
            core.register_component("data_loader", self._loader)
        return boto3.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token,
                             region_name=self.region, botocore_session=core)

    def session_for(self, user: str, mfa: bool = False) -> Any:
        """A session with the user's long-term access key (MFA absent), or MFA session credentials.

        Creates an access key for the user if it has none (as an administrator would hand one out).
        """
        if mfa:
            return self.console_session(user, mfa=True, source="session-token")
        u = self.backend.get_user(user)
        key = next((k for k in u.access_keys if k.status == "Active"), None)
        if key is None:
            created = self.admin.client("iam").create_access_key(UserName=user)["AccessKey"]
            return self.session(created["AccessKeyId"], created["SecretAccessKey"])
        return self.session(key.access_key_id, key.secret_access_key)

    def console_session(self, user: str, mfa: bool, source: str = "console") -> Any:
        """Credentials as the console holds them after sign-in: aws:MultiFactorAuthPresent "false"/"true"."""
        u = self.backend.get_user(user)
        now = self.state.clock.now()
        p = Principal("user", u.name, u.arn, u.id, "true" if mfa else "false", now, source)  # type: ignore[arg-type]
        key_id, secret, token = self.state.mint(p)
        return self.session(key_id, secret, token)

    @property
    def backend(self) -> Any:
        """moto's IAM backend for the account."""
        return self.enforcer.backend

    # -- console model ---------------------------------------------------------------------------
    def console_sign_in(self, user: str, password: str) -> Any:
        """Console sign-in, step 1 (password). See :mod:`mfakit.aws.embedded.console`."""
        from mfakit.aws.embedded.console import sign_in

        return sign_in(self, user, password)

    def console_register_security_key(self, signed_in: Any, device_name: str) -> str:
        from mfakit.aws.embedded.console import register_security_key

        return register_security_key(self, signed_in, device_name)

    # -- time and root ---------------------------------------------------------------------------
    def now(self) -> float:
        return self.state.clock.now()

    def sleep(self, seconds: float) -> None:
        """Move the embedded clock forward instead of waiting (next TOTP window in no time)."""
        self.state.clock.advance(seconds)

    def set_root_mfa(self, kind: str) -> None:
        """Model the root user's MFA: ``none``, ``virtual`` or ``hardware`` (not settable through the API)."""
        if kind not in ("none", "virtual", "hardware"):
            raise ValueError(kind)
        self.state.root_mfa = kind  # type: ignore[assignment]

    def seed_mfa_device(self, user: str, serial: str, kind: str) -> None:
        """State set-up for demos and the audit: give ``user`` an enabled MFA device of a kind the API cannot
        create (``u2f`` security key, ``hardware`` token, ``sms``). Not an AWS API call."""
        self.backend.get_user(user).enable_mfa_device(serial, "", "")
        self.state.device_kinds[serial] = kind

    @property
    def stats(self) -> dict[str, int]:
        return {"calls": self.enforcer.calls, "denied": self.enforcer.denied}


@contextmanager
def embedded(region: str = REGION, enforce: bool = True) -> Iterator[EmbeddedAWS]:
    """``with embedded() as aws:`` — an in-process AWS (moto state + the kit's enforcement layer).

    Every request moto answers while the context is open is authorized by the kit (see
    :mod:`mfakit.aws.embedded.hook`), whoever sends it. ``enforce=False`` answers the same operations but
    authorizes nothing (the benchmark's baseline for the layer's own cost).
    """
    from moto import mock_aws

    from mfakit.aws.embedded import hook
    from mfakit.aws.embedded.enforce import Enforcer

    with mock_aws(config={"iam": {"load_aws_managed_policies": True}, "core": {"reset_boto3_session": True}}):
        with isolated_env(region):
            enforcer = Enforcer(KitState(ACCOUNT_ID), enforce=enforce)
            hook.activate(enforcer)
            try:
                yield EmbeddedAWS(enforcer, region)
            finally:
                hook.deactivate()
