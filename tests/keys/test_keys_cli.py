"""Every ``mfakit key`` command on the software key, JSON purity, PIN handling, and a secret scan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from keys_support import TEST_PIN, WRONG_PIN, run_cli, softkey

from mfakit.config import PROJ_ROOT
from mfakit.inventory import load_inventory
from mfakit.keys.softkey.state import load_state, save_state


def _state_with_test_pin(tmp_path: Path) -> Path:
    key = softkey()
    key.store.new("google.com", True, "Google", {"id": b"g", "name": "s-takahashi@gmail.com"})
    path = tmp_path / "softkey.json"
    save_state(key, path)
    return path


def test_list_and_info_json(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli(["key", "list", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["keys"][0]["software"] is True
    code, out, err = run_cli(["key", "info", "--format", "json"], capsys)
    info = json.loads(out)
    assert code == 0 and info["software"] is True and info["aaguid"] == "6d66616b-6974-4000-8000-736f66746b79"
    assert info["pin_set"] is True and info["pin_retries"] == 8 and info["passkeys_free"] == 22
    assert "SOFTWARE" in err
    code, out, _ = run_cli(["key", "info"], capsys)
    assert code == 0 and "Firmware" in out and "1.2.3" in out


def test_choosing_both_kinds_of_key_is_an_error(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli(["key", "info", "--hardware", "--software"], capsys)
    assert code == 2 and err.startswith("mfakit: error:") and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(["key", "info", "--device", "/dev/hidraw-does-not-exist"], capsys)
    assert code == 2 and "no such device" in err


def test_passkeys_with_demo_pin_and_pin_stdin(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(["key", "passkeys", "--demo-pin", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["used"] == 3 and {p["rp_id"] for p in data["passkeys"]} >= {"google.com", "github.com"}
    assert "retries left: 8" in err
    state = _state_with_test_pin(tmp_path)
    code, out, err = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin"], capsys, stdin=TEST_PIN + "\n")
    assert code == 0 and "google.com" in out and "1 passkey(s)" in out


def test_wrong_pin_is_tried_once_and_persisted(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    state = _state_with_test_pin(tmp_path)
    code, out, err = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin"], capsys,
                             stdin=WRONG_PIN + "\n" + TEST_PIN + "\n")
    assert code == 2 and "Wrong PIN. 7 tries left" in err and out == ""
    assert load_state(state).pin_state.retries == 7  # one try used; the second line was never sent
    code, _, err = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin"], capsys, stdin="\n")
    assert code == 2 and "no PIN given" in err
    assert load_state(state).pin_state.retries == 7


def test_low_retries_refused_without_confirmation(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    state = _state_with_test_pin(tmp_path)
    key = load_state(state)
    key.pin_state.retries = 2
    save_state(key, state)
    code, _, err = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin"], capsys, stdin=TEST_PIN + "\n")
    assert code == 2 and "only 2 PIN tries left" in err and "retries left: 2" in err
    assert load_state(state).pin_state.retries == 2  # nothing was tried
    code, out, _ = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin", "--accept-low-retries"],
                           capsys, stdin=TEST_PIN + "\n")
    assert code == 0 and "google.com" in out
    assert load_state(state).pin_state.retries == 8


def test_soft_and_hard_block_explained(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    state = _state_with_test_pin(tmp_path)
    key = load_state(state)
    key.pin_state.retries = 0
    save_state(key, state)
    code, _, err = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin"], capsys, stdin=TEST_PIN)
    assert code == 2 and "BLOCKED" in err and "ERASES EVERY PASSKEY" in err
    code, _, err = run_cli(["key", "passkeys", "--demo-pin", "--hardware"], capsys)
    assert code == 2  # --demo-pin never goes to a real key


def test_pin_not_set(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "empty.json"
    save_state(softkey(None), state)
    code, _, err = run_cli(["key", "passkeys", "--state", str(state), "--pin-stdin"], capsys, stdin=TEST_PIN)
    assert code == 2 and "has no PIN" in err


def test_demo_json_fields(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(["key", "demo", "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["software"] is True and len(data["ceremonies"]) == 2
    for c in data["ceremonies"]:
        for field in ("registered", "authenticated", "aaguid", "attestation_format", "discoverable", "flags",
                      "sign_count"):
            assert field in c
        assert c["registered"] is True and c["authenticated"] is True and c["attestation_format"] == "packed"
    assert [c["discoverable"] for c in data["ceremonies"]] == [True, False]
    assert "demo PIN" in err


def test_demo_on_pinless_state_sets_demo_pin_labelled(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "fresh.json"
    save_state(softkey(None), state)
    code, out, err = run_cli(["key", "demo", "--state", str(state)], capsys)
    assert code == 0 and "demo PIN was set" in err and "packed (self, verified)" in out
    key = load_state(state)
    assert key.pin_state.is_set and any(c.rp_id == "demo.mfakit.local" for c in key.store.resident)


def test_reconcile_json_and_record(example_copy, capsys) -> None:  # type: ignore[no-untyped-def]
    before = example_copy.read_text()
    args = ["key", "reconcile", "--demo-pin", "--inventory", str(example_copy), "--format", "json"]
    code, out, _ = run_cli(args, capsys)
    data = json.loads(out)
    assert code == 0 and data["key_name"] == "Titan 1"
    assert data["counts"]["on_key_not_recorded"] == 1 and data["counts"]["recorded_not_on_key"] == 1
    assert example_copy.read_text() == before  # nothing recorded without --record
    code, _, err = run_cli(args + ["--record"], capsys)
    assert code == 2 and "--yes" in err and example_copy.read_text() == before
    code, out, _ = run_cli(args + ["--record", "--yes"], capsys)
    assert code == 0 and json.loads(out)["recorded"][0]["type"] == "passkey"
    assert load_inventory(example_copy).find("github").has("passkey")
    assert load_inventory(example_copy).find("amazon-jp").has("passkey")  # removals need --remove-missing
    code, out, _ = run_cli(["key", "reconcile", "--demo-pin", "--inventory", str(example_copy)], capsys)
    assert code == 0 and "cannot be listed" in out and "NOT ON THE KEY" in out


def test_list_hardware_tells_no_key_from_no_permission(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from mfakit.keys import inspect

    monkeypatch.setattr(inspect, "list_hardware", lambda: ([], inspect.diagnose_hid([])))
    code, out, _ = run_cli(["key", "list", "--hardware", "--format", "json"], capsys)
    assert code == 1 and json.loads(out)["problem"] == "no_key"
    monkeypatch.setattr(inspect.os, "access", lambda p, m: False)
    d = inspect.diagnose_hid(["/dev/hidraw0"])
    assert d.problem == "no_permission" and "udev" in d.message and "plugdev" in d.message
    monkeypatch.setattr(inspect.os, "access", lambda p, m: True)
    assert inspect.diagnose_hid(["/dev/hidraw0"]).problem == "no_key"


def test_make_demo_command_runs_offline_without_stdin() -> None:
    res = subprocess.run([sys.executable, "-m", "mfakit.cli.main", "key", "demo"], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, cwd=PROJ_ROOT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "registered" in res.stdout and "second factor" in res.stdout


def test_secret_scan_pin_never_reaches_outputs_or_files(tmp_path, capsys, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.DEBUG)  # fido2 logs traffic at debug level: the PIN must not be in it either
    state = _state_with_test_pin(tmp_path)
    outputs = []
    for argv, stdin in [
        (["key", "passkeys", "--state", str(state), "--pin-stdin"], TEST_PIN),
        (["key", "passkeys", "--state", str(state), "--pin-stdin", "--format", "json"], TEST_PIN),
        (["key", "passkeys", "--state", str(state), "--pin-stdin"], WRONG_PIN),
        (["key", "info", "--state", str(state), "--format", "json"], ""),
        (["key", "demo", "--state", str(state), "--format", "json"], ""),
        (["key", "reconcile", "--state", str(state), "--pin-stdin", "--key-name", "Titan 1", "--inventory",
          str(PROJ_ROOT / "data" / "example" / "inventory.yaml")], TEST_PIN),
    ]:
        code, out, err = run_cli(argv, capsys, stdin=stdin + "\n")
        outputs.append(out + err)
    outputs.append(caplog.text)
    files = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    for needle in (TEST_PIN, WRONG_PIN):
        for blob in outputs:
            assert needle not in blob
        for data in files:
            assert needle.encode() not in data and needle.encode().hex().encode() not in data
