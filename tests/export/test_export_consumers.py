"""Every export opened as its consumer would: Excel's view of the XLSX (openpyxl), the CSV's BOM, the Markdown
and HTML summaries and links."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mfakit.config import EXAMPLE_INVENTORY
from mfakit.export import COLUMNS, HEADERS, default_export_dir, export_rows
from mfakit.export.summary import STATE_FILL, build_summary
from mfakit.inventory import load_inventory
from mfakit.plan import build_plan, sort_for_plan


@pytest.fixture(scope="module")
def rows():
    return sort_for_plan(build_plan(load_inventory(EXAMPLE_INVENTORY)))


@pytest.fixture(scope="module")
def workbook(rows, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "status.xlsx"
    export_rows(rows, "xlsx", path, title="My accounts", meta="inventory: example")
    return load_workbook(path)


def test_xlsx_plan_sheet_filters_freezes_and_wraps(workbook, rows) -> None:
    ws = workbook["Plan"]
    assert workbook.sheetnames == ["Plan", "Summary"]
    assert [c.value for c in ws[1]] == [HEADERS[c] for c in COLUMNS]  # human headers, as in HTML and Markdown
    assert ws.auto_filter.ref == f"A1:K{len(rows) + 1}"
    assert ws.freeze_panes == "A2"
    assert all(c.alignment.wrap_text for r in ws.iter_rows(min_row=1, max_row=ws.max_row) for c in r)
    assert ws.max_row == len(rows) + 1
    assert all(ws.column_dimensions[letter].width >= 8 for letter in "ABCDEFGHIJK")


def test_xlsx_state_cells_are_coloured_by_state(workbook, rows) -> None:
    ws = workbook["Plan"]
    col = COLUMNS.index("state") + 1
    seen = set()
    for i, r in enumerate(rows, start=2):
        cell = ws.cell(row=i, column=col)
        assert cell.value == r.state
        assert cell.fill.fgColor.rgb[-6:] == STATE_FILL[r.state]
        seen.add(r.state)
    assert {"done", "hybrid", "blocked", "unknown"} <= seen
    other = ws.cell(row=2, column=1).fill.fgColor.rgb
    assert other[-6:] not in STATE_FILL.values()  # only the state column is filled


def test_xlsx_prints_landscape_one_page_wide(workbook) -> None:
    for ws in workbook.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert workbook["Plan"].print_title_rows == "$1:$1"  # the header on every printed page


def test_xlsx_summary_sheet(workbook, rows) -> None:
    ws = workbook["Summary"]
    values = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    flat = [v for r in values for v in r]
    assert values[0] == ["My accounts"]
    assert "4 of 12 accounts off the authenticator app (33%), 6 on a key" in flat
    states = {r[0]: r[1] for r in values if r and r[0] in STATE_FILL}
    assert states == {st: sum(r.state == st for r in rows) for st in STATE_FILL}
    groups = {r[0]: r[1:] for r in values if r and r[0] in ("Core", "Social", "Travel")}
    assert groups["Core"][:3] == [2, 2, 2] and groups["Social"][:2] == [4, 1]
    links = [c.hyperlink.target for r in ws.iter_rows() for c in r if c.hyperlink]
    assert links and all(u.startswith("https://") for u in links)
    assert any("docs.github.com" in u for u in links)


def test_csv_has_bom_and_opens_in_excel_encoding(tmp_path: Path, rows) -> None:
    p = tmp_path / "s.csv"
    export_rows(rows, "csv", p)
    raw = p.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    text = raw.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == list(COLUMNS) and len(table) == len(rows) + 1
    assert any("じゃらん" in r for r in table)
    assert b"\r\n" in raw  # Excel's line ends


def test_markdown_has_summary_table_and_footnoted_sources(tmp_path: Path, rows) -> None:
    p = tmp_path / "s.md"
    export_rows(rows, "md", p, title="My accounts", meta="inventory: example")
    text = p.read_text(encoding="utf-8")
    assert text.startswith("# My accounts\n")
    assert "**4 of 12 accounts off the authenticator app (33%), 6 on a key**" in text
    assert "- Core: 2 of 2 off the app, 2 done" in text
    table = [ln for ln in text.splitlines() if ln.startswith("|")]
    assert len(table) == 2 + len(rows)
    assert "docs.github.com · 2026" in text and "\\[" in text  # short label with its footnote number
    notes = text.split("**Sources**", 1)[1]
    urls = [ln for ln in notes.splitlines() if ln[:1].isdigit()]
    assert any("<https://docs.github.com/" in u for u in urls)
    assert len(urls) == len(set(urls))  # each source listed once
    assert text.count("https://docs.github.com/en/authentication/authenticating-with-a-passkey/about-passkeys") == 1


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self.sections: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))
        if tag == "section":
            self.sections.append(dict(attrs).get("class", ""))

    def handle_data(self, data):
        self.text.append(data)


def test_html_has_summary_links_and_fits_print(tmp_path: Path, rows) -> None:
    p = tmp_path / "s.html"
    export_rows(rows, "html", p, title="My accounts", meta="inventory: example")
    text = p.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert "summary" in page.sections
    body = " ".join(page.text)
    assert "4 of 12 accounts off the authenticator app (33%), 6 on a key" in body
    assert page.links and all(a["href"].startswith("https://") and a["rel"] == "noopener noreferrer"
                              and a["target"] == "_blank" for a in page.links)
    labels = [a.get("title") for a in page.links]
    assert any("docs.github.com" in (t or "") for t in labels)
    assert "@page{size:landscape" in text and "table-layout:fixed" in text and "overflow-wrap:anywhere" in text
    assert "<script" not in text


def test_summary_counts_the_rows_it_is_given(rows) -> None:
    s = build_summary([r for r in rows if r.state == "done"])
    assert s["total"] == 4 and s["by_state"]["done"] == 4 and s["off_app"] == 4
    assert build_summary([])["percent_off_app"] == 0


def test_default_export_dir_is_private_and_created(tmp_path: Path, monkeypatch) -> None:
    import mfakit.config as config

    monkeypatch.setattr(config, "PRIVATE_DIR", tmp_path / "data" / "private")
    folder = default_export_dir()
    assert folder == tmp_path / "data" / "private" / "exports" and folder.is_dir()
