"""Read-only checks on a real key (skipped unless ``--hardware`` and a key is present).

Nothing here asks for the PIN or writes to the key: info and retries only. Run:
``.venv/bin/python -m pytest tests/hardware --hardware -p no:xdist``.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.hardware


def test_real_key_info(real_key) -> None:  # type: ignore[no-untyped-def]
    from mfakit.keys.aaguids import normalize_aaguid
    from mfakit.keys.inspect import key_info

    info = key_info(real_key)
    assert info.software is False
    assert normalize_aaguid(info.aaguid) == info.aaguid
    assert any(v.startswith("FIDO_2") for v in info.versions)
    if info.pin_set:
        assert info.pin_retries is not None and 0 <= info.pin_retries <= 8


def test_real_key_pin_status_costs_no_retry(real_key) -> None:  # type: ignore[no-untyped-def]
    from mfakit.keys.passkeys import pin_status

    first = pin_status(real_key)
    second = pin_status(real_key)
    assert first.retries == second.retries


def test_real_key_cli_info_and_list(real_key, capsys) -> None:  # type: ignore[no-untyped-def]
    """The CLI's real-key path on the physical key (read-only: no PIN asked, nothing written)."""
    import json

    from cli_support import run_cli  # the command opens the key itself (a second hidraw handle)

    code, out, err = run_cli(["key", "info", "--hardware", "--format", "json"], capsys)
    assert code == 0, err
    info = json.loads(out)
    assert info["software"] is False and info["emulated"] is False
    code, out, err = run_cli(["key", "list", "--hardware", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["keys"], err
