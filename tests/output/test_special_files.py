"""A device, pipe or socket given where a file is expected is refused in one line (exit 2) before any read:
reading ``/dev/zero`` never ends (the kit ate memory until a MemoryError, then reported a bug, exit 1) and
opening a FIFO with no writer blocked forever. Each run gets a 1 GiB address-space limit and a timeout, so a
regression fails instead of exhausting the machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("MFAKIT_")}
    full.update({"MFAKIT_DATA_DIR": str(tmp_path / "data"), "MFAKIT_PERSONAL_CATALOG": str(tmp_path / "p.yaml"),
                 "COLUMNS": "100", **env})
    return subprocess.run([sys.executable, "-m", "mfakit.cli.main", *args], capture_output=True, text=True,
                          timeout=60, env=full, cwd=tmp_path, preexec_fn=_limited)


def _fifo(tmp_path: Path) -> str:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("args, env", [
    (["status", "--inventory", "/dev/zero"], {}),
    (["status", "--inventory", "FIFO"], {}),
    (["catalog", "refresh", "/dev/zero"], {}),
    (["key", "demo", "--state", "/dev/zero"], {}),
    (["status", "--inventory", str(ROOT / "data" / "example" / "inventory.yaml")],
     {"MFAKIT_PERSONAL_CATALOG": "/dev/zero"}),
    (["aws", "lint", "/dev/zero"], {}),
    (["aws", "lint", "FIFO"], {}),
    (["aws", "eval", "--policy", "/dev/zero", "--action", "ec2:DescribeVpcs"], {}),
], ids=["inventory-device", "inventory-fifo", "catalog-refresh-device", "key-state-device", "personal-catalog-device",
        "policy-lint-device", "policy-lint-fifo", "policy-eval-device"])
def test_special_file_is_one_line_exit_2(args: list[str], env: dict[str, str], tmp_path: Path) -> None:
    args = [_fifo(tmp_path) if a == "FIFO" else a for a in args]
    res = _run(args, tmp_path, **env)
    lines = [line for line in res.stderr.splitlines() if line.startswith("mfakit: error:")]
    assert res.returncode == 2, res.stderr[-400:]
    assert len(lines) == 1 and "not a regular file" in lines[0] and "Traceback" not in res.stderr
