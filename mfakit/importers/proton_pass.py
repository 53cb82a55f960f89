"""Proton Pass exports (*Settings → Export → zip*): ``Proton Pass/data.json`` with ``vaults{…{items[]}}``; a
login's ``content.totpUri`` (an otpauth:// URI or a bare secret) and its TOTP extra fields are read; the item
name is the issuer when the URI has none."""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

from mfakit.importers.common import fail, make_record, secret_bytes
from mfakit.importers.otpauth_uri import parse_key_uri
from mfakit.importers.record import Collector

MAX_JSON_BYTES = 50 * 1024 * 1024


def looks_like(z: zipfile.ZipFile) -> bool:
    return any(n.endswith("data.json") and "Proton Pass" in n for n in z.namelist())


def _totp_values(data: dict[str, Any]) -> list[str]:
    content = data.get("content") if isinstance(data.get("content"), dict) else {}
    values = [content.get("totpUri")]
    for field in data.get("extraFields") or []:
        if isinstance(field, dict) and field.get("type") == "totp" and isinstance(field.get("data"), dict):
            values.append(field["data"].get("totpUri"))
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def parse_proton_pass(z: zipfile.ZipFile, path: Path, col: Collector) -> str:
    name = next(n for n in z.namelist() if n.endswith("data.json") and "Proton Pass" in n)
    info = z.getinfo(name)
    if info.file_size > MAX_JSON_BYTES or info.flag_bits & 0x1:
        raise fail(path, "Proton Pass export: data.json is encrypted or too large")
    try:
        doc = json.loads(z.read(name).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, zipfile.BadZipFile, OSError, EOFError,
            zlib.error, RuntimeError, NotImplementedError):
        raise fail(path, "Proton Pass export: data.json is not readable JSON (damaged file)") from None
    vaults = doc.get("vaults") if isinstance(doc, dict) else None
    if not isinstance(vaults, dict):
        raise fail(path, "Proton Pass export: no 'vaults' in data.json")
    n = 0
    for vault in vaults.values():
        items = vault.get("items") if isinstance(vault, dict) else None
        for item in items if isinstance(items, list) else []:
            n += 1
            data = item.get("data") if isinstance(item, dict) else None
            if not isinstance(data, dict):
                continue
            meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
            title = meta.get("name") if isinstance(meta.get("name"), str) else ""
            content = data.get("content") if isinstance(data.get("content"), dict) else {}
            user = content.get("itemUsername") or content.get("itemEmail") or ""
            group = vault.get("name") if isinstance(vault.get("name"), str) else ""
            for value in _totp_values(data):
                try:
                    if value.lower().startswith("otpauth://"):
                        record, secret, _w = parse_key_uri(value, fmt="proton-pass", source=str(path),
                                                           fallback_issuer=title, fallback_account=str(user),
                                                           groups=(group,) if group else ())
                    else:
                        secret = secret_bytes(value, "totp")
                        record = make_record(issuer=title, account=str(user), fmt="proton-pass",
                                             groups=(group,) if group else (), source=str(path))
                except (ValueError, TypeError) as exc:
                    col.skip(f"Proton Pass item #{n}", title, str(exc))
                    continue
                col.add(record, secret)
                del secret
    if col.file_records == 0 and not col.file_skips:
        raise fail(path, "Proton Pass export: no item has a TOTP code")
    return "proton-pass"
