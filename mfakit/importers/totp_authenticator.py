"""TOTP Authenticator (BinaryBoot) backups: base64 text of AES-256-CBC (key = SHA-256 of the password, a zero
IV) over a JSON object whose first key is the JSON list of entries (``issuer``, ``name``, ``key`` in base 16,
32 or 64). A backup made without a password uses the app's built-in one. The app's internal preferences file
(``STATIC_TOTP_CODES_LIST``) holds the same list in clear."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from html import unescape
from pathlib import Path
from typing import Any, Callable

from mfakit.errors import ImportFormatError
from mfakit.importers.common import base32_secret, fail, make_record
from mfakit.importers.record import Collector

PasswordProvider = Callable[[Path], str]
WHAT = "TOTP Authenticator backup"
BUILT_IN_PASSWORD = "TotpAuthenticator"  # what the app encrypts with when the user sets no password
_PREF = re.compile(r'<string name="STATIC_TOTP_CODES_LIST">(.*?)</string>', re.DOTALL)


def _decrypt(blob: bytes, password: str) -> Any | None:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if not blob or len(blob) % 16:
        return None
    dec = Cipher(algorithms.AES(hashlib.sha256(password.encode("utf-8")).digest()), modes.CBC(bytes(16))).decryptor()
    try:
        unpadder = padding.PKCS7(128).unpadder()
        plain = unpadder.update(dec.update(blob) + dec.finalize()) + unpadder.finalize()
        doc = json.loads(plain.decode("utf-8"))
        return json.loads(next(iter(doc))) if isinstance(doc, dict) and doc else None
    except (ValueError, UnicodeDecodeError, RecursionError, StopIteration, TypeError):
        return None


def _secret(entry: dict[str, Any]) -> bytes:
    key, base = entry.get("key"), entry.get("base", 32)
    if not isinstance(key, str):
        raise ValueError("secret is not text")
    try:
        if base == 16:
            return bytes.fromhex(key)
        if base == 64:
            return base64.b64decode(key, validate=True)
    except (ValueError, binascii.Error):
        raise ValueError(f"secret is not base {base}") from None
    if base != 32:
        raise ValueError("unknown secret encoding")
    return base32_secret(key)


def _add_all(entries: Any, path: Path, col: Collector) -> str:
    if not isinstance(entries, list):
        raise fail(path, f"{WHAT}: the decrypted content is not a list of entries")
    for i, e in enumerate(entries, start=1):
        issuer = e.get("issuer") if isinstance(e, dict) else None
        try:
            if not isinstance(e, dict):
                raise ValueError("not an object")
            secret = _secret(e)
            group = e.get("accountHeaderLabel") if isinstance(e.get("accountHeaderLabel"), str) else ""
            record = make_record(issuer=issuer, account=e.get("name"), digits=e.get("digits") or None,
                                 period=e.get("period") or None, fmt="totp-authenticator",
                                 groups=(group,) if group else (), source=str(path))
        except (ValueError, TypeError) as exc:
            col.skip(f"TOTP Authenticator entry #{i}", issuer, str(exc))
            continue
        col.add(record, secret)
        del secret
    return "totp-authenticator"


def parse_backup(text: str, path: Path, col: Collector, password_provider: PasswordProvider | None) -> str:
    try:
        blob = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise fail(path, f"{WHAT}: not valid base64 (damaged file)") from None
    entries = _decrypt(blob, BUILT_IN_PASSWORD)
    if entries is None:
        if password_provider is None:
            raise fail(path, f"{WHAT}: it is encrypted; give its password at the prompt or with --password-stdin")
        try:
            password = password_provider(path)
        except ImportFormatError:
            raise fail(path, f"{WHAT} (or another encrypted base64 file): give its password at the prompt or "
                             "with --password-stdin") from None
        entries = _decrypt(blob, password)
        del password
        if entries is None:
            raise fail(path, f"wrong password (the file does not open as a {WHAT} with it)")
    return _add_all(entries, path, col)


def looks_like_prefs(text: str) -> bool:
    return "STATIC_TOTP_CODES_LIST" in text[:20000]


def parse_prefs(text: str, path: Path, col: Collector) -> str:
    m = _PREF.search(text)
    try:
        entries = json.loads(unescape(m.group(1))) if m else None
    except (json.JSONDecodeError, RecursionError):
        entries = None
    if entries is None:
        raise fail(path, "TOTP Authenticator preferences without a readable code list (damaged file)")
    return _add_all(entries, path, col)
