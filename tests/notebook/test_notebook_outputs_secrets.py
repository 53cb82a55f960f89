"""Notebook 01 imports a generated transfer (fake secrets): its executed outputs must hold no secret at all.

The import preview is an interactive table (a widget), so its rows live in the widget state that a saved
notebook keeps in its metadata: both the outputs and that state are scanned.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from mfakit.importers.samples import sample_accounts

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01-inventory.ipynb"


def _forms(secret: bytes) -> set[str]:
    b32 = base64.b32encode(secret).decode()
    b64 = base64.b64encode(secret).decode()
    return {b32, b32.rstrip("="), b32.lower(), secret.hex(), b64, b64.rstrip("=")}


def test_executed_notebook_01_outputs_hold_no_secret(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MFAKIT_INVENTORY", str(Path(__file__).resolve().parents[2] / "data/example/inventory.yaml"))
    monkeypatch.setenv("MFAKIT_PERSONAL_CATALOG", str(tmp_path / "catalog.yaml"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    state = json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False)
    everything = outputs + state
    assert "FAKE secrets" in outputs and "Deutsche Bank" in state  # the import demo really ran
    secrets = [a.secret for a in sample_accounts(8)]
    hits = [f for s in secrets for f in _forms(s) if f in everything or f.lower() in everything.lower()]
    assert hits == []
    assert "otpauth-migration://" not in everything  # not even the transfer link
