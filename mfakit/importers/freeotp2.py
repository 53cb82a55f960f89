"""FreeOTP 2 backups (*⋮ → Backup*, ``externalBackup.xml``): a Java-serialised ``HashMap<String, String>``.

``masterKey`` holds the master key, AES-GCM-encrypted under a key derived from the backup password
(``PBKDF2withHmacSHA1`` or ``…SHA512``, its salt and iteration count; the AAD is the key's ``mToken``). Each
token has ``<uuid>`` (its secret, AES-GCM-encrypted under the master key) and ``<uuid>-token`` (issuer, label,
algorithm, digits, period, counter as FreeOTP+ writes them). Only strings are read from the stream: no Java
object is ever instantiated.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any, Callable

from mfakit.importers.common import fail, need_password, signed_bytes
from mfakit.importers.freeotp import add_token
from mfakit.importers.kdf import pbkdf2
from mfakit.importers.record import Collector

PasswordProvider = Callable[[Path], str]
MAGIC = b"\xac\xed\x00\x05"
WHAT = "FreeOTP 2 backup"
_TC_NULL, _TC_REFERENCE, _TC_CLASSDESC, _TC_OBJECT, _TC_STRING = 0x70, 0x71, 0x72, 0x73, 0x74
_TC_BLOCKDATA, _TC_ENDBLOCKDATA, _TC_LONGSTRING = 0x77, 0x78, 0x7C
_BASE_HANDLE = 0x7E0000
_KDF = {"PBKDF2withHmacSHA1": "sha1", "PBKDF2withHmacSHA512": "sha512"}
MAX_ENTRIES = 10_000


def looks_like(data: bytes) -> bool:
    return data.startswith(MAGIC) and b"java.util.HashMap" in data[:64]


class _Stream:
    """Just enough of Java's serialisation protocol for a HashMap of Strings."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.pos, self.path = data, 4, path
        self.handles: list[Any] = []

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise fail(self.path, f"{WHAT}: the file is truncated or damaged")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]

    def utf(self) -> str:
        return self.take(self.u16()).decode("utf-8", errors="replace")  # modified UTF-8; strings here are ASCII

    def class_desc(self) -> list[str]:
        """A class descriptor (TC_CLASSDESC already read): the primitive field type codes."""
        self.utf()  # class name
        self.take(8 + 1)  # serialVersionUID, flags
        self.handles.append("classdesc")
        types = []
        for _ in range(self.u16()):
            code = chr(self.u8())
            self.utf()
            if code in "[L":
                self.string()  # the field's class name
            types.append(code)
        if self.u8() != _TC_ENDBLOCKDATA or self.u8() != _TC_NULL:  # no annotations, no superclass
            raise fail(self.path, f"{WHAT}: unexpected class layout (damaged file)")
        return types

    def string(self) -> str:
        tag = self.u8()
        if tag == _TC_STRING:
            value = self.utf()
        elif tag == _TC_LONGSTRING:
            value = self.take(struct.unpack(">Q", self.take(8))[0]).decode("utf-8", errors="replace")
        elif tag == _TC_REFERENCE:
            handle = struct.unpack(">I", self.take(4))[0] - _BASE_HANDLE
            if not 0 <= handle < len(self.handles) or not isinstance(self.handles[handle], str):
                raise fail(self.path, f"{WHAT}: a bad back-reference (damaged file)")
            return self.handles[handle]
        else:
            raise fail(self.path, f"{WHAT}: expected a string (damaged file)")
        self.handles.append(value)
        return value

    def hashmap(self) -> dict[str, str]:
        if self.u8() != _TC_OBJECT or self.u8() != _TC_CLASSDESC:
            raise fail(self.path, f"{WHAT}: not a serialised map (damaged file)")
        sizes = {"B": 1, "C": 2, "D": 8, "F": 4, "I": 4, "J": 8, "S": 2, "Z": 1}
        fields = self.class_desc()
        self.handles.append("map")
        self.take(sum(sizes.get(t, 0) for t in fields))  # loadFactor, threshold
        if self.u8() != _TC_BLOCKDATA or self.u8() != 8:
            raise fail(self.path, f"{WHAT}: unexpected map layout (damaged file)")
        _capacity, size = struct.unpack(">ii", self.take(8))
        if not 0 <= size <= MAX_ENTRIES:
            raise fail(self.path, f"{WHAT}: implausible number of entries (damaged file)")
        return {self.string(): self.string() for _ in range(size)}


def _nonce(params: bytes) -> bytes:
    """The GCM nonce in Java's DER ``GCMParameters`` (an OCTET STRING, alone or first in a SEQUENCE)."""
    if params[:1] == b"\x30":
        params = params[2:]
    if params[:1] != b"\x04" or len(params) < 2 or len(params) < 2 + params[1]:
        raise ValueError("bad GCM parameters")
    return params[2:2 + params[1]]


def _open(enc: Any, key: bytes) -> bytes:
    """Decrypt one FreeOTP ``EncryptedKey`` JSON object (AES-GCM, AAD = its mToken); InvalidTag if the key is wrong."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not isinstance(enc, dict) or enc.get("mCipher") != "AES/GCM/NoPadding":
        raise ValueError("unexpected cipher")
    token = enc.get("mToken") if isinstance(enc.get("mToken"), str) else ""
    return AESGCM(key).decrypt(_nonce(signed_bytes(enc.get("mParameters"))), signed_bytes(enc.get("mCipherText")),
                               token.encode("utf-8"))


def parse_freeotp2(data: bytes, path: Path, col: Collector, password_provider: PasswordProvider | None) -> str:
    from cryptography.exceptions import InvalidTag

    entries = _Stream(data, path).hashmap()
    try:
        mk = json.loads(entries["masterKey"])
        kdf = _KDF[mk["mAlgorithm"]]
        salt = signed_bytes(mk["mSalt"])
    except (KeyError, TypeError, ValueError, json.JSONDecodeError):
        raise fail(path, f"{WHAT}: no usable master key (damaged file)") from None
    password = need_password(password_provider, path, WHAT)
    try:
        pass_key = pbkdf2(kdf, password, salt, mk.get("mIterations"), path=path, what=WHAT)
    finally:
        del password
    try:
        master = _open(mk.get("mEncryptedKey"), pass_key)
    except InvalidTag:
        raise fail(path, f"wrong password (the {WHAT} does not open with it)") from None
    except (ValueError, TypeError):
        raise fail(path, f"{WHAT}: the master key is damaged") from None
    finally:
        del pass_key
    uuids = [k for k in entries if k != "masterKey" and not k.endswith("-token")]
    for i, uuid in enumerate(sorted(uuids), start=1):
        where = f"FreeOTP token #{i}"
        try:
            meta = json.loads(entries.get(f"{uuid}-token", "null"))
            secret = _open(json.loads(json.loads(entries[uuid])["key"]), master)
        except (InvalidTag, ValueError, TypeError, KeyError, json.JSONDecodeError):
            col.skip(where, None, "its secret does not decrypt (damaged entry)")
            continue
        if not isinstance(meta, dict):
            col.skip(where, None, "no token description")
            continue
        add_token(dict(meta, secret=list(secret)), where, path, col, "freeotp", counter_offset=0)
        del secret
    del master
    if not uuids:
        raise fail(path, f"{WHAT}: the backup holds no token")
    return "freeotp"
