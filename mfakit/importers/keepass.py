"""KeePass / KeePassXC / KeePassDX databases (KDBX 3.1 and 4) with TOTP entries, read with pykeepass.

TOTP fields understood: KeePassXC's ``otp`` (an otpauth:// URI, or the older ``key=…&step=…&size=…`` form),
KeePassXC's legacy ``TOTP Seed`` + ``TOTP Settings`` (``30;6`` or ``30;S`` for Steam), and KeePass 2.47's
``TimeOtp-*`` / ``HmacOtp-*`` fields. Entries in the recycle bin are left out. The key-derivation cost in the
header is checked before any work (AES-KDF runs inside the AES library, not round by round in Python).
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs

from mfakit.importers.common import fail, make_record, need_password, secret_bytes
from mfakit.importers.kdf import aes_kdf, argon2
from mfakit.importers.otpauth_uri import parse_key_uri
from mfakit.importers.record import Collector

PasswordProvider = Callable[[Path], str]
SIGNATURE = b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5"
WHAT = "KeePass database"
_AES_KDF = bytes.fromhex("c9d9f39a628a4460bf740d08c18a4fea")
_ARGON2D = bytes.fromhex("ef636ddf8c29444b91f7a9a403e30a0c")
_ARGON2ID = bytes.fromhex("9e298b1956db4773b23dfc3ec6f0a1e6")
_ALGS = {"HMAC-SHA-1": "SHA1", "HMAC-SHA-256": "SHA256", "HMAC-SHA-512": "SHA512"}


def looks_like(data: bytes) -> bool:
    return data.startswith(SIGNATURE)


def _variant_dict(raw: bytes, path: Path) -> dict[str, Any]:
    """KDBX 4's VariantDictionary (the KDF parameters)."""
    out: dict[str, Any] = {}
    pos = 2
    try:
        while pos < len(raw):
            kind = raw[pos]
            if kind == 0:
                break
            klen = struct.unpack_from("<I", raw, pos + 1)[0]
            key = raw[pos + 5:pos + 5 + klen].decode("utf-8")
            pos += 5 + klen
            vlen = struct.unpack_from("<I", raw, pos)[0]
            value = raw[pos + 4:pos + 4 + vlen]
            pos += 4 + vlen
            if kind in (0x04, 0x05):
                out[key] = int.from_bytes(value, "little")
            elif kind == 0x42:
                out[key] = bytes(value)
    except (struct.error, UnicodeDecodeError, IndexError):
        raise fail(path, f"{WHAT}: the key-derivation header is damaged") from None
    return out


def _kdf_params(data: bytes, path: Path) -> tuple[int, dict[str, Any]]:
    """(major version, KDF parameters) read from the outer header."""
    if len(data) < 12:
        raise fail(path, f"{WHAT}: the file is too short (truncated?)")
    major = struct.unpack_from("<H", data, 10)[0]
    if major not in (3, 4):
        raise fail(path, f"{WHAT}: KDBX version {major} is not supported (3 or 4; KeePass 1 .kdb files are not)")
    pos, size_len = 12, 2 if major == 3 else 4
    params: dict[str, Any] = {}
    try:
        while pos < len(data):
            fid = data[pos]
            size = int.from_bytes(data[pos + 1:pos + 1 + size_len], "little")
            value = data[pos + 1 + size_len:pos + 1 + size_len + size]
            pos += 1 + size_len + size
            if fid == 0:
                break
            if major == 3 and fid == 5:
                params["S"], params["$UUID"] = bytes(value), _AES_KDF
            elif major == 3 and fid == 6:
                params["R"] = int.from_bytes(value, "little")
            elif major == 4 and fid == 11:
                params = _variant_dict(value, path)
    except IndexError:
        raise fail(path, f"{WHAT}: the header is damaged (truncated?)") from None
    return major, params


def _transformed_key(data: bytes, password: bytes, path: Path) -> bytes:
    import hashlib

    _major, p = _kdf_params(data, path)
    composite = hashlib.sha256(hashlib.sha256(password).digest()).digest()
    uuid, salt = p.get("$UUID"), p.get("S")
    if not isinstance(salt, bytes):
        raise fail(path, f"{WHAT}: no key-derivation salt in the header (damaged file)")
    if uuid == _AES_KDF:
        return aes_kdf(salt, p.get("R"), composite, path=path, what=WHAT)
    if uuid in (_ARGON2D, _ARGON2ID):
        memory = p.get("M")
        return argon2(composite, salt, p.get("I"), memory // 1024 if isinstance(memory, int) else memory,
                      p.get("P"), path=path, what=WHAT, variant="id" if uuid == _ARGON2ID else "d")
    raise fail(path, f"{WHAT}: unknown key-derivation function in the header")


def _entry_otp(fields: dict[str, str], title: str, username: str, path: Path) -> tuple[Any, bytes, list[str]]:
    """(record, secret, warnings) from one entry's fields; ValueError when its TOTP fields are malformed."""
    otp = (fields.get("otp") or "").strip()
    if otp.lower().startswith("otpauth://"):
        return parse_key_uri(otp, fmt="keepass", source=str(path), fallback_issuer=title, fallback_account=username)
    if otp:  # KeeOtp / old KeePassXC: key=BASE32&step=30&size=6&otpHashMode=sha256
        q = {k.lower(): v[0] for k, v in parse_qs(otp, keep_blank_values=True).items()}
        secret = secret_bytes(q.get("key"), "totp")
        record = make_record(issuer=title, account=username, algorithm=q.get("otphashmode"), digits=q.get("size"),
                             period=q.get("step"), fmt="keepass", source=str(path))
        return record, secret, []
    if fields.get("TOTP Seed"):
        settings = (fields.get("TOTP Settings") or "30;6").split(";")
        steam = len(settings) > 1 and settings[1].strip().upper() == "S"
        secret = secret_bytes(fields["TOTP Seed"], "steam" if steam else "totp")
        record = make_record(issuer=title, account=username, otp_type="steam" if steam else "totp",
                             period=settings[0] or None, digits=None if steam else (settings[1:] or [None])[0],
                             fmt="keepass", source=str(path))
        return record, secret, []
    for kind, prefix in (("totp", "TimeOtp-"), ("hotp", "HmacOtp-")):
        raw = {k[len(prefix):]: v for k, v in fields.items() if k.startswith(prefix)}
        if not raw:
            continue
        if raw.get("Secret-Base32"):
            secret = secret_bytes(raw["Secret-Base32"], kind)
        elif raw.get("Secret-Hex"):
            try:
                secret = bytes.fromhex(raw["Secret-Hex"].replace(" ", ""))
            except ValueError:
                raise ValueError("secret is not hex") from None
        elif raw.get("Secret-Base64"):
            try:
                secret = base64.b64decode(raw["Secret-Base64"], validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("secret is not base64") from None
        elif raw.get("Secret"):
            secret = raw["Secret"].encode("utf-8")
        else:
            raise ValueError("no TOTP secret field")
        algorithm = _ALGS.get(raw.get("Algorithm", ""), raw.get("Algorithm"))
        record = make_record(issuer=title, account=username, otp_type=kind, algorithm=algorithm,
                             digits=raw.get("Length"), period=raw.get("Period"), counter=raw.get("Counter"),
                             fmt="keepass", source=str(path))
        return record, secret, []
    raise LookupError


def parse_keepass(data: bytes, path: Path, col: Collector, password_provider: PasswordProvider | None) -> str:
    from pykeepass import PyKeePass
    from pykeepass.exceptions import CredentialsError, HeaderChecksumError, PayloadChecksumError

    password = need_password(password_provider, path, WHAT)
    try:
        key = _transformed_key(data, password, path)
        try:
            db = PyKeePass(io.BytesIO(data), password=password.decode("utf-8"), transformed_key=key)
        except CredentialsError:
            raise fail(path, f"wrong password (the {WHAT} does not open with it; databases that need a key "
                             "file are not supported)") from None
        except (HeaderChecksumError, PayloadChecksumError):
            raise fail(path, f"{WHAT}: checksum mismatch (damaged file, or a wrong password)") from None
        except Exception as exc:  # construct / lxml errors on a damaged payload
            raise fail(path, f"{WHAT}: cannot be read ({type(exc).__name__}; damaged file?)") from None
    finally:
        del password
    bin_group = db.recyclebin_group
    found = 0
    for i, entry in enumerate(db.entries, start=1):
        group = entry.group
        if bin_group is not None and any(g.uuid == bin_group.uuid for g in _parents(group)):
            continue
        fields = {**{k: v for k, v in (entry.custom_properties or {}).items() if isinstance(v, str)}}
        if entry.otp:
            fields["otp"] = entry.otp
        title, username = entry.title or "", entry.username or ""
        try:
            record, secret, warnings = _entry_otp(fields, title, username, path)
        except LookupError:
            continue  # an entry without TOTP: a password only
        except (ValueError, TypeError) as exc:
            col.skip(f"KeePass entry #{i}", title, str(exc))
            continue
        found += 1
        root = db.root_group
        groups = (group.name,) if group is not None and group.name and group.uuid != root.uuid else ()
        if groups:
            from dataclasses import replace

            record = replace(record, groups=groups)
        for w in warnings:
            col.warn(f"KeePass entry #{i}: {w}")
        col.add(record, secret)
        del secret
    if not found and not col.file_skips:
        raise fail(path, f"{WHAT}: no entry has a TOTP field (otp, TOTP Seed or TimeOtp-Secret), so there is "
                         "nothing to import; export from the app that holds your codes instead")
    return "keepass"


def _parents(group: Any) -> list[Any]:
    """The group and its ancestors, root last."""
    out = []
    while group is not None and len(out) < 64:
        out.append(group)
        group = group.parentgroup
    return out
