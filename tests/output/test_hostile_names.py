"""Every name is untrusted at every output: hostile issuer/account/label/notes/group/where through status, plan
and export in all five formats, each output parsed back as its consumer would.

An inventory is generated with hostile strings (known payloads and generated text) in every free-text field;
then ``mfakit status`` and ``plan`` (table on a colour terminal, table as plain text, JSON) and ``mfakit export``
as CSV, XLSX, Markdown, HTML and JSON run on it, in-process. Checks:

- terminal: no ESC / C1 / BEL beyond rich's own colour codes, no OSC 8 link except to a catalog source URL,
  markup in a name shown as text (the name appears as :func:`mfakit.safe.plain` shows it), exit 0, no traceback;
- CSV (csv module) and XLSX (openpyxl): no cell is a formula, values equal the data modulo the neutralising
  quote (:func:`mfakit.safe.cell`);
- Markdown: one table row per account, each with every column;
- HTML (html.parser): only the tags and attributes the export itself writes, links only to http(s);
- JSON (``status -f json``, ``plan -f json``, the JSON export): exactly the data.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cli_support import run_cli
from mfakit import safe
from mfakit.export import COLUMNS, HEADERS
from mfakit.config import CURATED_CATALOG
from mfakit.inventory import load_inventory
from mfakit.plan.sources import safe_href
from payloads import PAYLOADS

# Text a YAML loader accepts in a quoted scalar (no lone surrogates: the inventory loader refuses them, and
# that refusal is tested with the inventory); everything else goes, controls and markup included.
_chars = st.characters(blacklist_categories=("Cs",))
name = st.one_of(st.sampled_from(PAYLOADS), st.text(_chars, max_size=40),
                 st.text(alphabet="[]/\\=+-@|<>&\"'`*_#\r\n\t\x1b\x9b\x07\x85link=bold ", max_size=24))
_CATALOG_TEXT = CURATED_CATALOG.read_text(encoding="utf-8")
_ESCAPES_OF_OURS = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours
_OSC8 = re.compile(r"\x1b\]8;[^;\x1b\x07]*;([^\x1b\x07]*)(?:\x1b\\|\x07)")
_FORMULA = re.compile("[ \u3000]*[-=+@\t\r\uff1d\uff0b\uff0d\uff20]")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# What YAML does not allow raw in a file (JSON leaves C1, DEL and these as they are): written as \uXXXX.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _some(value: str, fallback: str) -> str:
    return value if value.strip() else fallback  # a service must not be blank (the loader strips it)


def _inventory(tmp: Path, names: list[str]) -> Path:
    """Three accounts whose free-text fields are hostile (JSON is YAML: every character escaped as \\uXXXX)."""
    n = iter(names * 4)
    accounts = []
    for i in range(3):
        accounts.append({
            "id": f"acct{i}", "service": _some(next(n), f"svc{i}"), "account": next(n), "label": next(n),
            "group": next(n), "notes": next(n),
            "factors": [{"type": "totp", "where": next(n)}] + ([{"type": "security_key", "where": next(n)}] if i else []),
        })
    accounts[1]["service"] = "github"  # one account matched to the catalog: its sources are real links
    path = tmp / "inventory.yaml"
    text = json.dumps({"version": 1, "title": names[0], "accounts": accounts}, ensure_ascii=False)
    path.write_text(_YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text), encoding="utf-8")
    return path


class _Html(HTMLParser):
    ALLOWED = {"html", "head", "meta", "title", "style", "body", "h1", "p", "section", "div", "b", "strong", "br",
               "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "a", "span", "wbr"}
    ATTRS = {"lang", "charset", "name", "content", "class", "style", "aria-label", "href", "title", "target", "rel"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.plan_rows: list[list[str]] = []
        self.in_plan = False
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag not in self.ALLOWED:
            self.bad.append(f"<{tag}>")
        for k, v in attrs:
            if k not in self.ATTRS:
                self.bad.append(f"{tag} {k}=")
            if k == "href" and not re.match(r"https?://", v or ""):
                self.bad.append(f"href={v}")
            if k == "style" and tag != "col":
                self.bad.append(f"{tag} style=")
        if tag == "table":
            self.in_plan = ("class", "plan") in attrs
        elif self.in_plan and tag == "tr":
            self.plan_rows.append([])
        elif self.in_plan and tag in ("td", "th"):
            self.plan_rows[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_plan = False
        if tag in ("td", "th"):
            self.in_cell = False

    def handle_data(self, data):
        if self.in_plan and self.in_cell:
            self.plan_rows[-1][-1] += data

    def handle_comment(self, data):
        self.bad.append("<!--")


def _terminal_ok(text: str, where: str) -> None:
    links = [u for u in _OSC8.findall(text) if u]  # an empty target closes a link
    assert all(safe_href(u) == u and u in _CATALOG_TEXT for u in links), (where, links)  # catalog sources only
    stripped = _OSC8.sub("", _ESCAPES_OF_OURS.sub("", text))
    assert not _CONTROL.search(stripped), (where, repr(_CONTROL.search(stripped)))
    assert "Traceback" not in text


def _colour_console():
    from rich.console import Console
    return Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=250, emoji=False,
                   highlight=False, soft_wrap=False)


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(names=st.lists(name, min_size=6, max_size=12))
def test_hostile_names_through_every_output(names: list[str], tmp_path_factory, capsys, monkeypatch) -> None:
    from mfakit.cli import output

    tmp = tmp_path_factory.mktemp("hostile")
    inv_path = _inventory(tmp, names)
    inv = load_inventory(inv_path)
    by_id = {a.id: a for a in inv.accounts}
    i = ["-i", str(inv_path)]

    # terminal, as a colour terminal receives it (links allowed there), and as plain text
    for cmd in (["status"], ["plan"], ["plan", "--sources"]):
        console = _colour_console()
        monkeypatch.setattr(output, "_out", console)
        code, _, err = run_cli([*cmd, *i], capsys)
        assert code == 0, (cmd, err)
        _terminal_ok(console.file.getvalue(), " ".join(cmd))
        monkeypatch.setattr(output, "_out", None)
        monkeypatch.setenv("COLUMNS", "400")
        code, text, err = run_cli([*cmd, *i], capsys)
        assert code == 0, (cmd, err)
        _terminal_ok(text + err, " ".join(cmd))
        for a in inv.accounts:
            if 0 < len(safe.plain(a.display)) <= 40:  # a label (short enough not to wrap) is shown whole, as text
                assert safe.plain(a.display).strip() in text, (cmd, a.display)

    # JSON on stdout: exact
    for cmd in ("status", "plan"):
        code, text, err = run_cli([cmd, "-f", "json", *i], capsys)
        assert code == 0, err
        _terminal_ok(err, cmd + " json stderr")
        rows = json.loads(text)
        for r in rows:
            a = by_id[r["id"]]
            assert (r["label"], r["group"], r["account"]) == (a.display, a.group, a.account)

    outdir = tmp / "out"
    files = {}
    for fmt in ("csv", "xlsx", "md", "html", "json"):
        files[fmt] = outdir / f"e.{fmt}"
        code, _, err = run_cli(["export", "-o", str(files[fmt]), *i], capsys)
        assert code == 0, (fmt, err)
        _terminal_ok(err, "export " + fmt)

    raw_json = files["json"].read_text(encoding="utf-8")
    assert not _CONTROL.search(raw_json.replace("\n", "")), "a control character raw in the JSON file"
    exported = json.loads(raw_json)
    assert len(exported) == 3 and list(exported[0]) == list(COLUMNS)
    labels = {a.display for a in inv.accounts}
    assert {r["label"] for r in exported} == labels  # JSON: exact
    assert {r["group"] for r in exported} == {a.group for a in inv.accounts}

    # CSV: BOM, no formula, values modulo the neutralising quote
    raw = files["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0] == list(COLUMNS) and len(table) == 4
    for rec, row in zip(exported, table[1:]):
        for col, value in zip(COLUMNS, row):
            assert not _FORMULA.match(value) or value.startswith("'"), (col, value)
            assert value == safe.cell(rec[col]), (col, value, rec[col])

    # XLSX: no formula anywhere, values modulo the neutralising quote
    from openpyxl import load_workbook
    wb = load_workbook(files["xlsx"])
    for ws in wb.worksheets:
        for r in ws.iter_rows():
            for c in r:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    plan = wb["Plan"]
    assert [c.value for c in plan[1]] == [HEADERS[c] for c in COLUMNS]
    for rec, r in zip(exported, plan.iter_rows(min_row=2, values_only=True)):
        for col, value in zip(COLUMNS, r):
            if col != "source":
                assert (value or "") == (safe.cell(rec[col]) or ""), (col, value, rec[col])

    # Markdown: one row per account, every column, no raw HTML from data
    md = files["md"].read_text(encoding="utf-8")
    rows = [ln for ln in md.splitlines() if ln.startswith("|")]
    assert len(rows) == 2 + 3, md
    for ln in rows:
        assert len(re.split(r"(?<!\\)\|", ln.replace("\\\\", ""))) == len(COLUMNS) + 2, ln
    assert not re.findall(r"<(?!br>|https?://)", md), re.findall(r"<(?!br>|https?://).{0,20}", md)

    # HTML: only our own tags and attributes; the plan table has every account with every column
    page = _Html()
    page.feed(files["html"].read_text(encoding="utf-8"))
    page.close()
    assert page.bad == []
    assert len(page.plan_rows) == 1 + 3 and all(len(r) == len(COLUMNS) for r in page.plan_rows)
    shown_labels = {r[COLUMNS.index("label")] for r in page.plan_rows[1:]}
    assert shown_labels == {safe.plain(lbl) for lbl in labels}


@pytest.mark.parametrize("payload", ["[/bold]", "\x1b[31mred", "=HYPERLINK(\"http://evil.example\")",
                                     "[link=http://evil.example]CLICK[/link]"])
def test_known_crashers_now_work(payload: str, tmp_path: Path, capsys) -> None:
    """The issue's crashes: '[/bold]' in status/plan, ESC in the XLSX export."""
    inv_path = _inventory(tmp_path, [payload] * 6)
    for cmd in (["status"], ["plan"], ["export", "-o", str(tmp_path / "x.xlsx")]):
        code, out, err = run_cli([*cmd, "-i", str(inv_path)], capsys)
        assert code == 0, (cmd, err)
        assert "\x1b" not in out + err
