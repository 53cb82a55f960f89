"""A local WebAuthn relying party (fido2's ``Fido2Server``) registering and signing in with a key.

Two ceremonies, as a site runs them: a *passkey* (discoverable credential, user verification required,
username-less sign-in) and a *second-factor* security key (non-discoverable, UV discouraged, sign-in with the
credential id the site stored). Each reports what the site sees: attestation format and type (the packed
self-attestation is verified), AAGUID, flags UP/UV/BE/BS, the signature counter, and discoverability
(the credProps extension).
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from mfakit.keys.aaguids import model_name, normalize_aaguid
from mfakit.keys.inspect import device_path, is_emulated, is_software
from mfakit.keys.passkeys import PinError

DEMO_RP_ID = "demo.mfakit.local"
DEMO_ORIGIN = "https://demo.mfakit.local"
DEMO_RP_NAME = "mfakit local demo site"
PinProvider = Callable[[], "str | None"]
#: Failures after which the demo stops: the person refused, did not touch, or the key is gone.
STOPPING_FAILURES = ("touch_refused", "touch_timeout", "touch_cancelled", "unplugged")


@dataclass
class Ceremony:
    """One registration + sign-in as the relying party saw it."""

    ceremony: str  # "passkey" or "second_factor"
    rp_id: str
    user_name: str
    user_verification: str
    registered: bool = False
    authenticated: bool = False
    aaguid: str | None = None
    model: str | None = None
    attestation_format: str | None = None
    attestation_type: str | None = None
    attestation_verified: bool = False
    discoverable: bool | None = None
    registration_flags: dict[str, bool] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    sign_count: int | None = None
    registration_sign_count: int | None = None
    user_handle_returned: bool | None = None
    credential_id: str | None = None
    error: str | None = None
    #: why it failed: touch_refused, touch_timeout, touch_cancelled, unplugged, key_error, client_error, rejected
    failure: str | None = None


@dataclass
class DemoResult:
    path: str
    software: bool
    rp_id: str
    origin: str
    ceremonies: list[Ceremony]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.registered and c.authenticated for c in self.ceremonies)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ok"] = self.ok
        return d


def flag_dict(flags: int) -> dict[str, bool]:
    from fido2.webauthn import AuthenticatorData

    F = AuthenticatorData.FLAG
    return {"UP": bool(flags & F.UP), "UV": bool(flags & F.UV), "BE": bool(flags & F.BE), "BS": bool(flags & F.BS)}


class _Attestation:
    """verify_attestation hook for Fido2Server: checks the statement's signature, remembers the type."""

    def __init__(self) -> None:
        self.type: str | None = None
        self.verified = False

    def __call__(self, attestation_object: Any, client_data_hash: bytes) -> None:
        from fido2.attestation import NoneAttestation, PackedAttestation

        verifier = {"packed": PackedAttestation(), "none": NoneAttestation()}.get(attestation_object.fmt)
        if verifier is None:
            self.type, self.verified = f"{attestation_object.fmt} (not checked by the demo)", False
            return
        result = verifier.verify(attestation_object.att_stmt, attestation_object.auth_data, client_data_hash)
        self.type = result.attestation_type.name.lower()
        self.verified = True


def _client(dev: Any, pin_provider: PinProvider | None, on_touch: Callable[[], None] | None) -> Any:
    from fido2.client import DefaultClientDataCollector, Fido2Client, UserInteraction

    class _Interaction(UserInteraction):
        def prompt_up(self) -> None:
            if on_touch:
                on_touch()

        def request_pin(self, permissions: Any, rp_id: str | None) -> str | None:
            return pin_provider() if pin_provider else None

    return Fido2Client(dev, DefaultClientDataCollector(DEMO_ORIGIN), _Interaction())


def _fail(c: Ceremony, exc: Exception, path: str) -> Ceremony:
    """Record a failed step; PIN problems abort the whole demo (a wrong PIN is never retried)."""
    from fido2.client import ClientError
    from fido2.ctap import CtapError
    from fido2.hid import ConnectionFailure

    from mfakit.keys.device_errors import classify

    cause = exc.cause if isinstance(exc, ClientError) else exc
    if isinstance(cause, CtapError):
        name = getattr(cause.code, "name", str(cause.code))
        if name in ("PIN_INVALID", "PIN_AUTH_BLOCKED", "PIN_BLOCKED", "PIN_NOT_SET"):
            raise PinError(name, None, path) from None
        c.error = {"OPERATION_DENIED": "the touch was refused", "USER_ACTION_TIMEOUT": "no touch in time",
                   "KEEPALIVE_CANCEL": "cancelled (timeout)"}.get(name, f"the key answered {name}")
        c.failure = (classify(cause) or ("key_error", ""))[0]
    elif isinstance(cause, (OSError, ConnectionFailure)):
        c.error, c.failure = "the key stopped answering (unplugged?)", "unplugged"
    elif isinstance(exc, ClientError):
        c.error = f"client error {exc.code.name}" + (f": {exc.cause}" if isinstance(exc.cause, str) else "")
        c.failure = "client_error"
    else:
        c.error, c.failure = f"the site rejected the response ({exc})", "rejected"
    return c


def _ceremony(server: Any, client: Any, att: _Attestation, kind: str, user_name: str, uv: str,
              path: str) -> Ceremony:
    from fido2.webauthn import (
        PublicKeyCredentialUserEntity,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    passkey = kind == "passkey"
    c = Ceremony(kind, server.rp.id, user_name, uv)
    user = PublicKeyCredentialUserEntity(id=f"mfakit-demo-{user_name}".encode(), name=user_name,
                                         display_name=user_name.title())
    rk = ResidentKeyRequirement.REQUIRED if passkey else ResidentKeyRequirement.DISCOURAGED
    uvr = UserVerificationRequirement(uv)
    try:
        options, state = server.register_begin(user, resident_key_requirement=rk, user_verification=uvr,
                                               extensions={"credProps": True})
        response = client.make_credential(options.public_key)
        auth_data = server.register_complete(state, response)
    except Exception as exc:
        return _fail(c, exc, path)
    cred = auth_data.credential_data
    c.registered = True
    c.aaguid = normalize_aaguid(bytes(cred.aaguid))
    c.model = model_name(c.aaguid)
    c.attestation_format = response.response.attestation_object.fmt
    c.attestation_type, c.attestation_verified = att.type, att.verified
    props = (response.client_extension_results or {}).get("credProps") or {}
    c.discoverable = props.get("rk")
    c.registration_flags = flag_dict(auth_data.flags)
    c.registration_sign_count = auth_data.counter
    c.credential_id = base64.urlsafe_b64encode(cred.credential_id).decode().rstrip("=")[:16] + "..."
    try:
        # a passkey signs in with no username (empty allow list); a second factor needs the stored id
        options, state = server.authenticate_begin(None if passkey else [cred], user_verification=uvr)
        selection = client.get_assertion(options.public_key)
        answer = selection.get_response(0)
        server.authenticate_complete(state, [cred], answer)
    except Exception as exc:
        return _fail(c, exc, path)
    ad = answer.response.authenticator_data
    c.authenticated = True
    c.flags = flag_dict(ad.flags)
    c.sign_count = ad.counter
    c.user_handle_returned = answer.response.user_handle is not None
    return c


def run_demo(dev: Any, pin_provider: PinProvider | None = None, on_touch: Callable[[], None] | None = None,
             timeout_ms: int | None = None) -> DemoResult:
    """Register and sign in a passkey and a second-factor credential on ``dev`` at a local RP.

    ``pin_provider`` is called when the client needs the PIN (at most once per PIN use; nothing is cached
    here). On a key without a PIN the passkey is made with UV "discouraged", as a site must ask then.
    """
    from fido2.server import Fido2Server
    from fido2.webauthn import AttestationConveyancePreference, PublicKeyCredentialRpEntity

    from mfakit.keys.passkeys import pin_status

    path = device_path(dev)
    notes: list[str] = []
    status = pin_status(dev)
    passkey_uv = "required"
    if not status.is_set:
        passkey_uv = "discouraged"
        notes.append("the key has no PIN: the passkey is registered with user verification 'discouraged' "
                     "(a site asking for 'preferred' or 'required' would fail on this key)")
    att = _Attestation()
    server = Fido2Server(PublicKeyCredentialRpEntity(id=DEMO_RP_ID, name=DEMO_RP_NAME),
                         attestation=AttestationConveyancePreference.DIRECT, verify_attestation=att)
    server.timeout = timeout_ms
    client = _client(dev, pin_provider, on_touch)
    ceremonies = [_ceremony(server, client, att, "passkey", "alice", passkey_uv, path)]
    att.type, att.verified = None, False
    if ceremonies[0].failure not in STOPPING_FAILURES:  # no second touch after a refusal, nothing after an unplug
        ceremonies.append(_ceremony(server, client, att, "second_factor", "bob", "discouraged", path))
    if is_software(dev) or is_emulated(dev):
        notes.append("ran on mfakit's SOFTWARE authenticator: no real key was touched")
    notes.append("BE/BS false = a device-bound credential (it never leaves the key; no cloud sync)")
    return DemoResult(path, is_software(dev), DEMO_RP_ID, DEMO_ORIGIN, ceremonies, notes)
