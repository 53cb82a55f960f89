"""Paths and settings of the e2e suite, and the ``Lab`` record the fixtures hand to the tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
#: The window a person looks at (issue 13: 1440×900); the first-screen checks use its height.
VIEWPORT = {"width": 1440, "height": 900}
#: User settings written before JupyterLab starts: no news/update pop-ups; every cell attached to the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def chromium_path() -> str:
    """The Chromium binary to drive: ``$MFAKIT_CHROMIUM``, else Debian's /usr/bin/chromium."""
    return os.environ.get("MFAKIT_CHROMIUM") or DEFAULT_CHROMIUM


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it answers, its token, the folder it serves, the inventory copy, and the
    kernels' data folder (``$MFAKIT_DATA_DIR``: a copy of data/example plus the personal catalog)."""

    base_url: str
    token: str
    root: Path
    inventory: Path
    runtime_dir: Path
    data_dir: Path
