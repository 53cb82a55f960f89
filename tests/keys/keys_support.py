"""Helpers for the security-key tests: a software key with a test PIN, an in-process CLI runner."""

from __future__ import annotations

import io
import sys
from typing import Any

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


def run_cli(argv: list[str], capsys: Any, stdin: str = "") -> tuple[int, str, str]:
    """Run ``mfakit`` in-process; returns (exit status, stdout, stderr)."""
    from mfakit.cli.main import run

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        run(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin = old
    cap = capsys.readouterr()
    return code, cap.out, cap.err
