"""Notebook 03 runs top to bottom: on the software key, and on the real-key path over the emulated HID key with
hostile names stored in it (shown with controls made visible, HTML escaped; no PIN or key secret in outputs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from mfakit.keys.softkey import SoftKey
from mfakit.keys.softkey.state import DEMO_PIN, load_state, save_state, set_pin

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "03-security-key.ipynb"
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example" / "inventory.yaml"


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **params: object) -> tuple[str, str]:
    monkeypatch.setenv("MFAKIT_INVENTORY", str(EXAMPLE))
    monkeypatch.delenv("MFAKIT_FAKE_HID", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for name, value in params.items():
        cell.source, n = re.subn(rf"^{name} = .*$", f"{name} = {value!r}", cell.source, flags=re.M)
        assert n == 1, name
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs if o.get("output_type") == "execute_result")
    return json.dumps(outputs, ensure_ascii=False), html


def test_notebook_03_on_the_software_key(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    everything, html = _run(tmp_path, monkeypatch)
    for label in ("AAGUID", "PIN retries left", "passkey slots free", "attestation_verified", "status",
                  "github.com", "on_key_not_recorded"):
        assert label in html, label
    assert "SOFTWARE authenticator" in everything


def test_notebook_03_on_the_emulated_hid_key_with_hostile_names(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    key = SoftKey()
    set_pin(key, DEMO_PIN)
    for i, name in enumerate(["<img src=x onerror=alert(1)>", "\x1b]8;;http://evil.example\x1b\\CLICK", "\x9b2J"]):
        key.store.new(f"site{i}.example", True, name, {"id": bytes([i]), "name": name, "displayName": name})
    state = tmp_path / "hostile.json"
    save_state(key, state)
    master = json.loads(state.read_text())["store"]["master"]
    everything, html = _run(tmp_path, monkeypatch, EMULATED_HID=True, STATE_FILE=str(state))
    assert "EMULATED USB HID" in everything and "emulated HID (not a real key)" in html
    assert "site0.example" in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "\\x1b]8;;http://evil.example" in html and "\\x9b2J" in html
    for raw in ("\x1b", "\x9b", "\\u001b", "\\u009b"):
        assert raw not in everything
    assert DEMO_PIN not in everything and master not in everything
    saved = load_state(state).store.resident  # the demo's passkey was saved through the emulated key
    assert any(c.rp_id == "demo.mfakit.local" for c in saved)
