"""Rows for notebook 03's tables: every name from a key or a site passed through :func:`mfakit.safe.plain`.

RP ids, user names and display names stored in a key were written by whoever registered the credential; a
product name comes from the USB device. pandas escapes HTML when it renders a DataFrame, so the views only
need controls, bidi overrides and line separators made visible (``safe.plain``); the printed lines use the same.
"""

from __future__ import annotations

from typing import Any

from mfakit.safe import plain


def info_rows(info: Any) -> dict[str, str]:
    """``key info`` as label → text."""
    pin = ("not supported" if not info.pin_supported else "not set" if not info.pin_set
           else "set" + (" (unplug and replug the key before the next try)" if info.replug_needed else ""))
    kind = "software key" if info.software else "emulated HID (not a real key)" if info.emulated else "real key"
    return {"product": plain(info.product_name or "?"), "kind": kind, "model": plain(info.model or "unknown"),
            "model from": plain(info.model_source or "-"), "AAGUID": plain(info.aaguid),
            "firmware": plain(info.firmware or "not reported"), "CTAP versions": plain(", ".join(info.versions)),
            "PIN": pin, "PIN retries left": "-" if info.pin_retries is None else str(info.pin_retries),
            "user verification": plain(info.uv),
            "passkey slots free": "not reported" if info.passkeys_free is None else str(info.passkeys_free),
            "path": plain(info.path)}


def passkey_rows(report: Any) -> list[dict[str, str]]:
    return [{"site (RP id)": plain(p.rp_id), "site name": plain(p.rp_name or ""), "user": plain(p.user_name or ""),
             "display name": plain(p.display_name or "")}
            for p in sorted(report.passkeys, key=lambda p: (p.rp_id, p.user_name or ""))]


def demo_rows(result: Any) -> dict[str, dict[str, str]]:
    fields = ["registered", "authenticated", "user_verification", "attestation_format", "attestation_type",
              "attestation_verified", "aaguid", "discoverable", "registration_flags", "flags", "sign_count",
              "user_handle_returned", "error"]
    return {c.ceremony: {f: plain(getattr(c, f)) for f in fields} for c in result.ceremonies}


def reconcile_rows(rec: Any) -> list[dict[str, str]]:
    return [{"status": i.status, "account": plain(i.account or ""), "site": plain(i.rp_id or ""),
             "user on key": plain(i.user_name or ""), "what": plain(i.message)} for i in rec.items]


def lines(texts: list[str]) -> str:
    """Notes and messages for ``print``: one safe line each."""
    return "\n".join(plain(t) for t in texts)
