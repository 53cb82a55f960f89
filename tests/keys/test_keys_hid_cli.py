"""The command line's REAL-KEY path (``--hardware`` / ``--device``) end to end, over the emulated HID key.

``MFAKIT_FAKE_HID`` makes device discovery find the software key behind fido2's ``CtapHidDevice`` and the
emulated CTAPHID connection, so list, info, PIN with retries, passkeys, reconcile, the WebAuthn demo, an
unplugged key and a refused touch all run the code a real key runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from keys_support import TEST_PIN, WRONG_PIN, run_cli, softkey

from mfakit.config import PROJ_ROOT
from mfakit.inventory import load_inventory
from mfakit.keys.softkey.hid import EMULATED_PATH
from mfakit.keys.softkey.state import load_state, save_state


@pytest.fixture
def fake_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A state file with the test PIN and two passkeys; MFAKIT_FAKE_HID points discovery at it."""
    key = softkey()
    key.store.new("google.com", True, "Google", {"id": b"g", "name": "s-takahashi@gmail.com",
                                                 "displayName": "S. Takahashi"})
    key.store.new("github.com", True, "GitHub", {"id": b"h", "name": "stakahashi"})
    path = tmp_path / "hid-key.json"
    save_state(key, path)

    def use(**options: str) -> Path:
        value = ",".join([f"state={path}", "keepalive=0.01", *(f"{k}={v}" for k, v in options.items())])
        monkeypatch.setenv("MFAKIT_FAKE_HID", value)
        return path

    use()
    return use


def _one_line_error(code: int, err: str, expected: str) -> None:
    lines = [line for line in err.strip().splitlines() if line.startswith("mfakit:")]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("mfakit: error:"), err
    assert expected in lines[0] and "Traceback" not in err, err


def test_list_and_info_through_the_hid_transport(fake_key, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli(["key", "list", "--hardware", "--format", "json"], capsys)
    keys = json.loads(out)["keys"]
    assert code == 0 and len(keys) == 1
    assert keys[0]["path"] == EMULATED_PATH and keys[0]["emulated"] is True and keys[0]["software"] is False
    assert keys[0]["aaguid"] == "6d66616b-6974-4000-8000-736f66746b79" and "error" not in keys[0]
    code, out, _ = run_cli(["key", "list", "--hardware"], capsys)
    assert code == 0 and "emulated HID, not a real key" in out and "(not a real key)" in out
    for argv in (["--hardware"], ["--device", EMULATED_PATH]):
        code, out, _ = run_cli(["key", "info", *argv, "--format", "json"], capsys)
        info = json.loads(out)
        assert code == 0 and info["emulated"] is True and info["software"] is False
        assert info["pin_set"] is True and info["pin_retries"] == 8 and info["passkeys_free"] == 23
        assert info["firmware"] == "1.2.3" and "EMULATED" in info["notes"][0]


def test_emulated_device_path_needs_the_variable(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MFAKIT_FAKE_HID", raising=False)
    code, _, err = run_cli(["key", "info", "--device", EMULATED_PATH], capsys)
    _one_line_error(code, err, "MFAKIT_FAKE_HID")
    monkeypatch.setenv("MFAKIT_FAKE_HID", "demo,touch=sometimes")
    code, _, err = run_cli(["key", "info", "--hardware"], capsys)
    _one_line_error(code, err, "touch must be one of")


def test_passkeys_with_pin_retries_shown_first(fake_key, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(["key", "passkeys", "--hardware", "--pin-stdin"], capsys, stdin=TEST_PIN + "\n")
    assert code == 0, err
    assert "PIN retries left: 8 of 8." in err and "2 passkey(s) on the key, 23 slot(s) free" in out
    assert "github.com" in out and "s-takahashi@gmail.com" in out
    code, out, _ = run_cli(["key", "passkeys", "--device", EMULATED_PATH, "--pin-stdin", "--format", "json"],
                           capsys, stdin=TEST_PIN + "\n")
    data = json.loads(out)
    assert code == 0 and data["software"] is False and {p["rp_id"] for p in data["passkeys"]} == {"google.com",
                                                                                                  "github.com"}


def test_wrong_pin_shows_retries_and_is_never_retried(fake_key, capsys) -> None:  # type: ignore[no-untyped-def]
    state = fake_key()
    code, out, err = run_cli(["key", "passkeys", "--hardware", "--pin-stdin"], capsys,
                             stdin=WRONG_PIN + "\n" + TEST_PIN + "\n")
    _one_line_error(code, err, "Wrong PIN. 7 tries left")
    assert out == "" and "PIN retries left: 8 of 8." in err
    assert load_state(state).pin_state.retries == 7  # one try used; the second line was never sent
    code, _, err = run_cli(["key", "passkeys", "--hardware", "--pin-stdin"], capsys, stdin=WRONG_PIN + "\n")
    _one_line_error(code, err, "Wrong PIN. 6 tries left")
    assert "PIN retries left: 7 of 8." in err
    code, _, err = run_cli(["key", "passkeys", "--hardware", "--demo-pin"], capsys)
    _one_line_error(code, err, "only with the software key")
    assert load_state(state).pin_state.retries == 6


def test_low_retries_refused_and_blocked_pin_explained(fake_key, capsys) -> None:  # type: ignore[no-untyped-def]
    state = fake_key()
    key = load_state(state)
    key.pin_state.retries = 2
    save_state(key, state)
    code, _, err = run_cli(["key", "passkeys", "--hardware", "--pin-stdin"], capsys, stdin=TEST_PIN + "\n")
    _one_line_error(code, err, "only 2 PIN tries left")
    assert load_state(state).pin_state.retries == 2  # nothing was tried
    code, out, _ = run_cli(["key", "passkeys", "--hardware", "--pin-stdin", "--accept-low-retries"], capsys,
                           stdin=TEST_PIN + "\n")
    assert code == 0 and "github.com" in out and load_state(state).pin_state.retries == 8
    key = load_state(state)
    key.pin_state.retries = 0
    save_state(key, state)
    code, _, err = run_cli(["key", "passkeys", "--hardware", "--pin-stdin"], capsys, stdin=TEST_PIN + "\n")
    _one_line_error(code, err, "BLOCKED")


def test_reconcile_and_record_through_the_hid_path(fake_key, example_copy, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["key", "reconcile", "--hardware", "--pin-stdin", "--inventory", str(example_copy), "--key-name",
            "Titan 1", "--format", "json"]
    code, out, err = run_cli(args, capsys, stdin=TEST_PIN + "\n")
    assert code == 0, err
    data = json.loads(out)
    assert data["counts"]["matched"] == 1 and data["counts"]["on_key_not_recorded"] == 1
    assert data["counts"]["second_factor_not_listable"] >= 1
    code, out, err = run_cli(args + ["--record", "--yes"], capsys, stdin=TEST_PIN + "\n")
    assert code == 0, err
    assert load_inventory(example_copy).find("github").has("passkey")


def test_demo_through_the_hid_path_with_touches(fake_key, capsys) -> None:  # type: ignore[no-untyped-def]
    fake_key(touch_delay="0.05")
    code, out, err = run_cli(["key", "demo", "--hardware", "--pin-stdin", "--format", "json"], capsys,
                             stdin=TEST_PIN + "\n")
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] is True and data["software"] is False and len(data["ceremonies"]) == 2
    assert err.count("Touch the key now") == 4  # the keep-alive UPNEEDED reached the prompt, once per touch


@pytest.mark.parametrize("options, command, expected", [
    ({"unplug_on": "credential_mgmt"}, "passkeys", "stopped answering (unplugged?)"),
    ({"unplug_on": "client_pin"}, "info", "stopped answering (unplugged?)"),
    ({"unplug_on": "get_info"}, "passkeys", "stopped answering (unplugged?)"),
    ({"unplug_after_packets": "1"}, "info", "did not answer while being opened"),
    ({"unplug_on_touch": "1", "touch_delay": "5"}, "demo", "stopped answering (unplugged?)"),
    ({"unplug_on": "make_credential"}, "demo", "stopped answering (unplugged?)"),
    ({"touch": "refuse"}, "demo", "the touch was refused"),
    ({"touch": "timeout"}, "demo", "not touched in time"),
])
def test_unplug_and_touch_failures_are_one_line_exit_2(fake_key, capsys, options, command,  # type: ignore[no-untyped-def]
                                                       expected) -> None:
    state = fake_key(**options)
    before = load_state(state).pin_state.retries
    pin = [] if command == "info" else ["--pin-stdin"]
    code, out, err = run_cli(["key", command, "--hardware", *pin], capsys, stdin=TEST_PIN + "\n")
    _one_line_error(code, err, expected)
    assert out == ""
    after = load_state(state)  # the state survived the unplug, and the PIN try (if any) succeeded
    assert after.pin_state.retries == before == 8


def test_secret_scan_over_the_hid_path(fake_key, capsys, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(1)  # fido2's traffic log (level 5) included: the PIN travels only encrypted
    state = fake_key()
    outputs = []
    for argv, stdin in [(["key", "passkeys", "--hardware", "--pin-stdin"], TEST_PIN),
                        (["key", "passkeys", "--hardware", "--pin-stdin"], WRONG_PIN),
                        (["key", "demo", "--hardware", "--pin-stdin", "--format", "json"], TEST_PIN),
                        (["key", "info", "--hardware", "--format", "json"], "")]:
        code, out, err = run_cli(argv, capsys, stdin=stdin + "\n")
        outputs.append(out + err)
    outputs.append(caplog.text)
    assert any("SEND" in r.getMessage() for r in caplog.records if r.levelno < logging.DEBUG)
    secrets = [TEST_PIN, WRONG_PIN, TEST_PIN.encode().hex(), WRONG_PIN.encode().hex()]
    master = json.loads(state.read_text())["store"]["master"]
    for blob in outputs:
        for needle in [*secrets, master]:
            assert needle not in blob


def test_a_fresh_process_finds_the_emulated_key_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "MFAKIT_FAKE_HID": "demo"}
    res = subprocess.run([sys.executable, "-m", "mfakit.cli.main", "key", "info", "--hardware", "--format", "json"],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=PROJ_ROOT, env=env, timeout=60)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["emulated"] is True


def test_real_discovery_code_skips_a_device_that_fails_to_open(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Without MFAKIT_FAKE_HID: fido2's own descriptor listing, with one key that vanishes while opened."""
    import fido2.hid

    from mfakit.keys.softkey.hid import EmulatedHidConnection, descriptor
    from mfakit.keys.softkey.state import demo_softkey

    monkeypatch.delenv("MFAKIT_FAKE_HID", raising=False)
    good, gone = descriptor("/dev/hidraw-emulated-1"), descriptor("/dev/hidraw-emulated-2")

    def open_connection(desc):  # type: ignore[no-untyped-def]
        return EmulatedHidConnection(demo_softkey(), unplug_after_packets=1 if desc is gone else None)

    monkeypatch.setattr(fido2.hid, "list_descriptors", lambda: iter([gone, good]))
    monkeypatch.setattr(fido2.hid, "open_connection", open_connection)
    code, out, err = run_cli(["key", "list", "--hardware", "--format", "json"], capsys)
    assert code == 0, err
    assert [k["path"] for k in json.loads(out)["keys"]] == ["/dev/hidraw-emulated-1"]
    code, out, err = run_cli(["key", "info", "--hardware", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["emulated"] is True


def test_site_timeout_cancels_the_touch_wait(fake_key, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Nobody touches the key: the client's timer sends CTAPHID CANCEL; one line, exit 2, quickly."""
    import time

    from mfakit.cli import keys as keys_cli

    monkeypatch.setattr(keys_cli, "TOUCH_TIMEOUT_MS", 300)
    fake_key(touch="never")
    t0 = time.monotonic()
    code, out, err = run_cli(["key", "demo", "--hardware", "--pin-stdin"], capsys, stdin=TEST_PIN + "\n")
    _one_line_error(code, err, "the wait was cancelled")
    assert time.monotonic() - t0 < 10 and out == ""
