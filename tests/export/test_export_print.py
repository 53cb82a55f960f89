"""The HTML export printed by headless Chromium on A4 and Letter landscape: no column cut, and the page is never
wider than the browser window.

Chromium clips what does not fit the printed page, so a cut column's text is missing from the PDF: the test reads
the PDF's text (pypdf) and finds every column header on every page and every row's last columns. A page made too
wide on purpose shows that the check sees a cut. Skipped when Chromium is absent (CI installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mfakit.config import EXAMPLE_INVENTORY
from mfakit.export import COLUMNS, HEADERS, export_rows
from mfakit.inventory import load_inventory
from mfakit.plan import build_plan, sort_for_plan
from mfakit.plan.sources import split_sources

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser")
                             or "", shutil.which("google-chrome") or "") if p and Path(p).exists()), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-extensions",
          "--no-first-run", "--disable-dev-shm-usage"]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    rows = sort_for_plan(build_plan(load_inventory(EXAMPLE_INVENTORY)))
    folder = tmp_path_factory.mktemp("print")
    path = folder / "status.html"
    export_rows(rows, "html", path, title="My accounts", meta="inventory: example")
    return rows, path.read_text(encoding="utf-8"), folder


def _print(html: str, folder: Path, name: str) -> list[str]:
    """Print ``html`` to PDF with Chromium; the text of each page (whitespace removed), and the page size."""
    pypdf = pytest.importorskip("pypdf")
    src, pdf = folder / f"{name}.html", folder / f"{name}.pdf"
    src.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, *_FLAGS, f"--print-to-pdf={pdf}", src.as_uri()], capture_output=True, timeout=120,
                   check=False, cwd=folder)
    assert pdf.exists() and pdf.stat().st_size > 1000, f"Chromium printed nothing for {name}"
    reader = pypdf.PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height), "not landscape"
    return [_squash(p.extract_text() or "") for p in reader.pages]


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_printed_landscape_keeps_every_column(export, paper: str) -> None:
    rows, html, folder = export
    assert "@page{size:landscape" in html
    pages = _print(html.replace("@page{size:landscape", f"@page{{size:{paper} landscape"), folder, paper)
    for i, page in enumerate(pages):
        if "Lockoutrisk" in page:  # every page of the table repeats the whole header row
            for col in COLUMNS:
                assert _squash(HEADERS[col]) in page, f"{paper} page {i + 1}: header {HEADERS[col]!r} cut"
    text = "".join(pages)
    for r in rows:
        for ref in split_sources(r.source):  # the last column, row by row
            assert _squash(ref.label) in text, f"{paper}: source {ref.label!r} of {r.label} cut"
        for rule in r.lockout.rules:  # and the one before it
            assert _squash(rule) in text, f"{paper}: {rule} of {r.label} cut"
        assert _squash(r.label) in text


def test_the_check_sees_a_cut_column(export) -> None:
    """A table forced wider than the page loses its last columns in print: the same check finds them missing."""
    rows, html, folder = export
    wide = html.replace("table.plan{width:100%;", "table.plan{width:2600px;")
    assert wide != html
    text = "".join(_print(wide.replace("@page{size:landscape", "@page{size:A4 landscape"), folder, "wide"))
    missing = [ref.label for r in rows for ref in split_sources(r.source) if _squash(ref.label) not in text]
    assert missing, "a 2600 px table printed whole: the cut check would not see a cut"


@pytest.mark.parametrize("width", [1024])
def test_page_is_not_wider_than_the_window(export, width: int) -> None:
    """On screen the page fits the window (no sideways scrolling): measured by Chromium's own layout."""
    _, html, folder = export
    probe = ("<script>addEventListener('load',()=>{const t=document.querySelector('table.plan');"
             "document.title='W'+[document.documentElement.scrollWidth,innerWidth,t.scrollWidth,t.clientWidth]"
             ".join(',')})</script></body>")
    src = folder / f"probe{width}.html"
    src.write_text(html.replace("</body>", probe), encoding="utf-8")
    res = subprocess.run([CHROMIUM, *_FLAGS, f"--window-size={width},900", "--dump-dom", src.as_uri()],
                         capture_output=True, text=True, timeout=120, check=False)
    m = re.search(r"<title>W(\d+),(\d+),(\d+),(\d+)</title>", res.stdout)
    assert m, res.stdout[-500:] + res.stderr[-500:]
    doc_w, win_w, table_w, table_client = map(int, m.groups())
    assert doc_w <= win_w, f"page {doc_w}px wider than the {win_w}px window"
    assert table_w <= table_client + 1, f"table content {table_w}px overflows its {table_client}px box"


def test_long_unbroken_names_do_not_widen_the_page(tmp_path: Path) -> None:
    """A 300-character name with no space (label, group, title) still wraps inside the window."""
    from mfakit.catalog.model import Match
    from mfakit.inventory import Account, Factor
    from mfakit.plan import plan_account

    long = "x" * 300
    rows = [plan_account(Account(id="a", service=long, label=long, group=long, account=long,
                                 factors=[Factor("totp", long)]), Match(None, "none"))]
    path = tmp_path / "long.html"
    export_rows(rows, "html", path, title=long, meta="inventory: " + long)
    probe = ("<script>addEventListener('load',()=>{document.title='W'+[document.documentElement.scrollWidth,"
             "innerWidth].join(',')})</script></body>")
    path.write_text(path.read_text(encoding="utf-8").replace("</body>", probe), encoding="utf-8")
    res = subprocess.run([CHROMIUM, *_FLAGS, "--window-size=1024,900", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120, check=False)
    m = re.search(r"<title>W(\d+),(\d+)</title>", res.stdout)
    assert m, res.stdout[-500:] + res.stderr[-500:]
    assert int(m.group(1)) <= int(m.group(2)), f"page {m.group(1)}px wider than the {m.group(2)}px window"
