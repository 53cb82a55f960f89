"""Notebook 01 with a relative START_NEW, run from notebooks/ as JupyterLab runs it: the file lands in the
project's data/private/, and the notebook saved WITH its outputs changes nothing git would commit (nbstripout).

The kernel gets ``MFAKIT_DATA_DIR`` pointing at a temporary copy of the data folder, so ``data/...`` means that
copy and the real ``data/private`` is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from e2e_git import filter_installed, outputs_reach_git  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "01-inventory.ipynb"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def _private_listing() -> list[str]:
    private = ROOT / "data" / "private"
    return sorted(str(p.relative_to(private)) for p in private.rglob("*")) if private.exists() else []


def test_relative_start_new_lands_in_data_private_and_git_stays_clean(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "example", data / "example")
    monkeypatch.setenv("MFAKIT_DATA_DIR", str(data))
    monkeypatch.setenv("MFAKIT_PERSONAL_CATALOG", str(data / "private" / "catalog.yaml"))
    monkeypatch.delenv("MFAKIT_INVENTORY", raising=False)
    real_private_before = _private_listing()

    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert "START_NEW = None" in params.source
    params.source = params.source.replace("START_NEW = None", 'START_NEW = "data/private/inventory.yaml"', 1)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()

    created = data / "private" / "inventory.yaml"
    assert created.is_file(), "START_NEW must land in the data folder's private/, not in notebooks/"
    assert not (ROOT / "notebooks" / "data").exists()
    assert "accounts: []" in created.read_text()
    shown = "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "")
                    for c in nb.cells for o in c.get("outputs", []))
    assert "Traceback" not in shown
    assert _private_listing() == real_private_before, "the real data/private was touched"

    if not filter_installed():
        pytest.skip("the nbstripout git filter is not installed here (make setup installs it)")
    # Saved WITH outputs, as JupyterLab's autosave would, after the parameter is put back (an edited parameter
    # is a real change a person may commit; outputs are what must never reach git).
    params.source = params.source.replace('START_NEW = "data/private/inventory.yaml"', "START_NEW = None", 1)
    saved = nbformat.writes(nb).encode()
    assert "output_type" in saved.decode()
    problem = outputs_reach_git(NOTEBOOK.read_bytes(), saved, NOTEBOOK.name, tmp_path)
    assert problem == "", problem
    assert _git("status", "--porcelain", "--", "data/") == "", "data/ must stay clean in the real checkout"
