"""LastPass Authenticator exports (*Settings → Transfer accounts → Export accounts to file*): JSON with
``accounts[]`` (``issuerName``, ``userName``, ``secret``, ``timeStep``, ``digits``, ``algorithm``) and
``folders[]`` (folder names become groups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mfakit.importers.common import make_record, secret_bytes
from mfakit.importers.record import Collector


def looks_like(doc: Any) -> bool:
    return (isinstance(doc, dict) and isinstance(doc.get("accounts"), list)
            and ("deviceName" in doc or "localDeviceId" in doc or "folders" in doc)
            and all(isinstance(a, dict) for a in doc["accounts"][:1])
            and (not doc["accounts"] or "issuerName" in doc["accounts"][0] or "userName" in doc["accounts"][0]))


def parse_lastpass(doc: dict[str, Any], path: Path, col: Collector) -> str:
    folders = {f.get("id"): f.get("name") for f in doc.get("folders") or []
               if isinstance(f, dict) and isinstance(f.get("name"), str)}
    for i, a in enumerate(doc["accounts"], start=1):
        if not isinstance(a, dict):
            col.skip(f"LastPass account #{i}", None, "not an object")
            continue
        issuer = a.get("issuerName") or a.get("originalIssuerName")
        try:
            secret = secret_bytes(a.get("secret"), "totp")
            fd = a.get("folderData") if isinstance(a.get("folderData"), dict) else {}
            folder = folders.get(fd.get("folderId"))
            record = make_record(issuer=issuer, account=a.get("userName") or a.get("originalUserName"),
                                 algorithm=a.get("algorithm"), digits=a.get("digits"), period=a.get("timeStep"),
                                 fmt="lastpass", groups=(folder,) if isinstance(folder, str) else (),
                                 source=str(path))
        except (ValueError, TypeError) as exc:
            col.skip(f"LastPass account #{i}", issuer, str(exc))
            continue
        col.add(record, secret)
        del secret
    return "lastpass"
