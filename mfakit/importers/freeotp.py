"""FreeOTP+ JSON exports (*⋮ → Export → JSON*) and FreeOTP's ``tokens.xml`` (the same tokens as an Android
preferences map). Secrets are Java byte lists; FreeOTP stores a HOTP counter one below the next code's
counter, so one is added (as Aegis and Stratum do)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

from mfakit.importers.common import fail, make_record, signed_bytes
from mfakit.importers.record import Collector

_XML_STRING = re.compile(r'<string name="([^"]*)">(.*?)</string>', re.DOTALL)


def looks_like(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("tokens"), list) and (
        "tokenOrder" in doc or any(isinstance(t, dict) and "issuerExt" in t for t in doc["tokens"][:1]))


def looks_like_xml(text: str) -> bool:
    head = text[:4000]
    return "<map>" in head and "&quot;secret&quot;" in text and "&quot;issuerExt&quot;" in text


def add_token(t: Any, where: str, path: Path, col: Collector, fmt: str, counter_offset: int = 1) -> None:
    """One token; ``counter_offset`` 1 for FreeOTP 1 / FreeOTP+ files (their counter is one behind), 0 for v2."""
    if not isinstance(t, dict):
        col.skip(where, None, "not an object")
        return
    issuer = t.get("issuerExt") or t.get("issuerInt") or ""
    try:
        secret = signed_bytes(t.get("secret"))
        otp_type = str(t.get("type") or "totp").lower()
        counter = t.get("counter")
        if otp_type == "hotp" and isinstance(counter, int) and not isinstance(counter, bool):
            counter += counter_offset
        record = make_record(issuer=issuer, account=t.get("label"), otp_type=otp_type, algorithm=t.get("algo"),
                             digits=t.get("digits"), period=t.get("period"), counter=counter, fmt=fmt,
                             source=str(path))
    except (ValueError, TypeError) as exc:
        col.skip(where, issuer, str(exc))
        return
    col.add(record, secret)
    del secret


def parse_freeotp_json(doc: dict[str, Any], path: Path, col: Collector) -> str:
    for i, t in enumerate(doc["tokens"], start=1):
        add_token(t, f"FreeOTP+ token #{i}", path, col, "freeotp+")
    return "freeotp+"


def parse_freeotp_xml(text: str, path: Path, col: Collector) -> str:
    """``<map><string name="issuer:label">{token JSON}</string>…</map>`` (tokenOrder entry ignored)."""
    n = 0
    for name, value in _XML_STRING.findall(text):
        if name == "tokenOrder":
            continue
        n += 1
        try:
            token = json.loads(unescape(value))
        except (json.JSONDecodeError, RecursionError):
            col.skip(f"FreeOTP token #{n}", None, "not JSON")
            continue
        add_token(token, f"FreeOTP token #{n}", path, col, "freeotp")
    if n == 0:
        raise fail(path, "FreeOTP tokens.xml without tokens")
    return "freeotp"
