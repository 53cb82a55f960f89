"""Aegis vaults: plain (db versions 1–3, with groups) and encrypted (scrypt password slot + AES-256-GCM)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from pathlib import Path
from typing import Any, Callable

from mfakit.importers.common import fail, make_record, need_password, secret_bytes
from mfakit.importers.kdf import check_scrypt
from mfakit.importers.record import Collector

PasswordProvider = Callable[[Path], str]
#: Password slots tried at most (Aegis writes one; each costs a scrypt run — bounds in mfakit.importers.kdf).
MAX_PASSWORD_SLOTS = 3


def looks_like(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("header"), dict) and "db" in doc


def _hex(value: Any, what: str, path: Path) -> bytes:
    try:
        return bytes.fromhex(value)
    except (TypeError, ValueError):
        raise fail(path, f"Aegis vault: {what} is not hex (damaged header)") from None


def _decrypt(doc: dict[str, Any], path: Path, password_provider: PasswordProvider | None) -> Any:
    """Open the password slot, then the database; returns the decrypted db object."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = doc["header"]
    slots = header.get("slots")
    params = header.get("params")
    if not isinstance(slots, list) or not isinstance(params, dict):
        raise fail(path, "Aegis vault: the header has no usable slots/params")
    pw_slots = [s for s in slots if isinstance(s, dict) and s.get("type") == 1]
    if not pw_slots:
        raise fail(path, "Aegis vault: no password slot (only biometric slots cannot be opened here)")
    try:
        ciphertext = base64.b64decode(doc["db"], validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise fail(path, "Aegis vault: the encrypted db is not valid base64") from None
    nonce, tag = _hex(params.get("nonce"), "params.nonce", path), _hex(params.get("tag"), "params.tag", path)
    password = need_password(password_provider, path, "Aegis vault")
    try:
        master = None
        for slot in pw_slots[:MAX_PASSWORD_SLOTS]:
            n, r, p = check_scrypt(slot.get("n"), slot.get("r"), slot.get("p"), path=path, what="Aegis vault")
            salt = _hex(slot.get("salt"), "slot salt", path)
            kp = slot.get("key_params") if isinstance(slot.get("key_params"), dict) else {}
            wrapped = _hex(slot.get("key"), "slot key", path)
            snonce, stag = _hex(kp.get("nonce"), "slot nonce", path), _hex(kp.get("tag"), "slot tag", path)
            derived = hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=32,
                                     maxmem=128 * n * r * p + 64 * 1024 * 1024)
            try:
                master = AESGCM(derived).decrypt(snonce, wrapped + stag, None)
                break
            except (InvalidTag, ValueError):
                continue
            finally:
                del derived
    finally:
        del password
    if master is None:
        tried = f" (the first {MAX_PASSWORD_SLOTS} of {len(pw_slots)} were tried)" if len(pw_slots) > MAX_PASSWORD_SLOTS else ""
        raise fail(path, f"wrong password (no password slot of the Aegis vault opens with it{tried})")
    try:
        plain = AESGCM(master).decrypt(nonce, ciphertext + tag, None)
    except (InvalidTag, ValueError):
        raise fail(path, "Aegis vault: the database does not decrypt (damaged file)") from None
    finally:
        del master
    try:
        return json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise fail(path, "Aegis vault: the decrypted database is not JSON (damaged file)") from None


def parse_aegis(doc: dict[str, Any], path: Path, col: Collector,
                password_provider: PasswordProvider | None = None) -> str:
    """Add the vault's entries to ``col``; returns the format name."""
    db = doc.get("db")
    if isinstance(db, str):
        db = _decrypt(doc, path, password_provider)
    if not isinstance(db, dict) or not isinstance(db.get("entries"), list):
        raise fail(path, "Aegis vault: 'db.entries' is missing or not a list")
    version = db.get("version", 1)
    if version not in (1, 2, 3):
        col.warn(f"Aegis database version {version!r} is newer than this kit knows (1-3); reading it anyway")
    group_names: dict[str, str] = {}
    for g in db.get("groups") or []:
        if isinstance(g, dict) and isinstance(g.get("uuid"), str) and isinstance(g.get("name"), str):
            group_names[g["uuid"]] = g["name"]
    for i, e in enumerate(db["entries"], start=1):
        if not isinstance(e, dict) or not isinstance(e.get("info"), dict):
            col.skip(f"Aegis entry #{i}", e.get("issuer") if isinstance(e, dict) else None,
                     "not an object with 'info'")
            continue
        info = e["info"]
        groups: list[str] = []
        if isinstance(e.get("group"), str):
            groups.append(e["group"])
        for gid in e.get("groups") or []:
            if isinstance(gid, str):
                groups.append(group_names.get(gid, gid))
        try:
            otp_type = str(e.get("type") or "totp").lower()
            secret = secret_bytes(info.get("secret"), otp_type)
            record = make_record(issuer=e.get("issuer"), account=e.get("name"), otp_type=otp_type,
                                 algorithm=info.get("algo"), digits=info.get("digits"), period=info.get("period"),
                                 counter=info.get("counter"), fmt="aegis", groups=tuple(groups), source=str(path))
        except (ValueError, TypeError) as exc:
            col.skip(f"Aegis entry #{i}", e.get("issuer"), str(exc))
            continue
        col.add(record, secret)
        del secret
    return "aegis"
