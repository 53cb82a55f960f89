"""Every export format read back: same columns in the same order, values intact, atomic writes."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from mfakit.catalog.model import Fact, Match, Service
from mfakit.errors import MfakitError
from mfakit.export import COLUMNS, FORMATS, HEADERS, export_rows, format_from_path
from mfakit.inventory import Account, Factor
from mfakit.plan import plan_account


@pytest.fixture
def rows():
    svc = Service(id="github", name="GitHub", supports={"security_key": Fact(True, "https://docs.github.com", "2026-01-01")},
                  key_only=Fact("no", "https://docs.github.com", "2026-01-01"))
    return [
        plan_account(Account(id="github", service="github", label="GitHub | dev", group="Dev",
                             account="stakahashi", factors=[Factor("totp", "phone")]), Match(svc, "id")),
        plan_account(Account(id="jalan", service="jalan", label="じゃらん", group="Travel", account="s@x.jp",
                             factors=[Factor("totp", "phone"), Factor("recovery_codes", "paper")]), Match(None, "none")),
    ]


def test_csv_round_trip(tmp_path: Path, rows) -> None:
    p = tmp_path / "out.csv"
    export_rows(rows, "csv", p)
    df = pd.read_csv(p)
    assert list(df.columns) == list(COLUMNS)
    assert df.loc[1, "label"] == "じゃらん" and df.loc[0, "state"] == "hybrid"
    assert p.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads じゃらん, not mojibake
    with p.open(newline="", encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh)) == list(COLUMNS)


def test_xlsx_round_trip(tmp_path: Path, rows) -> None:
    p = tmp_path / "out.xlsx"
    export_rows(rows, "xlsx", p)
    df = pd.read_excel(p, sheet_name="Plan")
    assert list(df.columns) == [HEADERS[c] for c in COLUMNS]  # the same human headers as HTML and Markdown
    df.columns = list(COLUMNS)
    assert df.loc[0, "label"] == "GitHub | dev" and df.loc[1, "state"] == "unknown"


def test_json_round_trip(tmp_path: Path, rows) -> None:
    p = tmp_path / "out.json"
    export_rows(rows, "json", p)
    data = json.loads(p.read_text(encoding="utf-8"))
    assert [list(d) for d in data] == [list(COLUMNS)] * 2
    assert data[0]["lockout_risk"] == "high" and "totp_one_phone" in data[0]["lockout_reasons"]


def test_markdown_table_shape(tmp_path: Path, rows) -> None:
    p = tmp_path / "out.md"
    export_rows(rows, "md", p, title="Status")
    lines = p.read_text(encoding="utf-8").splitlines()
    table = [ln for ln in lines if ln.startswith("|")]
    assert len(table) == 2 + len(rows)
    cells = [c for c in table[0].strip("|").split(" | ")]
    assert len(cells) == len(COLUMNS)
    assert table[1] == "|" + "|".join(["---"] * len(COLUMNS)) + "|"
    assert "GitHub \\| dev" in table[2]  # a pipe in a value does not break the table
    for ln in table[2:]:
        assert len(ln.replace("\\|", "").strip("|").split("|")) == len(COLUMNS)


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._in: str | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._plan = ("class", "plan") in attrs
        if not getattr(self, "_plan", False):
            pass
        elif tag in ("th", "td"):
            self._in = tag
            if tag == "td":
                self.rows[-1].append("")
        if tag == "tr" and getattr(self, "_plan", False):
            self.rows.append([])
        for k, v in attrs:
            if k == "src" or (tag == "link" and k == "href") or (k == "style" and "url(" in (v or "")):
                self.external.append(v)  # something a browser would fetch
        if tag == "script":
            self.external.append("script")

    def handle_endtag(self, tag):
        if tag == "table":
            self._plan = False
        if tag in ("th", "td"):
            self._in = None

    def handle_data(self, data):
        if self._in == "th":
            self.headers.append(data)
        elif self._in == "td":
            self.rows[-1][-1] += data


def test_html_is_self_contained_and_parses(tmp_path: Path, rows) -> None:
    p = tmp_path / "out.html"
    export_rows(rows, "html", p, title="My <status>")
    text = p.read_text(encoding="utf-8")
    parser = _Cells()
    parser.feed(text)
    assert parser.headers[: len(COLUMNS)] == ["Group", "Label", "Service", "Account", "State", "Factors",
                                               "Next step", "Reason", "Lockout risk", "Lockout reasons", "Source"]
    data_rows = [r for r in parser.rows if r]
    assert len(data_rows) == 2 and data_rows[1][1] == "じゃらん"
    assert parser.external == []  # nothing fetched, no scripts
    assert "My &lt;status&gt;" in text and "@media print" in text


def test_unknown_format_and_unwritable_path(tmp_path: Path, rows) -> None:
    with pytest.raises(MfakitError, match="unknown export format 'pdf'"):
        export_rows(rows, "pdf", tmp_path / "x.pdf")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(MfakitError, match="cannot write"):
        export_rows(rows, "csv", blocker / "x.csv")


def test_format_from_path() -> None:
    assert [format_from_path(f"a.{f}") for f in FORMATS] == list(FORMATS)
    assert format_from_path("a.markdown") == "md" and format_from_path("a.txt") is None
