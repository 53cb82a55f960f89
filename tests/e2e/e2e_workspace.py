"""Reading and driving the notebook workspace in JupyterLab as a person does: first screen, tables, widgets.

Selectors are the classes the package puts on its widgets (``mfakit-headline``, ``mfakit-plan-table``...); the
interactive tables are itables (DataTables) widgets, driven through their own header, search box and column
filters.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from e2e_config import VIEWPORT

HEADLINE = ".mfakit-headline"


def plan_for(inventory: Path) -> tuple[Any, list[Any]]:
    """The inventory and its plan as the kernel computes them: the same file and the same catalog layers (the
    kernels' data folder is the inventory's folder: its imported layer and personal catalog, if any)."""
    from mfakit.catalog import load_catalog
    from mfakit.inventory import load_inventory
    from mfakit.plan import build_plan

    data = inventory.parent
    inv = load_inventory(inventory)
    catalog = load_catalog(catalog_dir=data / "catalog", personal_path=data / "private" / "catalog.yaml")
    return inv, build_plan(inv, catalog)


def scroll_to_top(page: Page) -> None:
    page.locator(".jp-Notebook .jp-Cell").first.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def headline_figures(page: Page) -> dict[str, int]:
    head = page.locator(HEADLINE).first
    return {k: int(head.get_attribute(f"data-{k}") or -1) for k in ("off-app", "total", "on-key")}


def check_first_screen(page: Page, inventory: Path) -> None:
    """The figures match the plan, and the headline, the chart and the next steps fit in the first screen."""
    from mfakit.plan import summarize

    _inv, rows = plan_for(inventory)
    p = summarize(rows)
    scroll_to_top(page)
    assert headline_figures(page) == {"off-app": p.off_app, "total": p.total, "on-key": p.on_key}
    head = page.locator(HEADLINE).first
    assert f"{p.off_app} of {p.total}" in head.inner_text()
    for state, n in p.by_state.items():
        assert head.locator(f'.mfakit-chip[data-state="{state}"]').inner_text().strip() == f"{state} {n}"
    height = VIEWPORT["height"]
    for sel in (HEADLINE, ".mfakit-first-screen img.mfakit-group-chart", ".mfakit-next"):
        box = page.locator(sel).first.bounding_box()
        assert box is not None and box["height"] > 10, f"{sel} not shown"
        assert box["y"] + min(box["height"], 120) <= height, f"{sel} starts below the first screen ({box})"
    # Code cells are collapsed, the parameters cell is not.
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    placeholders = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPlaceholder")
    assert placeholders.count() == code_cells.count() - 1, (placeholders.count(), code_cells.count())
    assert "# Parameters" in code_cells.first.locator(".cm-content").inner_text()


def table(page: Page, css: str) -> Locator:
    """The DataTables table inside the itables widget marked ``css``."""
    return page.locator(f".{css} table.dataTable").first


def column(tab: Locator, header: str) -> list[str]:
    """The cell texts of the visible rows, in the column whose header reads ``header``."""
    headers = [t.strip() for t in tab.locator("thead th").all_inner_texts()]
    i = headers.index(header)
    return [t.strip() for t in tab.locator(f"tbody tr td:nth-child({i + 1})").all_inner_texts()]


def sort_by(tab: Locator, header: str) -> None:
    tab.locator("thead th", has_text=re.compile(f"^{re.escape(header)}$")).first.click()
    tab.page.wait_for_timeout(200)


def filter_column(tab: Locator, header: str, text: str) -> None:
    """Type into the column's own filter (the inputs under the table)."""
    headers = [t.strip() for t in tab.locator("thead th").all_inner_texts()]
    box = tab.locator("tfoot th, tfoot td").nth(headers.index(header)).locator("input")
    box.click()
    box.press("Control+a")
    box.press("Backspace")
    box.press_sequentially(text)  # typed key by key: the filter listens to keystrokes
    tab.page.wait_for_timeout(300)


def search(tab: Locator, text: str) -> None:
    wrapper = tab.locator("xpath=ancestor::div[contains(@class, 'dt-container')]").first
    wrapper.locator(".dt-search input").fill(text)
    tab.page.wait_for_timeout(300)


def check_sort_and_filter(page: Page, css: str, inventory: Path, label_header: str) -> None:
    """Sorting by the label column orders the rows; the Group filter and the search box narrow them."""
    inv, _rows = plan_for(inventory)
    tab = table(page, css)
    tab.scroll_into_view_if_needed()
    assert len(column(tab, label_header)) == len(inv.accounts)
    sort_by(tab, label_header)
    asc = column(tab, label_header)
    sort_by(tab, label_header)
    desc = column(tab, label_header)
    assert asc == sorted(asc, key=str.casefold) or asc == sorted(asc), asc
    assert desc == list(reversed(asc)), (asc, desc)
    group = inv.accounts[-1].group
    members = sorted(a.display for a in inv.accounts if a.group == group)
    filter_column(tab, "Group", group)
    shown = sorted(column(tab, label_header))
    assert shown == members, (group, shown, tab.locator("tfoot").inner_html()[:600])
    filter_column(tab, "Group", "")
    search(tab, "github")
    assert column(tab, label_header) == ["GitHub"]
    search(tab, "")
    assert len(column(tab, label_header)) == len(inv.accounts)


def widget_field(box: Locator, kind: str, label: str) -> Locator:
    """The ipywidgets control (``select``/``input``) whose label reads ``label``."""
    widget = box.locator(f".widget-{kind}", has=box.page.locator("label.widget-label",
                                                                   has_text=re.compile(f"^{label}$")))
    return widget.locator("select" if kind == "dropdown" else "input").first


def choose(select: Locator, wanted: str) -> str:
    """Select the first option whose text contains ``wanted`` (case-insensitive); return its text."""
    texts = select.locator("option").evaluate_all("os => os.map(o => o.label)")
    hits = [t for t in texts if wanted.casefold() in t.replace("\xa0", " ").casefold()]
    assert hits, f"no option with {wanted!r} among {texts}"
    select.select_option(label=hits[0])
    return hits[0].replace("\xa0", " ")


def image_src(page: Page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("src") or ""


def edit_parameters(page: Page, old: str, new: str) -> None:
    """Change one line of the parameters cell in its editor, as a person types it."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").first
    content = cell.locator(".cm-content")
    source = content.inner_text()
    assert old in source, source
    content.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source.replace(old, new, 1))
    page.keyboard.press("Escape")
    page.wait_for_function("([el, want]) => el.innerText.includes(want)", arg=[content.element_handle(), new])


def save_notebook(page: Page) -> None:
    """File > Save (Ctrl+S) and wait until the tab is no longer marked dirty."""
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
