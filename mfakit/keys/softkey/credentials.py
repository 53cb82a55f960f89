"""The software key's credentials: ES256 keys, wrapped key handles, and the discoverable-credential store.

Every credential id is a *wrapped key handle*: the private key encrypted (AES-GCM) under the key's master
secret with the RP id hash as associated data. A non-discoverable credential (a security key registered as
a second factor) therefore needs no storage at all, exactly like a real key; discoverable credentials
(passkeys) are also kept in a list so they can be found without an allow list and managed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fido2.cose import ES256
from fido2.utils import int2bytes

_VERSION = b"\x01"
MAX_DISCOVERABLE = 25


def rp_hash(rp_id: str) -> bytes:
    return hashlib.sha256(rp_id.encode("utf-8")).digest()


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


@dataclass
class Credential:
    """One credential: its id, RP, key, and (for passkeys) the RP/user entities the site gave."""

    cred_id: bytes
    rp_id: str
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    discoverable: bool = False
    rp_name: str | None = None
    user: dict[str, Any] = field(default_factory=dict)
    created: int = 0

    def cose_public_key(self) -> ES256:
        return ES256.from_cryptography_key(self.private_key.public_key())

    def sign(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes

        return self.private_key.sign(message, ec.ECDSA(hashes.SHA256()))

    def descriptor(self) -> dict[str, Any]:
        return {"id": self.cred_id, "type": "public-key"}

    def to_dict(self) -> dict[str, Any]:
        d = self.private_key.private_numbers().private_value
        return {"id": _b64(self.cred_id), "rp_id": self.rp_id, "rp_name": self.rp_name,
                "user": {k: (_b64(v) if isinstance(v, bytes) else v) for k, v in self.user.items()},
                "key": _b64(int2bytes(d, 32)), "created": self.created}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Credential:
        user = dict(d.get("user") or {})
        if "id" in user:
            user["id"] = _unb64(user["id"])
        key = ec.derive_private_key(int.from_bytes(_unb64(d["key"]), "big"), ec.SECP256R1())
        return cls(_unb64(d["id"]), d["rp_id"], key, True, d.get("rp_name"), user, int(d.get("created", 0)))


@dataclass
class CredentialStore:
    """The master secret that wraps key handles, the passkeys, and the global signature counter."""

    master: bytes = field(default_factory=lambda: os.urandom(32), repr=False)
    resident: list[Credential] = field(default_factory=list)
    counter: int = 0
    max_discoverable: int = MAX_DISCOVERABLE
    _seq: int = 0

    def new(self, rp_id: str, discoverable: bool, rp_name: str | None = None,
            user: Mapping[str, Any] | None = None) -> Credential:
        """Create a credential; a passkey for the same RP and user id replaces the old one (CTAP rule)."""
        key = ec.generate_private_key(ec.SECP256R1())
        nonce = os.urandom(12)
        secret = int2bytes(key.private_numbers().private_value, 32)
        cred_id = _VERSION + nonce + AESGCM(self.master).encrypt(nonce, secret, rp_hash(rp_id))
        self._seq += 1
        cred = Credential(cred_id, rp_id, key, discoverable, rp_name, dict(user or {}), self._seq)
        if discoverable:
            uid = cred.user.get("id")
            same = [c for c in self.resident if c.rp_id == rp_id and c.user.get("id") == uid]
            if not same and len(self.resident) >= self.max_discoverable:
                raise OverflowError("no free passkey slot")
            for c in same:
                self.resident.remove(c)
            self.resident.append(cred)
        return cred

    def unwrap(self, cred_id: bytes, rp_id: str) -> Credential | None:
        """The credential behind ``cred_id`` if it was made by this key for ``rp_id``, else None."""
        for c in self.resident:
            if c.cred_id == cred_id:
                return c if c.rp_id == rp_id else None
        if len(cred_id) != 1 + 12 + 32 + 16 or cred_id[:1] != _VERSION:
            return None
        try:
            secret = AESGCM(self.master).decrypt(cred_id[1:13], cred_id[13:], rp_hash(rp_id))
        except InvalidTag:
            return None
        key = ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())
        return Credential(bytes(cred_id), rp_id, key, False)

    def discoverable_for(self, rp_id: str) -> list[Credential]:
        """Passkeys for one RP, newest first (the order a real key offers them)."""
        return sorted((c for c in self.resident if c.rp_id == rp_id), key=lambda c: -c.created)

    def rp_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in sorted(self.resident, key=lambda c: c.created):
            seen.setdefault(c.rp_id, None)
        return list(seen)

    def delete(self, cred_id: bytes) -> bool:
        for c in self.resident:
            if c.cred_id == cred_id:
                self.resident.remove(c)
                return True
        return False

    def next_counter(self) -> int:
        """The signature counter, one up (it is 32 bits: it stops at the top instead of wrapping)."""
        self.counter = min(self.counter + 1, 0xFFFFFFFF)
        return self.counter

    def to_dict(self) -> dict[str, Any]:
        return {"master": _b64(self.master), "counter": self.counter, "seq": self._seq,
                "max_discoverable": self.max_discoverable,
                "passkeys": [c.to_dict() for c in self.resident]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CredentialStore:
        return cls(master=_unb64(d["master"]), resident=[Credential.from_dict(c) for c in d.get("passkeys", [])],
                   counter=int(d.get("counter", 0)), max_discoverable=int(d.get("max_discoverable", MAX_DISCOVERABLE)),
                   _seq=int(d.get("seq", 0)))
