"""Every notebook in notebooks/, as a person runs it in JupyterLab: Run All, no errors, the expected views.

Parametrized over ``notebooks/*.ipynb`` (01 and 02 are driven in depth by ``test_e2e_workspace.py``) so a new
notebook is covered the moment it lands: it must run
without an error output and show at least one output. Notebooks with an entry in ``EXPECT`` (keyed by their
number prefix, ``01``, ``02`` ...) must also show their specific views. A screenshot of each notebook after
the run goes to ``build/screenshots/<notebook>.png``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from e2e_config import NOTEBOOKS, SCREENSHOTS, Lab
from e2e_lab import run_notebook, screenshot

pytestmark = pytest.mark.e2e

OUTPUT = ".jp-OutputArea-output"


def _prefix(nb: Path) -> str:
    m = re.match(r"(\d+)", nb.name)
    return m.group(1) if m else nb.stem


def table_with(page: Page, *texts: str) -> None:
    """Some output table shows every one of ``texts`` (row labels, column headers or cells)."""
    tables = page.locator(f"{OUTPUT} table").all_inner_texts()
    assert any(all(t in tab for t in texts) for tab in tables), f"no output table shows all of {texts}"


def expect_security_key(page: Page, lab: Lab) -> None:
    """03: the key-info table, the WebAuthn ceremony table and the reconciliation table."""
    table_with(page, "AAGUID", "firmware", "PIN retries left", "passkey slots free")
    table_with(page, "registered", "authenticated", "attestation_verified")
    table_with(page, "status")


def row_cells(page: Page, key: str) -> list[list[str]]:
    """The cell texts of every output table row whose first cell (a DataFrame index) reads ``key``."""
    return page.evaluate(
        """(key) => [...document.querySelectorAll('.jp-OutputArea-output table tr')]
             .map(tr => [...tr.children].map(c => c.textContent.trim()))
             .filter(cells => cells[0] === key)""", key)


def expect_aws_walkthrough(page: Page, lab: Lab) -> None:
    """04: the step tables; the explicit deny before MFA and the allow after it, as rendered rows."""
    table_with(page, "create-policy", "create-user", "attach-policies")
    table_with(page, "get-session-token", "mfa-describe-vpcs")
    table_with(page, "console-security-key", "clean-up")
    before = row_cells(page, "no-mfa-describe-vpcs")
    after = row_cells(page, "mfa-describe-vpcs")
    assert before and all("explicitDeny" in r for r in before), before
    assert after and all("allowed" in r for r in after), after


def expect_aws_audit(page: Page, lab: Lab) -> None:
    """05: the per-user MFA table (enforcement included) and the findings table."""
    table_with(page, "mfa_active", "mfa_enforced", "security_key", "bob-no-mfa", "carol-key")
    table_with(page, "severity", "check_id", "remediation")


#: Per-notebook expectations (by number prefix) and the output to scroll to for the screenshot.
EXPECT: dict[str, tuple[Callable[[Page, Lab], None], str | None]] = {
    "03": (expect_security_key, f"{OUTPUT} table"),
    "04": (expect_aws_walkthrough, f"{OUTPUT} table:has-text('no-mfa-describe-vpcs')"),
    "05": (expect_aws_audit, f"{OUTPUT} table"),
}


#: Notebooks driven in depth by test_e2e_workspace.py (first screen, tables, widgets): not run twice.
COVERED_ELSEWHERE = {"01", "02"}


@pytest.mark.parametrize("notebook", [nb for nb in sorted(NOTEBOOKS.glob("*.ipynb"))
                                      if _prefix(nb) not in COVERED_ELSEWHERE], ids=lambda p: p.stem)
def test_e2e_notebook_runs_and_shows_its_views(notebook: Path, lab: Lab, page: Page,
                                               fresh_inventory: Path) -> None:
    run_notebook(page, lab.base_url, lab.token, notebook.name)
    assert page.locator(f".jp-CodeCell {OUTPUT}").count() >= 1, "the notebook shows no output at all"
    check, focus = EXPECT.get(_prefix(notebook), (None, None))
    screenshot(page, SCREENSHOTS / f"{notebook.stem}.png", focus)
    if check is not None:
        check(page, lab)
