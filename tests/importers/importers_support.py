"""Helpers for the importer tests: expected accounts of the real fixtures, their secrets, a CLI runner."""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path

from mfakit.importers.google_migration import _payload_class, extract_data
from cli_support import run_cli  # noqa: F401  (re-exported for the tests here)

#: The 7 accounts every Aegis-family fixture describes: issuer, account, type, algorithm, digits, period, counter.
SEVEN = {
    ("Deno", "Mason", "totp", "SHA1", 6, 30, None),
    ("SPDX", "James", "totp", "SHA256", 7, 20, None),
    ("Airbnb", "Elijah", "totp", "SHA512", 8, 50, None),
    ("Issuu", "James", "hotp", "SHA1", 6, None, 1),
    ("Air Canada", "Benjamin", "hotp", "SHA256", 7, None, 50),
    ("WWE", "Mason", "hotp", "SHA512", 8, None, 10300),
    ("Boeing", "Sophia", "steam", "SHA1", 5, 30, None),
}


def as_tuples(records) -> set[tuple]:
    return {(r.issuer, r.account, r.type, r.algorithm, r.digits, r.period, r.counter) for r in records}


def secrets_in_fixtures(folder: Path) -> set[bytes]:
    """Every secret the fixture files carry, as raw bytes (Base32 strings decoded, migration payloads parsed)."""
    found: set[bytes] = set()

    def b32(text: str) -> None:
        t = "".join(text.split()).upper().rstrip("=")
        try:
            found.add(base64.b32decode(t + "=" * (-len(t) % 8)))
        except (binascii.Error, ValueError):
            pass

    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix == ".png":
            continue
        text = path.read_text("utf-8", errors="replace")
        for m in re.finditer(r"secret=([A-Za-z2-7= %]+)", text):
            b32(m.group(1).replace("%3D", "="))
        for m in re.finditer(r'"secret"\s*:\s*"([^"]+)"', text):
            b32(m.group(1))
        for m in re.finditer(r"steam://([A-Z2-7=]+)", text):
            b32(m.group(1))
        for m in re.finditer(r"# Secret key: ([A-Z2-7]+)", text):
            b32(m.group(1))
        for line in text.splitlines():
            if "otpauth-migration://" in line and not line.lstrip().startswith("#"):
                try:
                    msg = _payload_class()()
                    msg.ParseFromString(extract_data(line))
                except Exception:  # the corrupt fixture
                    continue
                found.update(bytes(p.secret) for p in msg.otp_parameters)
    found.add(base64.b32decode("JBSWY3DPEHPK3PXP"))  # dim13 example.png
    return {s for s in found if len(s) >= 5}


def encodings(secret: bytes) -> set[str]:
    """Every way a secret is written: Base32 with/without padding, lower case, hex, base64 (std/url, +/- pad)."""
    b32 = base64.b32encode(secret).decode()
    b64 = base64.b64encode(secret).decode()
    u64 = base64.urlsafe_b64encode(secret).decode()
    forms = {b32, b32.rstrip("="), b32.lower(), b32.lower().rstrip("="), secret.hex(), secret.hex().upper(),
             b64, b64.rstrip("="), u64, u64.rstrip("=")}
    return {f for f in forms if len(f) >= 8}


def scan(blobs: dict[str, bytes], secrets: set[bytes]) -> list[str]:
    """Names of blobs that contain any encoding of any secret (or its raw bytes)."""
    hits = []
    needles = [(s, e.encode()) for s in secrets for e in encodings(s)]
    for name, blob in blobs.items():
        low = blob.lower()
        for secret, needle in needles:
            if needle in blob or needle.lower() in low or secret in blob:
                hits.append(name)
                break
    return hits


def parse_json_out(text: str):
    return json.loads(text)
