"""Notebook outputs never reach git: the set-up's nbstripout filter makes a notebook saved WITH outputs
(JupyterLab autosave, nbconvert --inplace, an editor) show no change in `git status` / `git diff`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_the_committed_attributes_declare_the_filter() -> None:
    attrs = (ROOT / ".gitattributes").read_text().split("\n")
    assert "*.ipynb filter=nbstripout" in attrs and "*.ipynb diff=ipynb" in attrs
    make = (ROOT / "Makefile").read_text()
    assert "nbstripout --install --attributes .gitattributes" in make
    assert "setup: $(STAMP) git-filter" in make


@pytest.mark.skipif(shutil.which("git") is None or not (VENV / "bin" / "nbstripout").exists(),
                    reason="needs git and the project's .venv with nbstripout")
def test_a_notebook_saved_with_outputs_leaves_git_clean(tmp_path: Path) -> None:
    repo = tmp_path / "clone"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.invalid")
    git(repo, "config", "user.name", "t")
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    shutil.copy(ROOT / "Makefile", repo / "Makefile")
    nb = repo / "01-inventory.ipynb"
    shutil.copy(ROOT / "notebooks" / "01-inventory.ipynb", nb)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "clean notebook")
    # the set-up's own rule installs the filter (the project's venv provides nbstripout)
    subprocess.run(["make", "-s", "git-filter", f"VENV={VENV}"], cwd=repo, check=True, capture_output=True)
    assert "filter.nbstripout.clean" in git(repo, "config", "--list", "--local")
    data = nbformat.read(nb, as_version=4)
    code = next(c for c in data.cells if c.cell_type == "code")
    code.execution_count = 7
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="s-takahashi@gmail.com\n")]
    nbformat.write(data, nb)  # as JupyterLab's autosave or nbconvert --inplace writes it
    assert "s-takahashi@gmail.com" in nb.read_text()
    assert git(repo, "diff") == ""  # the filtered notebook is the committed one
    # git's size shortcut may list the file as modified until the index is refreshed; adding it stages nothing
    git(repo, "add", "-A")
    assert git(repo, "diff", "--cached") == ""
    assert git(repo, "status", "--porcelain") == ""
    assert "s-takahashi@gmail.com" not in git(repo, "show", ":01-inventory.ipynb")  # the index holds no output


def test_make_lab_serves_the_project_root() -> None:
    """`make lab` opens JupyterLab at the project root, so notebooks/ and data/ are both reachable (as root too)."""
    res = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True)
    line = next(ln for ln in res.stdout.splitlines() if "jupyter lab" in ln)
    assert f'--ServerApp.root_dir="{ROOT}"' in line and "notebooks/" not in line
    if os.geteuid() == 0:
        assert "--allow-root" in line
