"""Ente Auth's encrypted export (its default): JSON ``{version: 1, kdfParams{memLimit, opsLimit, salt},
encryptedData, encryptionNonce}``. The key is libsodium's ``crypto_pwhash`` (Argon2id v1.3, one lane,
``opsLimit`` passes, ``memLimit`` bytes); the data is one libsodium secretstream (XChaCha20-Poly1305) message
whose header is ``encryptionNonce``. The plaintext is Ente's plain export: otpauth:// links, one per line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from mfakit.importers.common import b64, fail, need_password
from mfakit.importers.kdf import argon2

PasswordProvider = Callable[[Path], str]
WHAT = "Ente Auth export"


def looks_like(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("kdfParams"), dict) and "encryptedData" in doc


def decrypt(doc: dict[str, Any], path: Path, password_provider: PasswordProvider | None) -> str:
    from nacl.bindings import (crypto_secretstream_xchacha20poly1305_init_pull,
                               crypto_secretstream_xchacha20poly1305_pull,
                               crypto_secretstream_xchacha20poly1305_state)
    from nacl.exceptions import CryptoError

    if doc.get("version") != 1:
        raise fail(path, f"{WHAT}: version {doc.get('version')!r:.10} is not one this kit knows (1)")
    params = doc["kdfParams"]
    salt = b64(params.get("salt"), path, f"{WHAT}: the salt")
    header = b64(doc.get("encryptionNonce"), path, f"{WHAT}: the nonce")
    data = b64(doc.get("encryptedData"), path, f"{WHAT}: the data")
    if len(header) != 24 or len(data) < 17:
        raise fail(path, f"{WHAT}: the nonce or data has a wrong length (damaged file)")
    mem = params.get("memLimit")
    mem_kib = mem // 1024 if isinstance(mem, int) and not isinstance(mem, bool) else mem
    password = need_password(password_provider, path, WHAT)
    try:
        key = argon2(password, salt, params.get("opsLimit"), mem_kib, 1, path=path, what=WHAT)
    finally:
        del password
    state = crypto_secretstream_xchacha20poly1305_state()
    try:
        crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
        plain, _tag = crypto_secretstream_xchacha20poly1305_pull(state, data, None)
    except (CryptoError, ValueError, TypeError):
        raise fail(path, f"wrong password (the {WHAT} does not decrypt with it)") from None
    finally:
        del key
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise fail(path, f"{WHAT}: the decrypted content is not text (damaged file)") from None
