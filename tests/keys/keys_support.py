"""Helpers for the security-key tests: a software key with a test PIN, an in-process CLI runner."""

from __future__ import annotations

from typing import Any
from cli_support import run_cli  # noqa: F401  (re-exported for the tests here)

#: The PIN used in tests: distinctive, so the secret scan can look for it everywhere.
TEST_PIN = "7391-kiwi-PIN"
WRONG_PIN = "0000-wrong"


def softkey(pin: str | None = TEST_PIN, preview: bool = False, protocol: int | None = None) -> Any:
    """An empty software key, with ``pin`` set (through the real ClientPin) unless None."""
    from fido2.ctap2 import ClientPin, Ctap2

    from mfakit.keys.softkey import SoftKey

    key = SoftKey(preview=preview)
    key.reset_window_s = None
    if pin is not None:
        ClientPin(Ctap2(key), client_pin_protocol(protocol)).set_pin(pin)
    return key


def client_pin_protocol(version: int | None) -> Any:
    from fido2.ctap2.pin import PinProtocolV1, PinProtocolV2

    return {None: None, 1: PinProtocolV1(), 2: PinProtocolV2()}[version]


def client_pin(key: Any, version: int | None = None) -> Any:
    from fido2.ctap2 import ClientPin, Ctap2

    return ClientPin(Ctap2(key), client_pin_protocol(version))
