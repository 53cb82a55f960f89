"""Committed notebooks carry no outputs, are numbered in reading order and have a `parameters` cell."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_reading_order_is_there() -> None:
    names = [p.stem for p in NOTEBOOKS]
    assert names[:2] == ["01-inventory", "02-plan-and-progress"]
    assert all(n[:2].isdigit() for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped_and_parameterised(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    assert "parameters" in code[0].get("metadata", {}).get("tags", []), "first code cell must be tagged parameters"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    res = subprocess.run([str(Path(sys.executable).with_name("nbstripout")), "--verify", str(path)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("name", ["01-inventory.ipynb", "02-plan-and-progress.ipynb"])
def test_planning_notebooks_are_thin_and_open_on_their_first_screen(name: str) -> None:
    """Code lives in the package: one import cell; every code cell but the parameters is collapsed."""
    nb = json.loads((NOTEBOOKS[0].parent / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in code]
    imports = [s for s in sources if re.search(r"^\s*(from \S+ )?import ", s, re.M)]
    assert len(imports) == 1 and imports[0].startswith("from mfakit.notebook import Workspace"), imports
    assert "first_screen()" in imports[0]
    assert not code[0]["metadata"].get("jupyter", {}).get("source_hidden")
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in code[1:])
    assert all(len(s.splitlines()) <= 4 for s in sources[1:]), "a notebook cell holding logic: move it to the package"
