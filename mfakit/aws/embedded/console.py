"""A model of the AWS Management Console sign-in (password, then MFA) and of the FIDO security-key
registration, which AWS offers ONLY in the console. Nothing here is an AWS API call: the steps are labelled
``console (modelled)`` wherever they are shown."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from mfakit.aws.embedded import totp
from mfakit.errors import AwsError

if TYPE_CHECKING:
    from mfakit.aws.embedded.aws import EmbeddedAWS

SignInStatus = Literal["password_change_required", "mfa_required", "signed_in", "failed"]


@dataclass
class ConsoleSignIn:
    """One console sign-in attempt. ``session`` is set once signed in (MFA context "false" or "true")."""

    aws: "EmbeddedAWS" = field(repr=False)
    user: str
    status: SignInStatus
    message: str
    mfa: Literal["false", "true"] = "false"
    session: Any = field(default=None, repr=False)

    def change_password(self, old: str, new: str) -> "ConsoleSignIn":
        """The forced first-sign-in password change: ChangePassword under a console session without MFA."""
        from botocore.exceptions import ClientError

        sess = self.aws.console_session(self.user, mfa=False)
        try:
            sess.client("iam").change_password(OldPassword=old, NewPassword=new)
        except ClientError as exc:
            self.status, self.message = "failed", exc.response["Error"]["Message"]
            return self
        return self.aws.console_sign_in(self.user, new)

    def submit_mfa(self, code: str) -> "ConsoleSignIn":
        """Second step of sign-in with an authenticator-app code (a security key would be a touch instead)."""
        st = self.aws.state
        backend = self.aws.backend
        for serial in backend.get_user(self.user).mfa_devices:
            seed = st.seeds.get(serial)
            if seed is not None and totp.check_one(seed, code, st.clock.now()):
                self.status, self.mfa, self.message = "signed_in", "true", "signed in with MFA"
                self.session = self.aws.console_session(self.user, mfa=True)
                return self
        self.status, self.message = "failed", "Your authentication information is incorrect. Please try again."
        return self

    def touch_security_key(self) -> "ConsoleSignIn":
        """Second step with a registered FIDO key (modelled: the key is present and touched)."""
        if not any(self.aws.state.device_kinds.get(s) == "u2f" for s in self.aws.backend.get_user(self.user).mfa_devices):
            self.status, self.message = "failed", "no security key registered for this user"
            return self
        self.status, self.mfa, self.message = "signed_in", "true", "signed in with a security key"
        self.session = self.aws.console_session(self.user, mfa=True)
        return self


def sign_in(aws: "EmbeddedAWS", user: str, password: str) -> ConsoleSignIn:
    """Password step: wrong password fails; a required reset comes first; then MFA if the user has a device."""
    u = aws.backend.users.get(user)
    if u is None or not u.password or u.password != password:
        return ConsoleSignIn(aws, user, "failed", "Your authentication information is incorrect. Please try again.")
    if u.password_reset_required:
        return ConsoleSignIn(aws, user, "password_change_required",
                             "You must change your password to continue (PasswordResetRequired).")
    if u.mfa_devices:
        return ConsoleSignIn(aws, user, "mfa_required", "Multi-factor authentication: enter the code or use the key.")
    return ConsoleSignIn(aws, user, "signed_in", "signed in without MFA", "false",
                         aws.console_session(user, mfa=False))


def register_security_key(aws: "EmbeddedAWS", signed_in: ConsoleSignIn, device_name: str) -> str:
    """Console step (modelled): register a FIDO security key (PIN, then touch) for the signed-in user.

    The console needs ``iam:EnableMFADevice`` on the user, authorized with the console session's MFA context.
    Records a ``arn:aws:iam::ACCT:u2f/user/NAME/DEVICE-XXXX`` serial for the user and returns it.
    """
    if signed_in.status != "signed_in" or signed_in.session is None:
        raise AwsError(f"console: {signed_in.user} is not signed in ({signed_in.status})")
    enf = aws.enforcer
    who = enf.principal(signed_in.session.get_credentials().access_key)
    if who is None:
        raise AwsError("console: the console session has expired")
    arn = f"arn:aws:iam::{aws.account}:user/{signed_in.user}"
    denied = enf.authorize(who, "iam:EnableMFADevice", arn)
    if denied is not None:
        raise AwsError(f"console: {denied.message}")
    user = aws.backend.get_user(signed_in.user)
    if any(s.rsplit("/", 1)[-1].startswith(device_name + "-") for s in aws.state.device_kinds if
           aws.state.device_kinds[s] == "u2f"):
        raise AwsError(f"console: an MFA device named {device_name} already exists in this account")
    serial = f"arn:aws:iam::{aws.account}:u2f/user/{signed_in.user}/{device_name}-{secrets.token_hex(12).upper()}"
    user.enable_mfa_device(serial, "", "")
    aws.state.device_kinds[serial] = "u2f"
    return serial
