"""Fixtures for the browser end-to-end suite: a JupyterLab server and a headless Chromium, both stopped at the end.

JupyterLab runs from this virtualenv (so the sys-prefix ``python3`` kernel is found) on a free loopback port
with a random token, in an isolated Jupyter config/data/runtime/settings environment, serving a temporary copy
of ``notebooks/``. The kernel sees ``MFAKIT_INVENTORY`` pointing at a temporary copy of the example inventory,
restored before every test. Chromium is the system one (``/usr/bin/chromium`` or ``$MFAKIT_CHROMIUM``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e_procs import die_with_parent, free_port, kill_mentioning, stop_group, terminate_as_interrupt, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
#: The notebooks under test (``$MFAKIT_E2E_NOTEBOOKS`` points the suite at another folder).
NOTEBOOKS = Path(os.environ.get("MFAKIT_E2E_NOTEBOOKS", ROOT / "notebooks"))
EXAMPLE_INVENTORY = ROOT / "data" / "example" / "inventory.yaml"
SCREENSHOTS = ROOT / "build" / "screenshots"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
#: User settings written before JupyterLab starts: no news/update pop-ups; every cell attached to the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it answers, its token, the folder it serves and the inventory copy."""

    base_url: str
    token: str
    root: Path
    inventory: Path
    runtime_dir: Path


def pytest_sessionstart(session: pytest.Session) -> None:
    """A CI timeout's SIGTERM still runs the finalizers that stop JupyterLab and Chromium."""
    terminate_as_interrupt()


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    """Remember whether the test body failed, so the page fixture can keep a screenshot of the failure."""
    if call.when == "call":
        item.stash[_FAILED] = call.excinfo is not None


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium (``$MFAKIT_CHROMIUM`` or /usr/bin/chromium); fail with how to get it."""
    path = os.environ.get("MFAKIT_CHROMIUM", DEFAULT_CHROMIUM)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"no Chromium at {path}: install it (Debian/Ubuntu: sudo apt-get install chromium) "
                    "or set MFAKIT_CHROMIUM=/path/to/chromium", pytrace=False)
    return path


@pytest.fixture(scope="session")
def e2e_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


def _write_lab_settings(settings_dir: Path) -> None:
    for rel, values in LAB_SETTINGS.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _lab_env(tmp: Path, inventory: Path) -> dict[str, str]:
    """The server's (and so the kernels') environment: isolated Jupyter dirs, the inventory copy."""
    env = dict(os.environ)
    dirs = {name: tmp / sub for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"))}
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_TOKEN", None)
    env["MFAKIT_INVENTORY"] = str(inventory)
    env["PYTHONUNBUFFERED"] = "1"
    # The kernel is the sys-prefix "python3" spec of this venv: put its bin first on PATH too.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _shutdown_kernels(lab: Lab) -> None:
    """Ask the server to shut down its kernels (they run in their own sessions, outside our group)."""
    headers = {"Authorization": f"token {lab.token}"}
    try:
        req = urllib.request.Request(f"{lab.base_url}/api/kernels", headers=headers)
        with urllib.request.urlopen(req, timeout=5) as resp:
            kernels = json.load(resp)
        for k in kernels:
            req = urllib.request.Request(f"{lab.base_url}/api/kernels/{k['id']}", method="DELETE",
                                         headers=headers)
            urllib.request.urlopen(req, timeout=10).close()
    except OSError:
        pass


@pytest.fixture(scope="session")
def lab(e2e_tmp: Path) -> Iterator[Lab]:
    """JupyterLab serving a temporary copy of notebooks/ (stopped, with its kernels, at the end)."""
    root = e2e_tmp / "notebooks"
    root.mkdir()
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        shutil.copy(nb, root / nb.name)
    inventory = e2e_tmp / "data" / "inventory.yaml"
    inventory.parent.mkdir()
    restore_inventory(inventory)
    env = _lab_env(e2e_tmp / "jupyter", inventory)
    _write_lab_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
    port, token = free_port(), secrets.token_hex(24)
    log = e2e_tmp / "jupyterlab.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=die_with_parent)
    running = Lab(f"http://127.0.0.1:{port}", token, root, inventory, Path(env["JUPYTER_RUNTIME_DIR"]))
    try:
        wait_for_http(f"{running.base_url}/api", proc, timeout=60, log=log)
        yield running
    finally:
        if proc.poll() is None:
            _shutdown_kernels(running)
        stop_group(proc)
        kill_mentioning(str(running.runtime_dir))


def restore_inventory(path: Path) -> None:
    """Put a pristine copy of the example inventory at ``path`` (a placeholder before it exists)."""
    if EXAMPLE_INVENTORY.exists():
        shutil.copy(EXAMPLE_INVENTORY, path)
    else:
        path.write_text("# placeholder: data/example/inventory.yaml is not in the checkout yet\naccounts: []\n")


@pytest.fixture
def fresh_inventory(lab: Lab) -> Path:
    """The inventory copy the kernels use, reset to the example before the test."""
    restore_inventory(lab.inventory)
    return lab.inventory


@pytest.fixture(scope="session")
def browser_context(chromium_executable: str, e2e_tmp: Path) -> Iterator[object]:
    """Headless system Chromium with a fresh profile, driven by Playwright (closed at the end)."""
    from playwright.sync_api import sync_playwright

    profile = e2e_tmp / "chromium-profile"
    pw = sync_playwright().start()
    context = None
    try:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS,
            viewport=VIEWPORT, device_scale_factor=1)
        yield context
    finally:
        try:
            if context is not None:
                context.close()
        finally:
            pw.stop()
            kill_mentioning(str(profile))


@pytest.fixture
def page(browser_context, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A new browser tab; on failure its last view is kept in build/screenshots/failed-<test>.png."""
    tab = browser_context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    if request.node.stash.get(_FAILED, False):
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            tab.screenshot(path=str(SCREENSHOTS / f"failed-{name}.png"))
        except Exception:  # noqa: BLE001 - the screenshot is a courtesy; the failure is already reported
            pass
    tab.close()
