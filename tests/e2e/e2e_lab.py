"""Driving JupyterLab in the browser as a person does: open a notebook, Run All, wait, look at the outputs.

The page is a Playwright ``Page`` on a JupyterLab started by ``conftest.py`` with
``expose_app_in_browser`` so the tests can *read* the kernel state (``window.jupyterapp``); everything a
person does (menus, clicks, typing) goes through the real UI.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page

#: Error output of a cell, as JupyterLab renders it (stream stderr shares the MIME type; we look at the text).
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
#: What marks a stderr/error output as a real error rather than a warning.
ERROR_TEXT = re.compile(r"Traceback|^\s*\w*(Error|Exception)\b.*$", re.MULTILINE)
#: Texts the widget manager shows when a widget cannot render (missing/mismatched @jupyter-widgets).
WIDGET_FAILURES = ("Error displaying widget", "Failed to load model class", "Failed to create view")

# JS run in the page: the state of the notebook that has focus, read from the cell models (a cell whose code is
# collapsed shows no prompt, so the DOM alone cannot tell whether it ran).
_STATE_JS = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.sessionContext) { return null; }
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  const running = c => c.model.executionState === 'running'
      || (c.node.querySelector('.jp-InputArea-prompt') || {textContent: ''}).textContent.includes('*');
  return {
    kernel: kernel ? kernel.status : 'none',
    busy: cells.filter(running).length,
    unrun: cells.filter(c => !running(c) && c.model.executionCount === null).length,
    cells: cells.length,
  };
}"""


def open_notebook(page: Page, base_url: str, token: str, name: str, timeout: float = 60.0) -> None:
    """Open ``name`` (relative to the server root) in a fresh workspace and wait for an idle kernel."""
    page.goto(f"{base_url}/lab/tree/{quote(name)}?reset&token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout * 1000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext", timeout=timeout * 1000)
    # A person's first look: left sidebar collapsed, more room for outputs (and for the screenshots).
    page.evaluate("""() => { const s = window.jupyterapp.shell;
                            if (!s.leftCollapsed) { s.collapseLeft(); } }""")
    wait_for_kernel(page, "idle", timeout)


def wait_for_kernel(page: Page, status: str, timeout: float) -> None:
    """Wait until the focused notebook's kernel reports ``status``."""
    page.wait_for_function(
        """(want) => { const p = window.jupyterapp.shell.currentWidget;
             const k = p && p.sessionContext.session && p.sessionContext.session.kernel;
             return k && k.status === want; }""", arg=status, timeout=timeout * 1000)


def run_all(page: Page) -> None:
    """Run > Run All Cells, through the menu bar."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-content .lm-Menu-item", has_text=re.compile(r"^Run All Cells")).click()


def notebook_state(page: Page) -> dict[str, Any] | None:
    """Kernel status and how many code cells are busy / not run (see ``_STATE_JS``)."""
    return page.evaluate(_STATE_JS)


def wait_until_done(page: Page, timeout: float) -> dict[str, Any]:
    """Wait until the run is over: kernel idle, no ``[*]`` prompt, every cell run or an error shown.

    The state must hold on two polls in a row, because the kernel is idle for a moment between cells.
    """
    deadline = time.monotonic() + timeout
    stable = 0
    state: dict[str, Any] | None = None
    while time.monotonic() < deadline:
        state = notebook_state(page)
        finished = bool(state) and state["kernel"] == "idle" and state["busy"] == 0 and (
            state["unrun"] == 0 or error_outputs(page))
        stable = stable + 1 if finished else 0
        if stable >= 2:
            return state  # type: ignore[return-value]
        page.wait_for_timeout(250)
    raise AssertionError(f"notebook did not finish within {timeout:.0f} s (last state: {state})")


def error_outputs(page: Page) -> list[str]:
    """Texts of every output that shows an error: tracebacks, ``XError:`` lines, widgets that failed."""
    texts: list[str] = page.locator(STDERR_OUTPUT).all_inner_texts()
    found = [t for t in texts if ERROR_TEXT.search(t)]
    outputs_text = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    found += [f"widget failed to render: {msg}" for msg in WIDGET_FAILURES if msg in outputs_text]
    return found


def run_notebook(page: Page, base_url: str, token: str, name: str, timeout: float = 120.0) -> dict[str, Any]:
    """Open, Run All, wait; return the final state. Fails with the error texts if any cell failed."""
    open_notebook(page, base_url, token, name)
    run_all(page)
    # Wait for the run to start, so an idle kernel before Run All is not taken as "done".
    page.wait_for_function(
        """() => { const p = window.jupyterapp.shell.currentWidget;
             return p.content.widgets.some(c => c.model.type === 'code'
                    && (c.model.executionState === 'running' || c.model.executionCount !== null)); }""",
        timeout=30_000)
    state = wait_until_done(page, timeout)
    errors = error_outputs(page)
    assert not errors, f"{name}: cells show errors:\n" + "\n---\n".join(errors)
    assert state["unrun"] == 0, f"{name}: {state['unrun']} code cell(s) did not run: {state}"
    return state


def screenshot(page: Page, path: Path, focus: str | None = None) -> Path:
    """Save a PNG of the viewport, scrolled to ``focus`` (a selector) when given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if focus and page.locator(focus).count():
        # Scroll the cell holding the output to the top, so its code and the output fill the view.
        page.locator(focus).first.evaluate("el => (el.closest('.jp-Cell') || el).scrollIntoView({block: 'start'})")
    size = page.viewport_size or {"height": 900}
    page.mouse.move(1, size["height"] - 4)  # park the mouse on the status bar: no hover highlight
    page.screenshot(path=str(path))
    return path
