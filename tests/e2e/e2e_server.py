"""Start and stop a throw-away JupyterLab for the e2e suite (isolated Jupyter dirs, temp copies of the data)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from e2e_config import EXAMPLE_INVENTORY, LAB_SETTINGS, NOTEBOOKS, Lab
from e2e_procs import die_with_parent, free_port, kill_mentioning, stop_group, wait_for_http


def restore_inventory(path: Path) -> None:
    """Put a pristine copy of the example inventory at ``path`` (a placeholder before it exists)."""
    if EXAMPLE_INVENTORY.exists():
        shutil.copy(EXAMPLE_INVENTORY, path)
    else:
        path.write_text("# placeholder: data/example/inventory.yaml is not in the checkout yet\naccounts: []\n")


def write_lab_settings(settings_dir: Path) -> None:
    """JupyterLab user settings (see ``LAB_SETTINGS``), written before the server starts."""
    for rel, values in LAB_SETTINGS.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def lab_env(tmp: Path, inventory: Path, data_dir: Path | None = None) -> dict[str, str]:
    """The server's (and so the kernels') environment: isolated Jupyter dirs, the inventory copy, and a data
    folder of its own (so ``data/private/...`` and the personal catalog never touch the real data/private)."""
    env = dict(os.environ)
    for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                      ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                      ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(tmp / sub)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_TOKEN", None)
    env["MFAKIT_INVENTORY"] = str(inventory)
    if data_dir is not None:
        env["MFAKIT_ROOT"] = str(data_dir.parent)  # relative paths (START_NEW...) land in this scratch project
        env["MFAKIT_DATA_DIR"] = str(data_dir)
        env["MFAKIT_PERSONAL_CATALOG"] = str(data_dir / "private" / "catalog.yaml")
    env["PYTHONUNBUFFERED"] = "1"
    # The kernel is the sys-prefix "python3" spec of this venv: its bin goes first on PATH too.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def shutdown_kernels(lab: Lab) -> None:
    """Ask the server to shut its kernels down (they run in their own sessions, outside our process group)."""
    headers = {"Authorization": f"token {lab.token}"}
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{lab.base_url}/api/kernels", headers=headers),
                                    timeout=5) as resp:
            kernels = json.load(resp)
        for k in kernels:
            req = urllib.request.Request(f"{lab.base_url}/api/kernels/{k['id']}", method="DELETE",
                                         headers=headers)
            urllib.request.urlopen(req, timeout=10).close()
    except OSError:
        pass


@contextmanager
def running_lab(tmp: Path) -> Iterator[Lab]:
    """JupyterLab serving a temp copy of notebooks/ on 127.0.0.1:<free port>; stopped with its kernels on exit.

    The server runs from this venv's Python so the sys-prefix ``python3`` kernel is found; it is started in
    its own session (so its whole process group can be stopped) and gets SIGTERM if the test process dies.
    """
    root = tmp / "notebooks"
    root.mkdir()
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        shutil.copy(nb, root / nb.name)
    inventory = tmp / "data" / "inventory.yaml"
    inventory.parent.mkdir()
    restore_inventory(inventory)
    data_dir = inventory.parent  # the kernels' project is ``tmp``: tmp/data holds example/, policies/, private/
    (data_dir / "private").mkdir(parents=True)
    for sub in ("example", "policies"):
        if (EXAMPLE_INVENTORY.parents[1] / sub).is_dir():
            shutil.copytree(EXAMPLE_INVENTORY.parents[1] / sub, data_dir / sub)
    env = lab_env(tmp / "jupyter", inventory, data_dir)
    write_lab_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
    port, token = free_port(), secrets.token_hex(24)
    log = tmp / "jupyterlab.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent)
    lab = Lab(f"http://127.0.0.1:{port}", token, root, inventory, Path(env["JUPYTER_RUNTIME_DIR"]), data_dir)
    try:
        wait_for_http(f"{lab.base_url}/api", proc, timeout=60, log=log)
        yield lab
    finally:
        if proc.poll() is None:
            shutdown_kernels(lab)
        stop_group(proc)
        kill_mentioning(str(lab.runtime_dir))
