"""Hardware tests run only with ``--hardware`` AND a FIDO2 key plugged in (and readable)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def real_key(request):  # type: ignore[no-untyped-def]
    if not request.config.getoption("--hardware"):
        pytest.skip("needs a physical FIDO2 key: run pytest tests/hardware --hardware")
    if os.environ.get("MFAKIT_FAKE_HID"):
        pytest.skip("MFAKIT_FAKE_HID is set: discovery would find the emulated key, not a physical one")
    from mfakit.keys.inspect import list_hardware

    devices, diag = list_hardware()
    if not devices:
        pytest.skip(diag.message if diag else "no FIDO2 key found")
    for extra in devices[1:]:
        extra.close()
    yield devices[0]
    devices[0].close()
