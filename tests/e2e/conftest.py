"""Fixtures for the browser end-to-end suite: a JupyterLab server and a headless Chromium, both stopped at the end.

JupyterLab (``e2e_server.running_lab``) serves a temporary copy of ``notebooks/`` on a free loopback port with
a random token; its kernels see ``MFAKIT_INVENTORY`` pointing at a temporary copy of the example inventory,
restored before every test. Chromium is the system one (``/usr/bin/chromium`` or ``$MFAKIT_CHROMIUM``),
driven by Playwright with a fresh profile.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e_config import CHROMIUM_ARGS, SCREENSHOTS, VIEWPORT, Lab, chromium_path
from e2e_procs import kill_mentioning, terminate_as_interrupt
from e2e_server import restore_inventory, running_lab

_FAILED = pytest.StashKey[bool]()


def pytest_sessionstart(session: pytest.Session) -> None:
    """A CI timeout's SIGTERM still runs the finalizers that stop JupyterLab and Chromium."""
    terminate_as_interrupt()


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    """Remember whether the test body failed, so the page fixture can keep a screenshot of the failure."""
    if call.when == "call":
        item.stash[_FAILED] = call.excinfo is not None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium; fail (not skip) with how to get it, since `make test-e2e` asked for it."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"no Chromium at {path}: install it (Debian/Ubuntu: sudo apt-get install chromium) "
                    "or set MFAKIT_CHROMIUM=/path/to/chromium", pytrace=False)
    return path


@pytest.fixture(scope="session")
def e2e_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def lab(e2e_tmp: Path) -> Iterator[Lab]:
    """A running JupyterLab for the whole session (stopped, with its kernels, at the end)."""
    with running_lab(e2e_tmp) as running:
        yield running


@pytest.fixture
def fresh_inventory(lab: Lab) -> Path:
    """The inventory copy the kernels use, reset to the example before the test."""
    restore_inventory(lab.inventory)
    return lab.inventory


@pytest.fixture(scope="session")
def browser_context(chromium_executable: str, e2e_tmp: Path) -> Iterator[Any]:
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
def page(browser_context: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
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
