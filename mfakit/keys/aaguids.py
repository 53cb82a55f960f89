"""AAGUID → model name: a built-in table of common keys (and the software key), before any MDS lookup.

Sources: FIDO MDS3 (Titan v2), Yubico's published AAGUID list (YubiKey 5 family), see
``shared/reference/fido2.md``. First-generation Titan keys are U2F-only and report no AAGUID.
"""

from __future__ import annotations

SOFTKEY_AAGUID = "6d66616b-6974-4000-8000-736f66746b79"
ZERO_AAGUID = "00000000-0000-0000-0000-000000000000"

KNOWN_AAGUIDS: dict[str, str] = {
    "42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3": "Google Titan Security Key v2",
    "cb69481e-8ff7-4039-93ec-0a2729a154a8": "YubiKey 5 Series (5 / 5C / 5 Nano, firmware 5.1)",
    "ee882879-721c-4913-9775-3dfcce97072a": "YubiKey 5 Series (5 / 5C / 5 Nano, firmware 5.2 / 5.4)",
    "fa2b99dc-9e39-4257-8f92-4a30d23c4118": "YubiKey 5 NFC (firmware 5.1)",
    "2fc0579f-8113-47ea-b116-bb5a8db9202a": "YubiKey 5 NFC / 5C NFC (firmware 5.2 / 5.4)",
    "a25342c0-3cdc-4414-8e46-f4807fca511c": "YubiKey 5 NFC (firmware 5.7)",
    "c5ef55ff-ad9a-4b9f-b580-adebafe026d0": "YubiKey 5Ci",
    "c1f9a0bc-1dd2-404a-b27f-8e29047a43fd": "YubiKey 5 NFC FIPS",
    "73bb0cd4-e502-49b8-9c6f-b59445bf720b": "YubiKey 5 FIPS Series (5 Nano / 5C)",
    SOFTKEY_AAGUID: "mfakit software authenticator (not a real key)",
}


def normalize_aaguid(value: str | bytes) -> str:
    """Canonical lower-case dashed form of an AAGUID given as text (with or without dashes) or 16 bytes."""
    if isinstance(value, (bytes, bytearray)):
        h = bytes(value).hex()
    else:
        h = value.strip().lower().replace("-", "").replace("{", "").replace("}", "")
    if len(h) != 32 or any(c not in "0123456789abcdef" for c in h):
        raise ValueError(f"not an AAGUID: {value!r}")
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def model_name(aaguid: str | bytes) -> str | None:
    """The model name from the built-in table, or None (a zero AAGUID means the key hides its model)."""
    try:
        return KNOWN_AAGUIDS.get(normalize_aaguid(aaguid))
    except ValueError:
        return None
