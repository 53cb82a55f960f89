"""Files mfakit recognises but cannot read: one line saying which app and kind of file it is, and what to
export instead. Nothing here reads a secret; it looks at magic bytes, key names and table names only."""

from __future__ import annotations

import json
import re
from typing import Any

ROOT_ONLY = "only readable from a rooted phone"

# (marker found in the bytes, the advice)
_SQLITE = [
    (b"oath_secret_key", "Microsoft Authenticator's internal database (" + ROOT_ONLY + "); Microsoft "
     "Authenticator has no export: add those accounts to the inventory by hand (factor totp:Microsoft "
     "Authenticator)"),
    (b"original_name", "Google Authenticator's internal database (" + ROOT_ONLY + "); use the app's own export "
     "instead: ⋮ → Transfer accounts → Export accounts, and import screenshots of the QR codes"),
    (b"authenticatorcategory", "Stratum (Authenticator Pro)'s internal database (" + ROOT_ONLY + "); in "
     "Stratum use Backup → Backup to file (.authpro) or HTML, and import that file"),
]
_SQLITE_ANY = ("an SQLite database, not an export: no authenticator app's export is a database; export from "
               "the app (see docs/import.md) and import that file")

_XML = [
    ("com.authy.storage", "Authy's internal storage (" + ROOT_ONLY + "); Authy has no export: add those accounts "
     "to the inventory by hand (factor totp:Authy)"),
    ("com.blizzard", "Battle.net Authenticator's internal storage (" + ROOT_ONLY + "); it has no export: add the "
     "account to the inventory by hand"),
]


def sqlite(data: bytes) -> str:
    low = data.lower()
    for marker, advice in _SQLITE:
        if marker in low:
            return f"this is {advice}"
    return f"this is {_SQLITE_ANY}"


def java_serialized() -> str:
    return ("this is a Java-serialised file but not a FreeOTP 2 backup (no string map): export from the app again "
            "(see docs/import.md)")


def android_xml(text: str) -> str:
    for marker, advice in _XML:
        if marker in text[:20000]:
            return f"this is {advice}"
    return ("this is an Android preferences XML file (an app's internal storage, " + ROOT_ONLY + "), not an "
            "export; use the app's export (see docs/import.md)")


def zip_archive(names: list[str], encrypted: bool) -> str:
    joined = " ".join(names).lower()
    if "accounts.txt" in joined:
        return ("this is an Authenticator Plus backup (a discontinued app), which mfakit cannot read; open it in "
                "Aegis (Import → Authenticator Plus) and export a plain Aegis JSON")
    if encrypted:
        return "this is a password-protected zip archive: export from the app without a password (see docs/import.md)"
    return "this is a zip archive, not an export mfakit reads: unzip it and import the export inside"


def encrypted_binary(tried_andotp: bool) -> str:
    first = ("this is a binary file that does not open as an andOTP encrypted backup with this password "
             "(wrong password?)" if tried_andotp else
             "this is a binary file: if it is an andOTP encrypted backup (.json.aes), give its password at the "
             "prompt or with --password-stdin")
    return (first + "; Authenticator Plus (.db) backups are not read: open them in Aegis and export a plain "
            "Aegis JSON")


def json_shape(doc: Any) -> str | None:
    """Advice for a JSON document of a known app that mfakit does not read, or None."""
    first = doc[0] if isinstance(doc, list) and doc else None
    if isinstance(first, dict) and ("otpGenerator" in first or "pkey" in first):
        return ("this is Duo Mobile's internal storage (" + ROOT_ONLY + "); Duo has no export: add those accounts "
                "to the inventory by hand (factor totp:Duo Mobile)")
    if isinstance(doc, dict) and "db" in doc and "header" not in doc:
        return "this looks like an Aegis vault without its header (damaged file): export it again from Aegis"
    return None


_B64_BLOB = re.compile(r"^[A-Za-z0-9+/=\r\n]{64,}$")


def is_base64_blob(text: str) -> bool:
    return bool(_B64_BLOB.match(text.strip())) and "otpauth" not in text


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True
