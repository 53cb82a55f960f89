"""Every notebook in notebooks/, as a person runs it in JupyterLab: Run All, no errors, the expected views.

Parametrized over ``notebooks/*.ipynb`` so a new notebook is covered the moment it lands: it must run
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

PLAN_STATES = {"done", "ready", "hybrid", "blocked", "unknown"}
OUTPUT = ".jp-OutputArea-output"


def _inventory(lab: Lab):  # type: ignore[no-untyped-def]
    from mfakit.inventory import load_inventory
    return load_inventory(lab.inventory)


def check_collapsible(page: Page, group_selector: str = "details.mfakit-group") -> None:
    """Clicking a group's summary really collapses it (table hidden) and clicking again expands it."""
    group = page.locator(group_selector).first
    table = group.locator("table").first
    was_open = group.get_attribute("open") is not None
    assert table.is_visible() == was_open
    for expect_open in (not was_open, was_open):
        group.locator("summary").first.click()
        page.wait_for_function("([el, want]) => el.open === want",
                               arg=[group.element_handle(), expect_open])
        assert (group.get_attribute("open") is not None) == expect_open
        assert table.is_visible() == expect_open, f"table visible={table.is_visible()} with open={expect_open}"


def check_plan_table(page: Page, lab: Lab, table_selector: str = "table.mfakit-plan") -> None:
    """One row per inventory account (``data-account``), each with a known state in ``td.state``."""
    table = page.locator(table_selector).first
    assert table.is_visible()
    ids = {a.id for a in _inventory(lab).accounts}
    shown = {r.get_attribute("data-account"): r.locator("td.state").inner_text().strip()
             for r in table.locator("tr[data-account]").all()}
    assert set(shown) == ids, f"plan rows {sorted(shown)} != inventory ids {sorted(ids)}"
    bad = {k: v for k, v in shown.items() if v not in PLAN_STATES}
    assert not bad, f"unknown states in the plan table: {bad}"


def expect_inventory(page: Page, lab: Lab) -> None:
    """01: the grouped, collapsible inventory view, one group per inventory group."""
    groups = page.locator("details.mfakit-group")
    summaries = [s.strip() for s in groups.locator("summary").all_inner_texts()]
    wanted = _inventory(lab).groups()
    assert len(summaries) >= len(wanted) >= 2, summaries
    for g in wanted:
        assert any(s.startswith(g) for s in summaries), f"group {g!r} not among {summaries}"
    check_collapsible(page)


def expect_plan_and_progress(page: Page, lab: Lab) -> None:
    """02: the plan table, the progress chart (a PNG image output) and the record-change widget."""
    check_plan_table(page, lab)
    img = page.locator(f"{OUTPUT} img").first
    assert img.is_visible()
    assert (img.get_attribute("src") or "").startswith("data:image/png")
    assert page.evaluate("(el) => el.naturalWidth > 100 && el.naturalHeight > 100", img.element_handle())
    record = page.locator(".mfakit-record")
    assert record.is_visible()
    labels = [t.strip() for t in record.locator("label.widget-label").all_inner_texts()]
    for want in ("Account", "Add", "Where", "Remove"):
        assert want in labels, f"{want!r} not among the widget labels {labels}"
    assert record.locator("button.widget-button", has_text="Record change").is_visible()


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
    "01": (expect_inventory, "details.mfakit-group"),
    "02": (expect_plan_and_progress, "table.mfakit-plan"),
    "03": (expect_security_key, f"{OUTPUT} table"),
    "04": (expect_aws_walkthrough, f"{OUTPUT} table:has-text('no-mfa-describe-vpcs')"),
    "05": (expect_aws_audit, f"{OUTPUT} table"),
}


def _prefix(nb: Path) -> str:
    m = re.match(r"(\d+)", nb.name)
    return m.group(1) if m else nb.stem


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_e2e_notebook_runs_and_shows_its_views(notebook: Path, lab: Lab, page: Page,
                                               fresh_inventory: Path) -> None:
    run_notebook(page, lab.base_url, lab.token, notebook.name)
    assert page.locator(f".jp-CodeCell {OUTPUT}").count() >= 1, "the notebook shows no output at all"
    check, focus = EXPECT.get(_prefix(notebook), (None, None))
    screenshot(page, SCREENSHOTS / f"{notebook.stem}.png", focus)
    if check is not None:
        check(page, lab)
