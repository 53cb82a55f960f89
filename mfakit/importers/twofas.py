"""2FAS ``.2fas`` backups: plain and password-encrypted (PBKDF2-HMAC-SHA256 + AES-GCM), with groups."""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any, Callable

from mfakit.importers.common import fail, make_record, need_password, secret_bytes
from mfakit.importers.record import Collector

PasswordProvider = Callable[[Path], str]
PBKDF2_ITERATIONS = 10_000


def looks_like(doc: Any) -> bool:
    return isinstance(doc, dict) and ("services" in doc or "servicesEncrypted" in doc) and (
        "schemaVersion" in doc or "servicesEncrypted" in doc)


def _b64(value: str, path: Path) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise fail(path, "2FAS backup: 'servicesEncrypted' is not valid base64") from None


def decrypt_services(blob: Any, path: Path, password_provider: PasswordProvider | None) -> Any:
    """``b64(ciphertext+tag):b64(salt):b64(iv)`` → the services list."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    if not isinstance(blob, str) or blob.count(":") != 2:
        raise fail(path, "2FAS backup: 'servicesEncrypted' is not ciphertext:salt:iv")
    ct, salt, iv = (_b64(part, path) for part in blob.split(":"))
    if len(iv) not in (12, 16) or len(ct) < 16 or not salt:
        raise fail(path, "2FAS backup: the encrypted services are too short (damaged file)")
    password = need_password(password_provider, path, "2FAS backup")
    try:
        key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=PBKDF2_ITERATIONS).derive(password)
    finally:
        del password
    try:
        plain = AESGCM(key).decrypt(iv, ct, None)
    except (InvalidTag, ValueError):
        raise fail(path, "wrong password (the 2FAS backup does not decrypt with it)") from None
    finally:
        del key
    try:
        return json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise fail(path, "2FAS backup: the decrypted services are not JSON (damaged file)") from None


def parse_twofas(doc: dict[str, Any], path: Path, col: Collector,
                 password_provider: PasswordProvider | None = None) -> str:
    services = doc.get("services")
    if doc.get("servicesEncrypted"):
        services = decrypt_services(doc["servicesEncrypted"], path, password_provider)
    if not isinstance(services, list):
        raise fail(path, "2FAS backup: 'services' is missing or not a list")
    raw_groups = doc.get("groups") if isinstance(doc.get("groups"), list) else []
    groups = {g["id"]: g["name"] for g in raw_groups
              if isinstance(g, dict) and isinstance(g.get("id"), str) and isinstance(g.get("name"), str)}
    for i, s in enumerate(services, start=1):
        if not isinstance(s, dict):
            col.skip(f"2FAS service #{i}", None, "not an object")
            continue
        otp = s.get("otp") if isinstance(s.get("otp"), dict) else {}
        name = s.get("name") if isinstance(s.get("name"), str) else ""
        try:
            otp_type = str(otp.get("tokenType") or "totp").lower()
            secret = secret_bytes(s.get("secret"), otp_type)
            issuer = otp.get("issuer") if isinstance(otp.get("issuer"), str) and otp.get("issuer") else name
            account = otp.get("account") or ""
            if not account and isinstance(otp.get("label"), str):  # "Issuer:account" or "account"
                account = otp["label"].split(":", 1)[-1].strip()
            gid = s.get("groupId") if isinstance(s.get("groupId"), str) else None
            record = make_record(issuer=issuer, account=account, otp_type=otp_type, algorithm=otp.get("algorithm"),
                                 digits=otp.get("digits"), period=otp.get("period"), counter=otp.get("counter"),
                                 fmt="2fas", groups=(groups[gid],) if gid in groups else (), source=str(path))
        except (ValueError, TypeError) as exc:
            col.skip(f"2FAS service #{i}", name, str(exc))
            continue
        col.add(record, secret)
        del secret
    return "2fas"
