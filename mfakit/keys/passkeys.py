"""List (and delete) the passkeys on a key with its PIN, handling every PIN outcome in plain words.

Rules: read the retries left first (that costs nothing), one PIN attempt per call (a wrong PIN is never
retried here), callers must confirm at ``LOW_RETRIES`` or fewer, and the PIN never appears in a message.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from typing import Any

from mfakit.errors import KeyDeviceError
from mfakit.keys.device_errors import UNPLUGGED
from mfakit.keys.inspect import device_path, is_software

#: At this many retries left (or fewer) a caller must get an explicit confirmation before trying a PIN.
LOW_RETRIES = 2
MAX_RETRIES = 8

PLAIN = {
    "PIN_INVALID": "Wrong PIN. {retries} tries left before the key locks for good. mfakit does not try again "
                   "by itself: run the command again when you are sure of the PIN.",
    "PIN_AUTH_BLOCKED": "Three wrong PINs in a row: the key refuses PINs until you UNPLUG IT AND PLUG IT IN "
                        "AGAIN. {retries} tries left before it locks for good.",
    "PIN_BLOCKED": "The PIN is BLOCKED: every try is used up. Only a reset of the key (its maker's tool, e.g. "
                   "'ykman fido reset') makes it usable again, and a reset ERASES EVERY PASSKEY on it; sites "
                   "where it is registered must be recovered with their backup methods.",
    "PIN_NOT_SET": "This key has no PIN. Passkeys can only be listed with a PIN: set one with the maker's tool "
                   "(e.g. 'ykman fido access change-pin') or in the browser/OS security-key settings.",
    "PIN_POLICY_VIOLATION": "The key refused that PIN as too short or too long.",
    "PIN_AUTH_INVALID": "The key refused the request (PIN session not valid); run the command again.",
}


class PinError(KeyDeviceError):
    """A PIN problem, explained in plain words. ``code`` is the CTAP error name; never holds the PIN."""

    def __init__(self, code: str, retries: int | None = None, path: str | None = None) -> None:
        self.code = code
        self.retries = retries
        text = PLAIN.get(code, f"The key refused the PIN ({code}).")
        super().__init__(text.format(retries="an unknown number of" if retries is None else retries), path)


@dataclass
class PinStatus:
    supported: bool
    is_set: bool
    retries: int | None
    replug_needed: bool

    @property
    def low(self) -> bool:
        return self.retries is not None and self.retries <= LOW_RETRIES

    def before_asking(self) -> str:
        """The line shown BEFORE asking for the PIN."""
        if self.retries is None:
            return "PIN retries left: unknown."
        warn = " WARNING: very few tries left; a wrong PIN now brings the key closer to a reset." if self.low else ""
        return f"PIN retries left: {self.retries} of {MAX_RETRIES}.{warn}"


def _ctap(dev: Any) -> Any:
    from fido2.ctap import CtapError
    from fido2.ctap2 import Ctap2

    from fido2.hid import ConnectionFailure

    try:
        return Ctap2(dev)
    except (OSError, ConnectionFailure):
        raise KeyDeviceError(UNPLUGGED, device_path(dev)) from None
    except (ValueError, CtapError) as exc:
        raise KeyDeviceError(f"the key does not speak FIDO2 or did not answer ({type(exc).__name__})",
                             device_path(dev)) from None


def pin_status(dev: Any) -> PinStatus:
    """Is a PIN supported / set, and how many tries are left (reading this does not use a try)."""
    from fido2.ctap2 import ClientPin

    ctap = _ctap(dev)
    opts = ctap.info.options
    if "clientPin" not in opts:
        return PinStatus(False, False, None, False)
    if not opts["clientPin"]:
        return PinStatus(True, False, None, False)
    retries, power = ClientPin(ctap).get_pin_retries()
    return PinStatus(True, True, retries, bool(power))


def check_can_ask(status: PinStatus, path: str | None = None) -> None:
    """Refuse before asking when a PIN cannot work: no PIN support, no PIN set, blocked, replug needed."""
    if not status.supported:
        raise KeyDeviceError("this key has no PIN support, so it cannot list passkeys", path)
    if not status.is_set:
        raise PinError("PIN_NOT_SET", None, path)
    if status.retries == 0:
        raise PinError("PIN_BLOCKED", 0, path)
    if status.replug_needed:
        raise PinError("PIN_AUTH_BLOCKED", status.retries, path)


@dataclass
class Passkey:
    rp_id: str
    rp_name: str | None
    user_name: str | None
    display_name: str | None
    user_id: str  # hex
    credential_id: str  # base64url, for delete


@dataclass
class PasskeyReport:
    path: str
    software: bool
    passkeys: list[Passkey]
    used: int
    free: int | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def _token(dev: Any, pin: str) -> tuple[Any, Any, bytes]:
    """One PIN attempt for a credential-management token; CTAP errors become PinError."""
    from fido2.ctap import CtapError
    from fido2.ctap2 import ClientPin, CredentialManagement

    ctap = _ctap(dev)
    path = device_path(dev)
    if not CredentialManagement.is_supported(ctap.info):
        raise KeyDeviceError("this key cannot manage credentials (CTAP 2.0 without credential management): "
                             "its passkeys cannot be listed", path)
    client_pin = ClientPin(ctap)
    try:
        token = client_pin.get_pin_token(pin, ClientPin.PERMISSION.CREDENTIAL_MGMT)
    except CtapError as exc:
        code = exc.code.name
        retries = None
        if code in ("PIN_INVALID", "PIN_AUTH_BLOCKED"):
            try:
                retries = client_pin.get_pin_retries()[0]
            except CtapError:
                retries = None
        if code == "PIN_BLOCKED":
            retries = 0
        raise PinError(code, retries, path) from None
    except OSError:
        raise KeyDeviceError(UNPLUGGED, path) from None
    return ctap, client_pin, token


def list_passkeys(dev: Any, pin: str) -> PasskeyReport:
    """Every passkey (discoverable credential) on the key: RP id and name, user name and display name."""
    from fido2.ctap import CtapError
    from fido2.ctap2 import CredentialManagement

    ctap, client_pin, token = _token(dev, pin)
    R = CredentialManagement.RESULT
    cm = CredentialManagement(ctap, client_pin.protocol, token)
    try:
        meta = cm.get_metadata()
        found: list[Passkey] = []
        for rp in cm.enumerate_rps():
            entity = rp[R.RP]
            for cred in cm.enumerate_creds(rp[R.RP_ID_HASH]):
                user = cred.get(R.USER, {})
                found.append(Passkey(
                    rp_id=entity.get("id", "?"), rp_name=entity.get("name"), user_name=user.get("name"),
                    display_name=user.get("displayName"), user_id=bytes(user.get("id", b"")).hex(),
                    credential_id=_b64(bytes(cred[R.CREDENTIAL_ID]["id"]))))
    except CtapError as exc:
        raise KeyDeviceError(f"the key refused to list its passkeys ({exc.code.name})", device_path(dev)) from None
    except OSError:
        raise KeyDeviceError(UNPLUGGED, device_path(dev)) from None
    notes = ["Security keys registered as a SECOND FACTOR (AWS, GitHub 2FA, Google 2-Step...) are usually "
             "non-discoverable: they live on the site, not on the key, and are never listed here."]
    return PasskeyReport(device_path(dev), is_software(dev), found, int(meta[R.EXISTING_CRED_COUNT]),
                         meta.get(R.MAX_REMAINING_COUNT), notes)


def delete_passkey(dev: Any, pin: str, credential_id: str) -> None:
    """Delete one passkey by its base64url credential id (as ``list_passkeys`` shows it)."""
    from fido2.ctap import CtapError
    from fido2.ctap2 import CredentialManagement
    from fido2.webauthn import PublicKeyCredentialDescriptor

    raw = base64.urlsafe_b64decode(credential_id + "=" * (-len(credential_id) % 4))
    ctap, client_pin, token = _token(dev, pin)
    cm = CredentialManagement(ctap, client_pin.protocol, token)
    try:
        cm.delete_cred(PublicKeyCredentialDescriptor(type="public-key", id=raw))
    except CtapError as exc:
        what = "no such passkey on the key" if exc.code.name == "NO_CREDENTIALS" else exc.code.name
        raise KeyDeviceError(f"cannot delete the passkey: {what}", device_path(dev)) from None
