"""Steam Guard files (Steam Desktop Authenticator ``.maFile``, Aegis's SteamGuard JSON): the ``uri`` each holds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from mfakit.importers.otpauth_uri import parse_key_uri
from mfakit.importers.record import Collector


def looks_like(doc: Any) -> bool:
    if isinstance(doc, dict) and isinstance(doc.get("accounts"), dict):
        return any(isinstance(a, dict) and "shared_secret" in a for a in doc["accounts"].values())
    return isinstance(doc, dict) and "shared_secret" in doc


def parse_steam(doc: dict[str, Any], path: Path, col: Collector) -> str:
    accounts = list(doc["accounts"].values()) if isinstance(doc.get("accounts"), dict) else [doc]
    for i, a in enumerate(accounts, start=1):
        name = a.get("account_name") if isinstance(a, dict) and isinstance(a.get("account_name"), str) else ""
        uri = a.get("uri") if isinstance(a, dict) else None
        if not isinstance(uri, str):
            col.skip(f"Steam account #{i}", name, "no 'uri' (only the shared secret; add it by hand)")
            continue
        try:
            record, secret, _w = parse_key_uri(uri, fmt="steam", source=str(path), fallback_account=name)
        except ValueError as exc:
            col.skip(f"Steam account #{i}", name, str(exc))
            continue
        col.add(replace(record, type="steam", digits=5), secret)
        del secret
    return "steam"
