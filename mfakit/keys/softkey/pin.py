"""The authenticator side of CTAP2 clientPIN (PIN/UV auth protocols 1 and 2): retries, blocks, tokens.

The PIN itself is never kept: only a salted scrypt of ``LEFT(SHA-256(PIN), 16)`` (what the client sends),
so neither memory dumps of the state nor a saved demo file contain the PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from cryptography.hazmat.primitives.asymmetric import ec
from fido2.ctap import CtapError
from fido2.ctap2.pin import ClientPin, PinProtocol, PinProtocolV1, PinProtocolV2
from fido2.utils import bytes2int, int2bytes

ERR = CtapError.ERR
PERM = ClientPin.PERMISSION
CMD = ClientPin.CMD

MAX_RETRIES = 8
#: Wrong PINs in a row before the key wants a power cycle (CTAP 2.1 §6.5.2.1).
SOFT_BLOCK_AFTER = 3
PROTOCOLS: dict[int, PinProtocol] = {1: PinProtocolV1(), 2: PinProtocolV2()}
#: Permissions this authenticator can grant (no bio, large blobs, config, persistent read-only).
SUPPORTED_PERMISSIONS = PERM.MAKE_CREDENTIAL | PERM.GET_ASSERTION | PERM.CREDENTIAL_MGMT
ALL_PERMISSIONS = SUPPORTED_PERMISSIONS


def _verifier(pin_hash16: bytes, salt: bytes) -> bytes:
    return hashlib.scrypt(pin_hash16, salt=salt, n=2**12, r=8, p=1, dklen=32)


@dataclass
class Token:
    """A pinUvAuthToken: random bytes, the permissions it carries, and the RP id it is bound to."""

    value: bytes
    permissions: int
    rp_id: str | None = None


@dataclass
class PinState:
    """Everything the key remembers about its PIN, plus per-power-cycle state (key agreement, token)."""

    salt: bytes | None = None
    verifier: bytes | None = None
    retries: int = MAX_RETRIES
    min_length: int = 4
    #: Reset at every power cycle.
    consecutive_wrong: int = 0
    token: Token | None = None
    agreement_key: Any = field(default=None, repr=False)

    @property
    def is_set(self) -> bool:
        return self.verifier is not None

    @property
    def soft_blocked(self) -> bool:
        return self.consecutive_wrong >= SOFT_BLOCK_AFTER

    def power_cycle(self) -> None:
        """What unplugging and plugging in does: new key agreement, no token, soft block lifted."""
        self.consecutive_wrong = 0
        self.token = None
        self.agreement_key = ec.generate_private_key(ec.SECP256R1())

    def clear(self) -> None:
        """Authenticator reset: no PIN, full retries."""
        self.salt = self.verifier = None
        self.retries = MAX_RETRIES
        self.power_cycle()

    # -- persistence (demo state file) -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"salt": self.salt.hex() if self.salt else None,
                "verifier": self.verifier.hex() if self.verifier else None,
                "retries": self.retries, "min_length": self.min_length}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PinState:
        st = cls(salt=bytes.fromhex(d["salt"]) if d.get("salt") else None,
                 verifier=bytes.fromhex(d["verifier"]) if d.get("verifier") else None,
                 retries=int(d.get("retries", MAX_RETRIES)), min_length=int(d.get("min_length", 4)))
        st.power_cycle()
        return st


def authenticate(protocol: int, key: bytes, message: bytes) -> bytes:
    return PROTOCOLS[protocol].authenticate(key, message)


def verify_param(protocol: int, key: bytes, message: bytes, param: bytes | None) -> bool:
    """Constant-time check of a pinUvAuthParam (protocol 1 truncates the HMAC to 16 bytes)."""
    if not param:
        return False
    return hmac.compare_digest(authenticate(protocol, key, message), bytes(param))


class ClientPinHandler:
    """Answers authenticatorClientPIN (0x06). ``state`` is shared with the authenticator."""

    def __init__(self, state: PinState, token_permissions_supported: bool = True) -> None:
        self.state = state
        #: False on a CTAP 2.1-preview key: only the legacy getPinToken, whose token may do everything.
        self.with_permissions = token_permissions_supported

    # ------------------------------------------------------------------ helpers
    def _protocol(self, req: Mapping[int, Any]) -> int:
        proto = req.get(1)
        if proto is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        if proto not in PROTOCOLS:
            raise CtapError(ERR.INVALID_PARAMETER)
        return int(proto)

    def _shared_secret(self, proto: int, peer: Mapping[int, Any] | None) -> bytes:
        if not peer or -2 not in peer or -3 not in peer:
            raise CtapError(ERR.MISSING_PARAMETER)
        try:
            pub = ec.EllipticCurvePublicNumbers(bytes2int(peer[-2]), bytes2int(peer[-3]),
                                                ec.SECP256R1()).public_key()
        except ValueError:
            raise CtapError(ERR.INVALID_PARAMETER) from None
        z = self.state.agreement_key.exchange(ec.ECDH(), pub)
        return PROTOCOLS[proto].kdf(z)  # type: ignore[attr-defined]

    def _decrypt_padded_pin(self, proto: int, shared: bytes, new_pin_enc: bytes) -> bytes:
        expected = 64 if proto == 1 else 64 + 16
        if len(new_pin_enc) != expected:
            raise CtapError(ERR.INVALID_PARAMETER)
        padded = PROTOCOLS[proto].decrypt(shared, new_pin_enc)
        pin = padded.rstrip(b"\0")
        try:
            length = len(pin.decode("utf-8"))
        except UnicodeDecodeError:
            raise CtapError(ERR.PIN_POLICY_VIOLATION) from None
        if length < self.state.min_length or len(pin) > 63:
            raise CtapError(ERR.PIN_POLICY_VIOLATION)
        return hashlib.sha256(pin).digest()[:16]

    def _store_pin(self, pin_hash16: bytes) -> None:
        self.state.salt = os.urandom(16)
        self.state.verifier = _verifier(pin_hash16, self.state.salt)
        self.state.retries = MAX_RETRIES
        self.state.consecutive_wrong = 0
        self.state.token = None

    def _check_pin_hash(self, proto: int, shared: bytes, pin_hash_enc: bytes | None) -> None:
        """CTAP 2.1 §6.5.5.5: decrement first, compare, then count blocks. Raises on a wrong PIN."""
        st = self.state
        if pin_hash_enc is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        st.retries -= 1
        pin_hash = PROTOCOLS[proto].decrypt(shared, bytes(pin_hash_enc))[:16]
        assert st.salt is not None and st.verifier is not None
        if not hmac.compare_digest(_verifier(pin_hash, st.salt), st.verifier):
            st.agreement_key = ec.generate_private_key(ec.SECP256R1())
            st.consecutive_wrong += 1
            if st.retries <= 0:
                raise CtapError(ERR.PIN_BLOCKED)
            if st.soft_blocked:
                raise CtapError(ERR.PIN_AUTH_BLOCKED)
            raise CtapError(ERR.PIN_INVALID)
        st.retries = MAX_RETRIES
        st.consecutive_wrong = 0

    def _guard_blocked(self) -> None:
        if not self.state.is_set:
            raise CtapError(ERR.PIN_NOT_SET)
        if self.state.retries <= 0:
            raise CtapError(ERR.PIN_BLOCKED)
        if self.state.soft_blocked:
            raise CtapError(ERR.PIN_AUTH_BLOCKED)

    # ------------------------------------------------------------------ sub-commands
    def handle(self, req: Mapping[int, Any]) -> dict[int, Any]:
        sub = req.get(2)
        if sub == CMD.GET_PIN_RETRIES:
            return {3: self.state.retries, 4: self.state.soft_blocked}
        proto = self._protocol(req)
        if sub == CMD.GET_KEY_AGREEMENT:
            pn = self.state.agreement_key.public_key().public_numbers()
            return {1: {1: 2, 3: -25, -1: 1, -2: int2bytes(pn.x, 32), -3: int2bytes(pn.y, 32)}}
        if sub == CMD.SET_PIN:
            return self._set_pin(proto, req)
        if sub == CMD.CHANGE_PIN:
            return self._change_pin(proto, req)
        if sub in (CMD.GET_TOKEN_USING_PIN_LEGACY, CMD.GET_TOKEN_USING_PIN):
            return self._get_token(proto, int(sub), req)
        if sub in (CMD.GET_TOKEN_USING_UV, CMD.GET_UV_RETRIES):
            raise CtapError(ERR.INVALID_SUBCOMMAND)  # no built-in user verification (no fingerprint)
        raise CtapError(ERR.INVALID_SUBCOMMAND)

    def _set_pin(self, proto: int, req: Mapping[int, Any]) -> dict[int, Any]:
        if req.get(3) is None or req.get(4) is None or req.get(5) is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        if self.state.is_set:
            raise CtapError(ERR.NOT_ALLOWED)
        shared = self._shared_secret(proto, req[3])
        if not verify_param(proto, shared, bytes(req[5]), req[4]):
            raise CtapError(ERR.PIN_AUTH_INVALID)
        self._store_pin(self._decrypt_padded_pin(proto, shared, bytes(req[5])))
        return {}

    def _change_pin(self, proto: int, req: Mapping[int, Any]) -> dict[int, Any]:
        if any(req.get(k) is None for k in (3, 4, 5, 6)):
            raise CtapError(ERR.MISSING_PARAMETER)
        self._guard_blocked()
        shared = self._shared_secret(proto, req[3])
        if not verify_param(proto, shared, bytes(req[5]) + bytes(req[6]), req[4]):
            raise CtapError(ERR.PIN_AUTH_INVALID)
        self._check_pin_hash(proto, shared, req[6])
        self._store_pin(self._decrypt_padded_pin(proto, shared, bytes(req[5])))
        return {}

    def _get_token(self, proto: int, sub: int, req: Mapping[int, Any]) -> dict[int, Any]:
        permissions, rp_id = req.get(9), req.get(10)
        if sub == CMD.GET_TOKEN_USING_PIN_LEGACY:
            if permissions is not None or rp_id is not None:
                raise CtapError(ERR.INVALID_PARAMETER)
            # CTAP 2.1: a legacy token may make credentials and assertions; a 2.0/2.1-preview key has no
            # permissions at all, so its token also manages credentials.
            permissions = (PERM.MAKE_CREDENTIAL | PERM.GET_ASSERTION) if self.with_permissions \
                else ALL_PERMISSIONS
        else:
            if not self.with_permissions:
                raise CtapError(ERR.INVALID_SUBCOMMAND)
            if not permissions:
                raise CtapError(ERR.MISSING_PARAMETER)
            if permissions & ~SUPPORTED_PERMISSIONS:
                raise CtapError(ERR.UNAUTHORIZED_PERMISSION)
            if permissions & (PERM.MAKE_CREDENTIAL | PERM.GET_ASSERTION) and not rp_id:
                raise CtapError(ERR.MISSING_PARAMETER)
        if req.get(3) is None or req.get(6) is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        self._guard_blocked()
        shared = self._shared_secret(proto, req[3])
        self._check_pin_hash(proto, shared, req[6])
        self.state.token = Token(os.urandom(32), int(permissions), rp_id)
        return {2: PROTOCOLS[proto].encrypt(shared, self.state.token.value)}

    # ------------------------------------------------------------------ used by other commands
    def check_token(self, proto: int | None, message: bytes, param: bytes | None, permission: int,
                    rp_id: str | None = None) -> None:
        """Verify a pinUvAuthParam made with the current token and that the token may do ``permission``.

        A token bound to another RP id is refused; an unbound token is bound to ``rp_id`` on first use.
        """
        if proto is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        if proto not in PROTOCOLS:
            raise CtapError(ERR.INVALID_PARAMETER)
        tok = self.state.token
        if tok is None or not verify_param(proto, tok.value, message, param):
            raise CtapError(ERR.PIN_AUTH_INVALID)
        if not tok.permissions & permission:
            raise CtapError(ERR.PIN_AUTH_INVALID)
        if rp_id is not None:
            if tok.rp_id is not None and tok.rp_id != rp_id:
                raise CtapError(ERR.PIN_AUTH_INVALID)
            tok.rp_id = rp_id
