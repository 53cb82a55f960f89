"""Bitwarden exports (unencrypted JSON and CSV): the TOTP field of each login, named after the item."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Callable

from mfakit.importers.common import fail, make_record, secret_bytes
from mfakit.importers.otpauth_uri import parse_key_uri
from mfakit.importers.record import Collector

PasswordProvider = Callable[[Path], str]


def looks_like(doc: Any) -> bool:
    """Unencrypted (``items``), password-protected (``data`` + ``kdfType``) or account-restricted exports."""
    return isinstance(doc, dict) and "encrypted" in doc and (
        isinstance(doc.get("items"), list) or "data" in doc or "kdfType" in doc or "passwordProtected" in doc)


def looks_like_csv(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    return "login_totp" in first and "," in first


def _add(totp: str, name: str, username: str, groups: tuple[str, ...], where: str, path: Path,
         col: Collector) -> None:
    """One TOTP field: an otpauth URI, ``steam://SECRET`` or a bare Base32 secret."""
    value = totp.strip()
    try:
        if value[:10].lower() == "otpauth://":
            record, secret, warnings = parse_key_uri(value, fmt="bitwarden", source=str(path), fallback_issuer=name,
                                                     fallback_account=username, groups=groups)
            for w in warnings:
                col.warn(f"{where}: {w}")
        elif value[:8].lower() == "steam://":
            secret = secret_bytes(value[8:], "steam")
            record = make_record(issuer=name, account=username, otp_type="steam", fmt="bitwarden", groups=groups,
                                 source=str(path))
        else:
            secret = secret_bytes(value, "totp")
            record = make_record(issuer=name, account=username, fmt="bitwarden", groups=groups, source=str(path))
    except ValueError as exc:
        col.skip(where, name, f"TOTP field: {exc}")
        return
    col.add(record, secret)
    del secret


def parse_bitwarden_json(doc: dict[str, Any], path: Path, col: Collector,
                         password_provider: PasswordProvider | None = None) -> str:
    if doc.get("encrypted") is True:
        from mfakit.importers.bitwarden_crypto import decrypt

        vault = decrypt(doc, path, password_provider)
        if not isinstance(vault, dict) or not isinstance(vault.get("items"), list):
            raise fail(path, "Bitwarden password-protected export: the decrypted vault has no 'items' list")
        doc = vault
    if not isinstance(doc.get("items"), list):
        raise fail(path, "Bitwarden export: 'items' is missing or not a list")
    raw_folders = doc.get("folders") if isinstance(doc.get("folders"), list) else []
    folders = {f["id"]: f["name"] for f in raw_folders
               if isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("name"), str)}
    for i, item in enumerate(doc["items"], start=1):
        if not isinstance(item, dict):
            col.skip(f"Bitwarden item #{i}", None, "not an object")
            continue
        login = item.get("login")
        if not isinstance(login, dict) or not login.get("totp"):
            continue
        if not isinstance(login["totp"], str):
            col.skip(f"Bitwarden item #{i}", item.get("name"), "the TOTP field is not text")
            continue
        name = item.get("name") if isinstance(item.get("name"), str) else ""
        username = login.get("username") if isinstance(login.get("username"), str) else ""
        folder = folders.get(item["folderId"]) if isinstance(item.get("folderId"), str) else None
        _add(login["totp"], name, username, (folder,) if folder else (), f"Bitwarden item #{i}", path, col)
    if col.file_records == 0 and not col.file_skips:
        col.warn("no item of this Bitwarden export has a TOTP code (only logins whose TOTP field is set are read)")
    return "bitwarden"


def parse_bitwarden_csv(text: str, path: Path, col: Collector) -> str:
    try:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "login_totp" not in reader.fieldnames:
            raise fail(path, "Bitwarden CSV: no 'login_totp' column")
        for row in reader:
            totp = row.get("login_totp")
            if not isinstance(totp, str) or not totp.strip():
                continue
            where = f"Bitwarden CSV line {reader.line_num}"
            folder = (row.get("folder") or "").strip() if isinstance(row.get("folder"), str) else ""
            name = row.get("name") if isinstance(row.get("name"), str) else ""
            user = row.get("login_username") if isinstance(row.get("login_username"), str) else ""
            _add(totp, name or "", user or "", (folder,) if folder else (), where, path, col)
    except csv.Error as exc:
        raise fail(path, f"Bitwarden CSV is malformed near line {reader.line_num} ({type(exc).__name__})") from None
    if col.file_records == 0 and not col.file_skips:
        col.warn("no row of this Bitwarden CSV has a TOTP code (only logins whose login_totp is set are read)")
    return "bitwarden"
