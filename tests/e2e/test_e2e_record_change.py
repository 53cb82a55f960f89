"""02-plan-and-progress: record a change with the widget as a person would, and check the file on disk.

Choose GitHub, add a security key "Titan 2", remove the TOTP factor, press "Record change": the inventory
file must now hold the new key and no TOTP, still load (validate), keep the user's comments, and the plan
table under the widget must re-render with GitHub's new state.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

from e2e_config import NOTEBOOKS, SCREENSHOTS, Lab
from e2e_lab import run_notebook, screenshot, wait_until_done

pytestmark = pytest.mark.e2e

ACCOUNT_ID = "github"
NEW_KEY = "Titan 2"
PLAN_NOTEBOOK = next(iter(sorted(NOTEBOOKS.glob("02-*.ipynb"))), None)


def _field(record: Locator, kind: str, label: str) -> Locator:
    """The ipywidgets control (``select``/``input``) whose label reads ``label``."""
    widget = record.locator(f".widget-{kind}", has=record.page.locator("label.widget-label",
                                                                        has_text=re.compile(f"^{label}$")))
    return widget.locator("select" if kind == "dropdown" else "input").first


def _choose(select: Locator, wanted: str) -> str:
    """Select the first option of ``select`` whose text contains ``wanted`` (case-insensitive); return it."""
    texts = [t.strip() for t in select.locator("option").all_inner_texts()]
    hits = [t for t in texts if wanted.casefold() in t.casefold()]
    assert hits, f"no option with {wanted!r} among {texts}"
    select.select_option(label=hits[0])
    return hits[0]


def _full_line_comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.mark.skipif(PLAN_NOTEBOOK is None, reason="notebooks/02-*.ipynb has not landed yet")
def test_e2e_record_change_widget_updates_file_and_plan(lab: Lab, page: Page, fresh_inventory: Path) -> None:
    from mfakit.catalog import load_catalog
    from mfakit.inventory import load_inventory
    from mfakit.plan import build_plan

    original_text = fresh_inventory.read_text()
    before_inv = load_inventory(fresh_inventory)
    before = before_inv.find(ACCOUNT_ID)
    catalog = load_catalog()
    state_before = next(r.state for r in build_plan(before_inv, catalog) if r.account_id == ACCOUNT_ID)
    totp = next(f for f in before.factors if f.type == "totp")
    assert PLAN_NOTEBOOK is not None
    run_notebook(page, lab.base_url, lab.token, PLAN_NOTEBOOK.name)

    record = page.locator(".mfakit-record").first
    record.scroll_into_view_if_needed()
    _choose(_field(record, "dropdown", "Account"), before.display)
    remove = _field(record, "dropdown", "Remove")
    # The Remove choices follow the chosen account (a round trip through the kernel).
    remove.locator("option", has_text=totp.where or totp.type).wait_for(state="attached")
    _choose(_field(record, "dropdown", "Add"), "security_key")
    where = _field(record, "text", "Where")
    where.fill(NEW_KEY)
    where.press("Tab")
    assert _choose(remove, totp.type).casefold().startswith("totp")
    # Any plan table already under the widget is marked stale: we wait for the one rendered by the click.
    record.evaluate("el => el.querySelectorAll('table.mfakit-plan').forEach(t => t.dataset.e2eStale = '1')")
    record.locator("button.widget-button", has_text="Record change").click()

    row = record.locator(f'table.mfakit-plan:not([data-e2e-stale]) tr[data-account="{ACCOUNT_ID}"]')
    row.wait_for()
    wait_until_done(page, 30)
    shown_state = row.locator("td.state").inner_text().strip()
    record.evaluate("el => el.scrollIntoView({block: 'start'})")
    screenshot(page, SCREENSHOTS / f"{PLAN_NOTEBOOK.stem}-record.png")

    after_inv = load_inventory(fresh_inventory)  # raises if the file no longer validates
    after = after_inv.find(ACCOUNT_ID)
    assert any(f.type == "security_key" and f.where == NEW_KEY for f in after.factors), after.factors
    assert not after.has("totp"), after.factors
    others = [a for a in after_inv.accounts if a.id != ACCOUNT_ID]
    assert others == [a for a in before_inv.accounts if a.id != ACCOUNT_ID], "other accounts changed"
    new_text = fresh_inventory.read_text()
    missing = [c for c in _full_line_comments(original_text) if c not in new_text]
    assert not missing, f"comments lost on save: {missing}"
    assert _full_line_comments(original_text), "the example inventory should have comments to keep"

    expected = next(r.state for r in build_plan(after_inv, catalog) if r.account_id == ACCOUNT_ID)
    assert shown_state == expected, f"re-rendered plan shows {shown_state!r}, the plan says {expected!r}"
    assert expected != state_before, f"the scenario should change {ACCOUNT_ID}'s state (was {state_before})"
