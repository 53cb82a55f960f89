"""andOTP JSON backups (the plain ones): a list of entries with tags; older files put the issuer in the label."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mfakit.importers.common import make_record, secret_bytes
from mfakit.importers.record import Collector


def looks_like(doc: Any) -> bool:
    return (isinstance(doc, list) and bool(doc) and isinstance(doc[0], dict)
            and "secret" in doc[0] and ("label" in doc[0] or "issuer" in doc[0]))


def parse_andotp(doc: list[Any], path: Path, col: Collector) -> str:
    for i, e in enumerate(doc, start=1):
        if not isinstance(e, dict):
            col.skip(f"andOTP entry #{i}", None, "not an object")
            continue
        try:
            otp_type = str(e.get("type") or "totp").lower()
            secret = secret_bytes(e.get("secret"), otp_type)
            issuer, label = e.get("issuer"), e.get("label")
            if label is not None and not isinstance(label, str):
                raise ValueError("'label' is not text")
            if not issuer and label and " - " in label:  # old files: "Issuer - account"
                issuer, label = (part.strip() for part in label.split(" - ", 1))
            if isinstance(issuer, str) and issuer and label and label.startswith(issuer + ":"):
                label = label[len(issuer) + 1:].strip()  # some files repeat "Issuer:" in the label
            tags = tuple(t for t in e.get("tags") or [] if isinstance(t, str))
            record = make_record(issuer=issuer, account=label, otp_type=otp_type, algorithm=e.get("algorithm"),
                                 digits=e.get("digits"), period=e.get("period"), counter=e.get("counter"),
                                 fmt="andotp", groups=tags, source=str(path))
        except (ValueError, TypeError) as exc:
            col.skip(f"andOTP entry #{i}", e.get("issuer") or e.get("label"), str(exc))
            continue
        col.add(record, secret)
        del secret
    return "andotp"


MIN_ENCRYPTED = 4 + 12 + 12 + 16
#: andOTP writes 140,000–160,000 PBKDF2 iterations; a count far outside is not an andOTP header.
MAX_ANDOTP_ITERATIONS = 500_000


def decrypt(data: bytes, path: Path, password_provider: Any) -> Any | None:
    """An andOTP encrypted backup (``.json.aes``) → its JSON list, or None when the password does not open it.

    Current files: 4-byte big-endian PBKDF2-HMAC-SHA1 iteration count, 12-byte salt, 12-byte IV, AES-256-GCM
    ciphertext + tag. Files from andOTP before 0.6.3: key = SHA-256(password), 12-byte IV, AES-256-GCM.
    """
    import hashlib
    import json

    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from mfakit.importers.common import need_password
    from mfakit.importers.kdf import pbkdf2

    what = "andOTP encrypted backup"
    password = need_password(password_provider, path, "a binary file (an andOTP encrypted backup?)")
    attempts: list[tuple[bytes, bytes, bytes]] = []
    try:
        iterations = int.from_bytes(data[:4], "big")
        if 1000 <= iterations <= MAX_ANDOTP_ITERATIONS and len(data) >= MIN_ENCRYPTED:
            key = pbkdf2("sha1", password, data[4:16], iterations, path=path, what=what)
            attempts.append((key, data[16:28], data[28:]))
        if len(data) >= 12 + 16:
            attempts.append((hashlib.sha256(password).digest(), data[:12], data[12:]))
    finally:
        del password
    for key, iv, ct in attempts:
        try:
            plain = AESGCM(key).decrypt(iv, ct, None)
        except (InvalidTag, ValueError):
            continue
        try:
            return json.loads(plain.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return None
    return None
