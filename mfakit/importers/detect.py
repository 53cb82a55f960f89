"""Recognise an export by its content (never by its file name) and hand it to the right parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from mfakit.importers import aegis, andotp, bitwarden, ente, qr, twofas
from mfakit.importers.common import MAX_FILE_BYTES, decode_text, fail, read_bytes
from mfakit.importers.record import Collector, ImportResult
from mfakit.importers.uri_list import add_link, find_link, parse_lines

PasswordProvider = Callable[[Path], str]


def sniff(data: bytes, path: Path) -> str:
    """A short name of what the bytes look like: image, json, csv, ente, links (or an ImportFormatError)."""
    if qr.is_image(data):
        return "image"
    text = decode_text(data, path).lstrip()
    if not text:
        raise fail(path, "the file is empty")
    if text[0] in "[{":
        return "json"
    if bitwarden.looks_like_csv(text):
        return "csv"
    if ente.looks_like(text):
        return "ente"
    return "links"


def _parse_json(text: str, path: Path, col: Collector, password_provider: PasswordProvider | None) -> str:
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(path, f"invalid JSON ({exc.msg})", exc.lineno) from None
    except RecursionError:
        raise fail(path, "JSON nested too deeply") from None
    if aegis.looks_like(doc):
        return aegis.parse_aegis(doc, path, col, password_provider)
    if twofas.looks_like(doc):
        return twofas.parse_twofas(doc, path, col, password_provider)
    if bitwarden.looks_like(doc):
        return bitwarden.parse_bitwarden_json(doc, path, col)
    if andotp.looks_like(doc):
        return andotp.parse_andotp(doc, path, col)
    if isinstance(doc, list) and not doc:
        raise fail(path, "the JSON list is empty (no accounts)")
    raise fail(path, "JSON of an unknown shape: not an Aegis, 2FAS, Bitwarden or andOTP export")


def _parse_image(data: bytes, path: Path, col: Collector, result: ImportResult) -> str:
    texts = qr.decode_qr_texts(data, path)
    kinds: set[str] = set()
    others = 0
    for k, text in enumerate(texts, start=1):
        found = find_link(text)
        if found is None:
            others += 1
            continue
        kinds.add("google-migration" if found[0] == "migration" else "otpauth")
        add_link(text, path, col, result, f"QR code {k}" if len(texts) > 1 else "QR code")
    if not kinds:
        raise fail(path, "the QR code is not an authenticator export (no otpauth:// or otpauth-migration:// link)")
    if others:
        col.warn(f"{others} QR code(s) in the image are not authenticator exports; ignored")
    return "image: " + ", ".join(sorted(kinds))


def parse_into(path: Path, col: Collector, result: ImportResult,
               password_provider: PasswordProvider | None = None) -> str:
    """Read ``path``, detect its format and add its records to ``col``; returns the detected format."""
    return parse_data(read_bytes(path), path, col, result, password_provider)


def parse_data(data: bytes, path: Path, col: Collector, result: ImportResult,
               password_provider: PasswordProvider | None = None) -> str:
    """Detect the format of ``data`` (named ``path`` in messages) and add its records to ``col``."""
    if len(data) > MAX_FILE_BYTES:
        raise fail(path, f"file is too large ({len(data)} bytes; the limit is {MAX_FILE_BYTES})")
    kind = sniff(data, path)
    if kind == "image":
        return _parse_image(data, path, col, result)
    text = decode_text(data, path)
    del data
    if kind == "json":
        return _parse_json(text, path, col, password_provider)
    if kind == "csv":
        return bitwarden.parse_bitwarden_csv(text, path, col)
    if kind == "ente":
        return ente.parse_ente(text, path, col, result)
    return parse_lines(text, path, col, result)
