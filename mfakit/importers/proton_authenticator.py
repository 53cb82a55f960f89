"""Proton Authenticator exports (*Settings → Export*): JSON ``{version, entries[{content{uri, entry_type,
name}, note}]}`` where each ``uri`` is an otpauth:// key URI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mfakit.importers.common import fail, make_record, secret_bytes
from mfakit.importers.otpauth_uri import parse_key_uri
from mfakit.importers.record import Collector


def looks_like(doc: Any) -> bool:
    if not (isinstance(doc, dict) and isinstance(doc.get("entries"), list) and "header" not in doc):
        return False
    first = doc["entries"][0] if doc["entries"] else None
    return isinstance(first, dict) and isinstance(first.get("content"), dict)


def looks_encrypted(doc: Any) -> bool:
    return (isinstance(doc, dict) and "version" in doc and "entries" not in doc
            and any(k in doc for k in ("salt", "content", "encrypted_content", "encryptedContent")))


def parse_proton(doc: dict[str, Any], path: Path, col: Collector) -> str:
    for i, e in enumerate(doc["entries"], start=1):
        content = e.get("content") if isinstance(e, dict) else None
        if not isinstance(content, dict) or not isinstance(content.get("uri"), str):
            col.skip(f"Proton Authenticator entry #{i}", None, "no otpauth URI")
            continue
        name = content.get("name") if isinstance(content.get("name"), str) else ""
        uri = content["uri"].strip()
        try:
            if uri[:8].lower() == "steam://":  # Steam entries: steam://SECRET, the name is the account
                secret = secret_bytes(uri[8:], "steam")
                record = make_record(issuer="Steam", account=name, otp_type="steam", fmt="proton-authenticator",
                                     source=str(path))
                warnings: list[str] = []
            else:
                record, secret, warnings = parse_key_uri(uri, fmt="proton-authenticator", source=str(path),
                                                         fallback_account=name)
        except ValueError as exc:
            col.skip(f"Proton Authenticator entry #{i}", name, str(exc))
            continue
        for w in warnings:
            col.warn(f"Proton Authenticator entry #{i}: {w}")
        col.add(record, secret)
        del secret
    return "proton-authenticator"


def refuse_encrypted(path: Path) -> Exception:
    return fail(path, "this looks like a password-protected Proton Authenticator export, which mfakit cannot "
                      "open; export again without a password (Settings → Export) and delete the file afterwards")
