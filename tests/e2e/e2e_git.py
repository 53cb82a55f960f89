"""Would a notebook saved WITH outputs change anything in git? Checked in a throw-away repository.

The repository holds the committed notebook and ``.gitattributes``, with this checkout's nbstripout filter;
the saved notebook is written over it and git is asked. (A file run through a clean filter shows as modified
in ``git status`` while its size differs from the indexed one — git's stat shortcut — although ``git diff`` is
empty; ``git add`` then stages nothing and the status is clean. Both facts are checked.) Used by the unit test
of notebook 01 and by the e2e suite, never on the shared work tree's index.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


def filter_config() -> dict[str, str]:
    """This checkout's ``filter.nbstripout.*`` settings ({} when the filter is not installed)."""
    res = _git(ROOT, "config", "--get-regexp", r"^filter\.nbstripout\.", check=False)
    pairs = (line.split(" ", 1) for line in res.stdout.splitlines() if " " in line)
    return {k: v for k, v in pairs}


def filter_installed() -> bool:
    attr = _git(ROOT, "check-attr", "filter", "--", "notebooks/01-inventory.ipynb", check=False).stdout
    return "nbstripout" in attr and "filter.nbstripout.clean" in filter_config()


def outputs_reach_git(committed: bytes, saved: bytes, name: str, tmp: Path) -> str:
    """'' when ``saved`` (a notebook with outputs) changes nothing git would commit over ``committed``.

    Otherwise the problem: the content diff, or what ``git add`` staged.
    """
    repo = tmp / "git-check"
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "notebooks").mkdir(parents=True)
    _git(repo, "init", "-q")
    for key, value in filter_config().items():
        _git(repo, "config", key, value)
    _git(repo, "config", "user.email", "test@example.invalid")
    _git(repo, "config", "user.name", "test")
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    target = repo / "notebooks" / name
    target.write_bytes(committed)
    _git(repo, "add", "-A")
    _git(repo, "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "committed")
    target.write_bytes(saved)
    diff = _git(repo, "diff", "--no-textconv", "--stat", "--", ".", check=False).stdout
    if diff.strip():
        return f"git diff sees the saved notebook:\n{diff}\n" + _git(repo, "diff", "--no-textconv").stdout[:3000]
    _git(repo, "add", "-A")
    status = _git(repo, "status", "--porcelain").stdout
    return f"git add staged: {status}" if status.strip() else ""
