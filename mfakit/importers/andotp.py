"""andOTP JSON backups (the plain ones): a list of entries with tags; older files put the issuer in the label."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mfakit.importers.common import fail, make_record, secret_bytes
from mfakit.importers.record import Collector


def looks_like(doc: Any) -> bool:
    return (isinstance(doc, list) and bool(doc) and isinstance(doc[0], dict)
            and "secret" in doc[0] and ("label" in doc[0] or "issuer" in doc[0]))


def parse_andotp(doc: list[Any], path: Path, col: Collector) -> str:
    for i, e in enumerate(doc, start=1):
        if not isinstance(e, dict):
            raise fail(path, f"andOTP entry #{i}: not an object")
        try:
            otp_type = str(e.get("type") or "totp").lower()
            secret = secret_bytes(e.get("secret"), otp_type)
            issuer, label = e.get("issuer"), e.get("label")
            if label is not None and not isinstance(label, str):
                raise ValueError("'label' is not text")
            if not issuer and label and " - " in label:  # old files: "Issuer - account"
                issuer, label = (part.strip() for part in label.split(" - ", 1))
            tags = tuple(t for t in e.get("tags") or [] if isinstance(t, str))
            record = make_record(issuer=issuer, account=label, otp_type=otp_type, algorithm=e.get("algorithm"),
                                 digits=e.get("digits"), period=e.get("period"), counter=e.get("counter"),
                                 fmt="andotp", groups=tags, source=str(path))
        except (ValueError, TypeError) as exc:
            raise fail(path, f"andOTP entry #{i}: {exc}") from None
        col.add(record, secret)
        del secret
    return "andotp"
