"""Check a software-key state file's structure before anything is built from it.

A state file is JSON a person (or a broken disk) may have changed: every field is checked for type, size and
range, and a problem is one line naming the field — never its value (the file holds the pretend key's
private keys and master secret).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from mfakit.keys.softkey.pin import MAX_RETRIES

#: secp256r1 group order: a private key must be in [1, n-1].
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
MAX_PASSKEYS = 1000
MAX_TEXT = 1024


class StateShapeError(ValueError):
    """One problem in a state file; ``str`` says which field and what is wrong (no value)."""


def _int(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StateShapeError(f"{where} must be a whole number, not {type(value).__name__}")
    if not low <= value <= high:
        raise StateShapeError(f"{where} must be between {low} and {high}")
    return value


def _text(value: Any, where: str, optional: bool = True) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise StateShapeError(f"{where} must be text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise StateShapeError(f"{where} is longer than {MAX_TEXT} characters")


def _b64(value: Any, where: str, sizes: tuple[int, int]) -> bytes:
    if not isinstance(value, str):
        raise StateShapeError(f"{where} must be base64url text, not {type(value).__name__}")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise StateShapeError(f"{where} is not base64url") from None
    low, high = sizes
    if not low <= len(raw) <= high:
        want = f"{low} bytes" if low == high else f"{low} to {high} bytes"
        raise StateShapeError(f"{where} must be {want}, not {len(raw)}")
    return raw


def _hex(value: Any, where: str, size: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise StateShapeError(f"{where} must be hex text, not {type(value).__name__}")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise StateShapeError(f"{where} is not hex") from None
    if len(raw) != size:
        raise StateShapeError(f"{where} must be {size} bytes, not {len(raw)}")


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StateShapeError(f"{where} must be an object, not {type(value).__name__}")
    return value


def check_passkey(p: Any, where: str) -> None:
    p = _mapping(p, where)
    _b64(p.get("id"), f"{where}.id", (16, 1023))
    _text(p.get("rp_id"), f"{where}.rp_id", optional=False)
    if not p["rp_id"]:
        raise StateShapeError(f"{where}.rp_id is empty")
    _text(p.get("rp_name"), f"{where}.rp_name")
    user = _mapping(p.get("user", {}), f"{where}.user")
    if "id" in user:
        _b64(user["id"], f"{where}.user.id", (0, 64))
    for name in ("name", "displayName"):
        _text(user.get(name), f"{where}.user.{name}")
    unknown = set(user) - {"id", "name", "displayName"}
    if unknown:
        raise StateShapeError(f"{where}.user has unknown fields")
    secret = int.from_bytes(_b64(p.get("key"), f"{where}.key", (32, 32)), "big")
    if not 1 <= secret < P256_ORDER:
        raise StateShapeError(f"{where}.key is not a valid P-256 private key")
    _int(p.get("created", 0), f"{where}.created", 0, 2**53)


def check_state(data: Any) -> None:
    """Raise :class:`StateShapeError` on the first thing wrong with a decoded state file."""
    data = _mapping(data, "the file")
    if data.get("version", 1) != 1 or isinstance(data.get("version"), bool):
        raise StateShapeError("version must be 1")
    if not isinstance(data.get("preview", False), bool):
        raise StateShapeError("preview must be true or false")
    pin = data.get("pin") or {}
    pin = _mapping(pin, "pin")
    _hex(pin.get("salt"), "pin.salt", 16)
    _hex(pin.get("verifier"), "pin.verifier", 32)
    if (pin.get("salt") is None) != (pin.get("verifier") is None):
        raise StateShapeError("pin.salt and pin.verifier go together")
    _int(pin.get("retries", MAX_RETRIES), "pin.retries", 0, MAX_RETRIES)
    _int(pin.get("min_length", 4), "pin.min_length", 4, 63)
    store = _mapping(data.get("store"), "store")
    _b64(store.get("master"), "store.master", (32, 32))
    _int(store.get("counter", 0), "store.counter", 0, 2**32 - 1)
    _int(store.get("seq", 0), "store.seq", 0, 2**52)
    limit = _int(store.get("max_discoverable", 25), "store.max_discoverable", 1, MAX_PASSKEYS)
    passkeys = store.get("passkeys", [])
    if not isinstance(passkeys, list):
        raise StateShapeError(f"store.passkeys must be a list, not {type(passkeys).__name__}")
    if len(passkeys) > limit:
        raise StateShapeError(f"store.passkeys holds {len(passkeys)}, more than max_discoverable ({limit})")
    for i, p in enumerate(passkeys):
        check_passkey(p, f"store.passkeys[{i}]")
