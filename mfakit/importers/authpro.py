"""Stratum (formerly Authenticator Pro) backups: ``.authpro`` JSON, encrypted ``.authpro`` (its documented
"strong" Argon2id + AES-GCM and "legacy" PBKDF2-SHA1 + AES-CBC schemes) and the HTML export.

Plain JSON: ``Authenticators[]`` (``Type`` 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex; ``Algorithm`` 0 SHA1,
1 SHA256, 2 SHA512), ``Categories[]`` and ``AuthenticatorCategories[]`` (category of each entry → groups).
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any, Callable

from mfakit.importers.common import fail, make_record, need_password, secret_bytes
from mfakit.importers.kdf import argon2, pbkdf2
from mfakit.importers.otpauth_uri import parse_key_uri
from mfakit.importers.record import Collector

PasswordProvider = Callable[[Path], str]
STRONG_HEADER = b"AUTHENTICATORPRO"
LEGACY_HEADER = b"AuthenticatorPro"
_TYPES = {1: "hotp", 2: "totp", 3: "motp", 4: "steam", 5: "yandex"}
_ALGORITHMS = {0: "SHA1", 1: "SHA256", 2: "SHA512"}
_CODE = re.compile(r"<code>\s*([^<\s]+)\s*</code>", re.IGNORECASE)


def looks_like(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("Authenticators"), list)


def looks_encrypted(data: bytes) -> bool:
    return data.startswith((STRONG_HEADER, LEGACY_HEADER))


def looks_like_html(text: str) -> bool:
    head = text[:3000].lower()
    return ("<html" in head or "<!doctype html" in head) and ("otpauth://" in text or "backup" in head)


def parse_authpro(doc: dict[str, Any], path: Path, col: Collector) -> str:
    raw_cats = doc.get("Categories") if isinstance(doc.get("Categories"), list) else []
    names = {c.get("Id"): c.get("Name") for c in raw_cats if isinstance(c, dict) and isinstance(c.get("Name"), str)}
    by_secret: dict[str, list[str]] = {}
    bindings = doc.get("AuthenticatorCategories") if isinstance(doc.get("AuthenticatorCategories"), list) else []
    for b in bindings:
        if isinstance(b, dict) and isinstance(b.get("AuthenticatorSecret"), str) and b.get("CategoryId") in names:
            by_secret.setdefault(b["AuthenticatorSecret"], []).append(names[b["CategoryId"]])
    for i, a in enumerate(doc["Authenticators"], start=1):
        where = f"Stratum entry #{i}"
        if not isinstance(a, dict):
            col.skip(where, None, "not an object")
            continue
        issuer = a.get("Issuer")
        try:
            kind = a.get("Type")
            if kind not in _TYPES or isinstance(kind, bool):
                raise ValueError("unknown 'Type' code")
            otp_type = _TYPES[kind]
            algorithm = a.get("Algorithm", 0)
            if algorithm not in _ALGORITHMS or isinstance(algorithm, bool):
                raise ValueError("unknown 'Algorithm' code")
            secret = secret_bytes(a.get("Secret"), otp_type)
            groups = tuple(by_secret.get(a["Secret"], ())) if isinstance(a.get("Secret"), str) else ()
            record = make_record(issuer=issuer, account=a.get("Username"), otp_type=otp_type,
                                 algorithm=_ALGORITHMS[algorithm], digits=a.get("Digits"), period=a.get("Period"),
                                 counter=a.get("Counter"), fmt="authpro", groups=groups, source=str(path))
        except (ValueError, TypeError) as exc:
            col.skip(where, issuer, str(exc))
            continue
        col.add(record, secret)
        del secret
    return "authpro"


def decrypt(data: bytes, path: Path, password_provider: PasswordProvider | None) -> Any:
    """An encrypted ``.authpro`` → its JSON document (strong or legacy scheme, by header)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    what = "Stratum (Authenticator Pro) backup"
    strong = data.startswith(STRONG_HEADER)
    salt_len, iv_len = (16, 12) if strong else (20, 16)
    body = data[16:]
    if len(body) < salt_len + iv_len + 16:
        raise fail(path, f"{what}: the file is too short (truncated?)")
    salt, iv, ct = body[:salt_len], body[salt_len:salt_len + iv_len], body[salt_len + iv_len:]
    password = need_password(password_provider, path, what)
    try:
        if strong:
            key = argon2(password, salt, 3, 64 * 1024, 4, path=path, what=what)
        else:
            key = pbkdf2("sha1", password, salt, 64_000, path=path, what=what)
    finally:
        del password
    try:
        if strong:
            plain = AESGCM(key).decrypt(iv, ct, None)
        else:
            if len(ct) % 16:
                raise ValueError("not whole blocks")
            dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
            unpadder = padding.PKCS7(128).unpadder()
            plain = unpadder.update(dec.update(ct) + dec.finalize()) + unpadder.finalize()
    except (InvalidTag, ValueError):
        raise fail(path, f"wrong password (the {what} does not decrypt with it)") from None
    finally:
        del key
    try:
        return json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise fail(path, f"wrong password (the {what} does not decrypt to JSON with it)") from None


def parse_encrypted(data: bytes, path: Path, col: Collector, password_provider: PasswordProvider | None) -> str:
    doc = decrypt(data, path, password_provider)
    if not looks_like(doc):
        raise fail(path, "Stratum (Authenticator Pro) backup: the decrypted content has no 'Authenticators' list")
    parse_authpro(doc, path, col)
    return "authpro"


def parse_html(text: str, path: Path, col: Collector) -> str:
    """The HTML export: one ``<code>`` link per entry (otpauth:// key URIs; mOTP links are skipped)."""
    links = [unescape(m) for m in _CODE.findall(text)]
    if not links:
        raise fail(path, "an HTML page without authenticator links: not a Stratum (Authenticator Pro) HTML export")
    for i, link in enumerate(links, start=1):
        where = f"Stratum HTML entry #{i}"
        if not link.lower().startswith("otpauth://"):
            col.skip(where, None, "not an otpauth:// link (mOTP entries have no standard link)")
            continue
        try:
            record, secret, warnings = parse_key_uri(link, fmt="authpro", source=str(path))
        except ValueError as exc:
            col.skip(where, None, str(exc))
            continue
        for w in warnings:
            col.warn(f"{where}: {w}")
        col.add(record, secret)
        del secret
    return "authpro"
