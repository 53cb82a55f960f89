"""Bitwarden's password-protected JSON export: the key from the export password (PBKDF2-SHA256 or Argon2id, as
the file says), stretched with HKDF-Expand into an AES-256-CBC key and an HMAC-SHA256 key; ``data`` is an
EncString ``2.iv|ciphertext|mac`` holding the unencrypted JSON export. ``encKeyValidation_DO_NOT_EDIT`` is
checked first, so a wrong password is told apart from a damaged file. An "account restricted" export is
encrypted with the account's own key, which only Bitwarden itself can use."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any, Callable

from mfakit.importers.common import b64, fail, need_password
from mfakit.importers.kdf import argon2, pbkdf2

PasswordProvider = Callable[[Path], str]
WHAT = "Bitwarden password-protected export"


def _stretch(key: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

    enc = HKDFExpand(algorithm=hashes.SHA256(), length=32, info=b"enc").derive(key)
    mac = HKDFExpand(algorithm=hashes.SHA256(), length=32, info=b"mac").derive(key)
    return enc, mac


def _parts(enc_string: Any, path: Path, what: str) -> tuple[bytes, bytes, bytes]:
    if not isinstance(enc_string, str) or not enc_string.startswith("2.") or enc_string.count("|") != 2:
        raise fail(path, f"{WHAT}: {what} is not an AES-CBC + HMAC EncString (damaged file)")
    iv, ct, mac = enc_string[2:].split("|")
    return b64(iv, path, f"{WHAT}: {what}"), b64(ct, path, f"{WHAT}: {what}"), b64(mac, path, f"{WHAT}: {what}")


def _open(enc_string: Any, enc: bytes, mac_key: bytes, path: Path, what: str) -> bytes | None:
    """The plaintext, or None when the MAC does not match (wrong password)."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    iv, ct, mac = _parts(enc_string, path, what)
    if not hmac.compare_digest(hmac.new(mac_key, iv + ct, hashlib.sha256).digest(), mac):
        return None
    if len(iv) != 16 or not ct or len(ct) % 16:
        raise fail(path, f"{WHAT}: {what} has a wrong length (damaged file)")
    dec = Cipher(algorithms.AES(enc), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(dec.update(ct) + dec.finalize()) + unpadder.finalize()
    except ValueError:
        raise fail(path, f"{WHAT}: {what} does not decrypt (damaged file)") from None


def is_account_restricted(doc: dict[str, Any]) -> bool:
    return doc.get("encrypted") is True and not doc.get("passwordProtected")


def decrypt(doc: dict[str, Any], path: Path, password_provider: PasswordProvider | None) -> Any:
    """The decrypted vault (``{folders, items}``) of a password-protected export."""
    if is_account_restricted(doc):
        raise fail(path, "this is an account-restricted Bitwarden export (encrypted with your account key), "
                         "which only Bitwarden can open; export the vault again as 'Password protected' or as "
                         "unencrypted .json (and delete that file after importing)")
    salt = doc.get("salt")
    if not isinstance(salt, str) or not salt:
        raise fail(path, f"{WHAT}: no 'salt' (damaged file)")
    kdf = doc.get("kdfType")
    if kdf not in (0, 1) or isinstance(kdf, bool):
        raise fail(path, f"{WHAT}: unknown key-derivation type (kdfType {kdf!r:.10})")
    password = need_password(password_provider, path, WHAT)
    try:
        if kdf == 0:
            key = pbkdf2("sha256", password, salt.encode("utf-8"), doc.get("kdfIterations"), path=path, what=WHAT)
        else:
            memory = doc.get("kdfMemory")
            memory_kib = memory * 1024 if isinstance(memory, int) and not isinstance(memory, bool) else memory
            key = argon2(password, hashlib.sha256(salt.encode("utf-8")).digest(), doc.get("kdfIterations"),
                         memory_kib, doc.get("kdfParallelism"), path=path, what=WHAT)
    finally:
        del password
    enc, mac = _stretch(key)
    del key
    check = doc.get("encKeyValidation_DO_NOT_EDIT")
    if check is not None and _open(check, enc, mac, path, "the key check") is None:
        raise fail(path, f"wrong password (the {WHAT} does not open with it)")
    plain = _open(doc.get("data"), enc, mac, path, "'data'")
    if plain is None:
        raise fail(path, f"wrong password (the {WHAT} does not open with it)")
    try:
        return json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise fail(path, f"{WHAT}: the decrypted data is not JSON (damaged file)") from None
