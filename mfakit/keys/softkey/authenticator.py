"""A CTAP2 authenticator in software: a ``fido2.ctap.CtapDevice`` answering CTAPHID_CBOR.

The real ``Fido2Client``, ``ClientPin``, ``CredentialManagement`` and ``Fido2Server`` run against it, so the
kit's inspection, PIN handling, WebAuthn demo and reconciliation can be shown and tested without hardware.
It is a test and demo device: its name and AAGUID say so, and it must never be presented as a real key.

Simulations: ``touch = "accept" | "refuse" | "timeout" | "never"`` (what the person does when the key blinks:
touches it, refuses, lets the key's own wait run out, or never touches so only a client CANCEL ends the wait),
``touch_delay_s`` (how long the key blinks before the answer: keep-alives flow meanwhile), ``unplug()`` /
``plug_in()`` / ``replug()`` (a power cycle lifts the 3-wrong-PINs soft block).
"""

from __future__ import annotations

import struct
import time
from threading import Event
from typing import Any, Callable, Iterator, Mapping

from fido2 import cbor
from fido2.ctap import STATUS, CtapDevice, CtapError
from fido2.ctap2 import Ctap2
from fido2.ctap2.pin import ClientPin
from fido2.hid import CAPABILITY, CTAPHID
from fido2.webauthn import Aaguid, AttestedCredentialData, AuthenticatorData

from mfakit.keys.softkey.credentials import Credential, CredentialStore, rp_hash
from mfakit.keys.softkey.credman import CredManHandler
from mfakit.keys.softkey.pin import ClientPinHandler, PinState

ERR = CtapError.ERR
CMD = Ctap2.CMD
FLAG = AuthenticatorData.FLAG
PERM = ClientPin.PERMISSION

#: The software key's own AAGUID (random, registered nowhere; no real authenticator uses it).
SOFTKEY_AAGUID = Aaguid.parse("6d66616b-6974-4000-8000-736f66746b79")
SOFTKEY_NAME = "mfakit software authenticator (not a real key)"
SOFTKEY_PATH = "software:mfakit-softkey"
#: Firmware version reported by getInfo (0x00010203 = 1.2.3).
SOFTKEY_FIRMWARE = 0x00010203
#: Refused touches: CTAP says "user declined" is OPERATION_DENIED; no touch in time is USER_ACTION_TIMEOUT.
TOUCH_ERRORS = {"refuse": ERR.OPERATION_DENIED, "timeout": ERR.USER_ACTION_TIMEOUT,
                "never": ERR.USER_ACTION_TIMEOUT}
#: How long a real key blinks for a touch before it answers USER_ACTION_TIMEOUT (about 30 s on most keys).
TOUCH_WAIT_S = 30.0


class KeyUnpluggedError(OSError):
    """Raised by ``call`` while the software key is "unplugged", as a vanished HID device would."""


class SoftKey(CtapDevice):
    """A CTAP 2.1 authenticator (or 2.1-preview with ``preview=True``) living in memory.

    Supports: getInfo, makeCredential (ES256, packed self-attestation, discoverable or not),
    getAssertion / getNextAssertion (with the client's up=false pre-flight), clientPIN protocols 1 and 2,
    credential management, reset, selection. No built-in UV (no fingerprint): UV means the PIN.
    """

    def __init__(self, preview: bool = False, store: CredentialStore | None = None,
                 pin: PinState | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.preview = preview
        self.store = store or CredentialStore()
        self.pin_state = pin or PinState()
        self.pin_state.power_cycle()
        self.clientpin = ClientPinHandler(self.pin_state, token_permissions_supported=not preview)
        self.credman = CredManHandler(self.store, self.clientpin)
        self.touch = "accept"
        #: Seconds the key blinks before the touch (or refusal) happens; "never" waits ``touch_wait_s``.
        self.touch_delay_s = 0.0
        self.touch_wait_s = TOUCH_WAIT_S
        #: How many times the key asked for (and got or was refused) a touch.
        self.touch_requests = 0
        self.plugged = True
        #: CTAP: reset is only allowed within 10 s of power-up (None disables the rule).
        self.reset_window_s: float | None = 10.0
        self._clock = clock
        self._powered_at = clock()
        self._pending: Iterator[dict[int, Any]] | None = None

    # ------------------------------------------------------------------ CtapDevice
    @property
    def capabilities(self) -> int:
        return CAPABILITY.CBOR | CAPABILITY.WINK

    @property
    def product_name(self) -> str:
        return SOFTKEY_NAME

    @property
    def serial_number(self) -> str | None:
        return None

    @property
    def path(self) -> str:
        return SOFTKEY_PATH

    @classmethod
    def list_devices(cls) -> Iterator[SoftKey]:
        yield cls()

    def call(self, cmd: int, data: bytes = b"", event: Event | None = None,
             on_keepalive: Callable[[STATUS], None] | None = None) -> bytes:
        if not self.plugged:
            raise KeyUnpluggedError(19, "the software key is unplugged")
        if cmd == CTAPHID.PING:
            return bytes(data)
        if cmd == CTAPHID.WINK:
            return b""
        if cmd == CTAPHID.MSG:
            return b"\x6d\x00"  # CTAP1/U2F: instruction not supported
        if cmd != CTAPHID.CBOR or not data:
            raise CtapError(ERR.INVALID_COMMAND)
        try:
            resp = self._dispatch(data[0], data[1:], event, on_keepalive)
        except CtapError as exc:
            return struct.pack(">B", int(exc.code))
        except (AttributeError, TypeError, ValueError, KeyError, IndexError):
            # a well-formed CBOR map with fields of the wrong type, as a real key would answer it
            return struct.pack(">B", int(ERR.CBOR_UNEXPECTED_TYPE))
        return b"\x00" + (cbor.encode(resp) if resp else b"")

    # ------------------------------------------------------------------ simulation
    def unplug(self) -> None:
        self.plugged = False

    def plug_in(self) -> None:
        """Power up: new key agreement, tokens dropped, soft PIN block lifted, reset window opens."""
        self.plugged = True
        self.pin_state.power_cycle()
        self.credman.interrupt()
        self._pending = None
        self._powered_at = self._clock()

    def replug(self) -> None:
        self.unplug()
        self.plug_in()

    def _user_presence(self, event: Event | None, on_keepalive: Callable[[STATUS], None] | None) -> None:
        """Blink and wait for the (simulated) touch; a client's cancel or an unplug ends the wait."""
        self.touch_requests += 1
        if on_keepalive:
            on_keepalive(STATUS.UPNEEDED)
        wait = self.touch_wait_s if self.touch == "never" else self.touch_delay_s
        deadline = time.monotonic() + wait
        pause = event or Event()
        while True:
            if event is not None and event.is_set():
                raise CtapError(ERR.KEEPALIVE_CANCEL)
            if not self.plugged:
                raise KeyUnpluggedError(19, "the software key was unplugged while waiting for a touch")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            pause.wait(min(remaining, 0.01))
        if self.touch in TOUCH_ERRORS:
            raise CtapError(TOUCH_ERRORS[self.touch])

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self, cmd: int, payload: bytes, event: Event | None,
                  on_keepalive: Callable[[STATUS], None] | None) -> dict[int, Any]:
        try:
            req = cbor.decode(payload) if payload else {}
        except Exception:
            raise CtapError(ERR.INVALID_CBOR) from None
        if not isinstance(req, Mapping):
            raise CtapError(ERR.CBOR_UNEXPECTED_TYPE)
        cm_cmd = CMD.CREDENTIAL_MGMT_PRE if self.preview else CMD.CREDENTIAL_MGMT
        if cmd != cm_cmd:
            self.credman.interrupt()
        if cmd != CMD.GET_NEXT_ASSERTION:
            self._pending = None
        if cmd == CMD.GET_INFO:
            return self.info()
        if cmd == CMD.CLIENT_PIN:
            return self.clientpin.handle(req)
        if cmd == CMD.MAKE_CREDENTIAL:
            return self._make_credential(req, event, on_keepalive)
        if cmd == CMD.GET_ASSERTION:
            return self._get_assertion(req, event, on_keepalive)
        if cmd == CMD.GET_NEXT_ASSERTION:
            return self._next_assertion()
        if cmd == cm_cmd:
            return self.credman.handle(req)
        if cmd == CMD.RESET:
            return self._reset(event, on_keepalive)
        if cmd == CMD.SELECTION and not self.preview:
            self._user_presence(event, on_keepalive)
            return {}
        raise CtapError(ERR.INVALID_COMMAND)

    def info(self) -> dict[int, Any]:
        """authenticatorGetInfo: versions, AAGUID, options (rk, up, clientPin, credMgmt...), limits."""
        options: dict[str, bool] = {"rk": True, "up": True, "plat": False, "clientPin": self.pin_state.is_set}
        if self.preview:
            versions = ["FIDO_2_0", "FIDO_2_1_PRE"]
            options["credentialMgmtPreview"] = True
        else:
            versions = ["FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1"]
            options.update({"credMgmt": True, "pinUvAuthToken": True, "makeCredUvNotRqd": True})
        return {
            1: versions, 2: [], 3: bytes(SOFTKEY_AAGUID), 4: options, 5: 1200, 6: [2, 1], 7: 8, 8: 128,
            9: ["usb"], 10: [{"alg": -7, "type": "public-key"}], 0x0C: False,
            0x0D: self.pin_state.min_length, 0x0E: SOFTKEY_FIRMWARE,
            0x14: self.store.max_discoverable - len(self.store.resident),
        }

    # ------------------------------------------------------------------ makeCredential
    def _empty_pin_auth(self, event: Event | None, on_keepalive: Callable[[STATUS], None] | None) -> None:
        """A zero-length pinUvAuthParam: the platform asks for a touch to pick this key (CTAP 2.1 §6.1.2)."""
        self._user_presence(event, on_keepalive)
        raise CtapError(ERR.PIN_INVALID if self.pin_state.is_set else ERR.PIN_NOT_SET)

    def _make_credential(self, req: Mapping[int, Any], event: Event | None,
                         on_keepalive: Callable[[STATUS], None] | None) -> dict[int, Any]:
        cdh, rp, user, params = req.get(1), req.get(2), req.get(3), req.get(4)
        if cdh is None or not rp or user is None or params is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        pin_param, proto = req.get(8), req.get(9)
        if pin_param is not None and len(pin_param) == 0:
            self._empty_pin_auth(event, on_keepalive)
        if not any(p.get("type") == "public-key" and p.get("alg") == -7 for p in params):
            raise CtapError(ERR.UNSUPPORTED_ALGORITHM)
        opts = req.get(7) or {}
        rk = bool(opts.get("rk", False))
        if opts.get("up") is False:
            raise CtapError(ERR.INVALID_OPTION)
        if opts.get("uv"):
            raise CtapError(ERR.INVALID_OPTION)  # no built-in UV: the client must use the PIN
        rp_id = rp.get("id")
        if not isinstance(rp_id, str):
            raise CtapError(ERR.INVALID_PARAMETER)
        uv = False
        if pin_param is not None:
            self.clientpin.check_token(proto, bytes(cdh), pin_param, PERM.MAKE_CREDENTIAL, rp_id)
            uv = True
        elif self.pin_state.is_set and (rk or self.preview):
            # a PIN-protected key makes a passkey only with the PIN (makeCredUvNotRqd covers 2FA only)
            raise CtapError(ERR.PUAT_REQUIRED)  # CTAP 2.0 calls the same code PIN_REQUIRED
        excluded = any(self.store.unwrap(bytes(d.get("id", b"")), rp_id) for d in req.get(5) or [])
        self._user_presence(event, on_keepalive)
        if excluded:
            raise CtapError(ERR.CREDENTIAL_EXCLUDED)
        try:
            entity = {k: v for k, v in user.items() if k in ("id", "name", "displayName")}
            cred = self.store.new(rp_id, rk, rp.get("name"), entity if rk else None)
        except OverflowError:
            raise CtapError(ERR.KEY_STORE_FULL) from None
        flags = FLAG.UP | FLAG.AT | (FLAG.UV if uv else 0)
        acd = AttestedCredentialData.create(SOFTKEY_AAGUID, cred.cred_id, cred.cose_public_key())
        auth_data = bytes(AuthenticatorData.create(rp_hash(rp_id), flags, self.store.next_counter(), acd))
        sig = cred.sign(auth_data + bytes(cdh))  # packed self-attestation: signed by the credential itself
        return {1: "packed", 2: auth_data, 3: {"alg": -7, "sig": sig}}

    # ------------------------------------------------------------------ getAssertion
    def _get_assertion(self, req: Mapping[int, Any], event: Event | None,
                       on_keepalive: Callable[[STATUS], None] | None) -> dict[int, Any]:
        rp_id, cdh = req.get(1), req.get(2)
        if not isinstance(rp_id, str) or cdh is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        pin_param, proto = req.get(6), req.get(7)
        if pin_param is not None and len(pin_param) == 0:
            self._empty_pin_auth(event, on_keepalive)
        opts = req.get(5) or {}
        if "rk" in opts:
            raise CtapError(ERR.UNSUPPORTED_OPTION)
        if opts.get("uv"):
            raise CtapError(ERR.INVALID_OPTION)
        up = opts.get("up", True)
        uv = False
        if pin_param is not None:
            self.clientpin.check_token(proto, bytes(cdh), pin_param, PERM.GET_ASSERTION, rp_id)
            uv = True
        allow = req.get(3)
        if allow:
            creds = [c for c in (self.store.unwrap(bytes(d.get("id", b"")), rp_id) for d in allow) if c][:1]
        else:
            creds = self.store.discoverable_for(rp_id)
        if not creds:
            raise CtapError(ERR.NO_CREDENTIALS)
        if up:
            self._user_presence(event, on_keepalive)
        flags = (FLAG.UP if up else 0) | (FLAG.UV if uv else 0)
        cdh = bytes(cdh)
        responses = (self._assertion(c, rp_id, cdh, flags, uv, with_user=not allow) for c in creds)
        first = next(responses)
        if len(creds) > 1:
            first[5] = len(creds)
            self._pending = responses
        return first

    def _assertion(self, cred: Credential, rp_id: str, cdh: bytes, flags: int, uv: bool,
                   with_user: bool) -> dict[int, Any]:
        counter = self.store.next_counter() if flags & FLAG.UP else self.store.counter
        auth_data = bytes(AuthenticatorData.create(rp_hash(rp_id), flags, counter))
        resp: dict[int, Any] = {1: cred.descriptor(), 2: auth_data, 3: cred.sign(auth_data + cdh)}
        if cred.discoverable and with_user:
            # Without user verification only the user id may leave the key (CTAP 2.1 §6.2.2 step 12)
            resp[4] = dict(cred.user) if uv else {"id": cred.user.get("id", b"")}
        return resp

    def _next_assertion(self) -> dict[int, Any]:
        if self._pending is None:
            raise CtapError(ERR.NOT_ALLOWED)
        try:
            return next(self._pending)
        except StopIteration:
            self._pending = None
            raise CtapError(ERR.NOT_ALLOWED) from None

    # ------------------------------------------------------------------ reset
    def _reset(self, event: Event | None, on_keepalive: Callable[[STATUS], None] | None) -> dict[int, Any]:
        if self.reset_window_s is not None and self._clock() - self._powered_at > self.reset_window_s:
            raise CtapError(ERR.NOT_ALLOWED)
        self._user_presence(event, on_keepalive)
        fresh = CredentialStore(max_discoverable=self.store.max_discoverable)
        self.store.master, self.store.resident, self.store.counter = fresh.master, [], 0
        self.pin_state.clear()
        return {}
