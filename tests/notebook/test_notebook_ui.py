"""The notebook workspace outside JupyterLab: the first screen, the tables, and widgets that refresh every view.

Widget values are set directly by the package, so every view can be read here without a kernel or a browser
(the e2e suite drives the same widgets in Chromium).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mfakit.catalog import load_catalog
from mfakit.inventory import load_inventory
from mfakit.notebook import Workspace
from mfakit.notebook.record import NOTHING
from mfakit.notebook.tables import table_rows
from mfakit.notebook.ui import grouped_view_html, plan_table_html
from mfakit.plan import build_plan, summarize


@pytest.fixture
def ws(example_copy: Path, tmp_path: Path) -> Workspace:
    """A workspace on a writable copy of the example, its personal catalog in tmp (never data/private)."""
    w = Workspace(example_copy, personal_catalog=tmp_path / "catalog.yaml")
    for view in ("first_screen", "grouped", "inventory_table", "plan_table", "lockout_view", "progress_view",
                 "record_widget", "findings_widget", "catalog_search"):
        getattr(w, view)()
    return w


def _figure(ws: Workspace, name: str) -> str:
    m = re.search(rf'data-{name}="(\d+)"', ws.parts["headline"].value)
    assert m, ws.parts["headline"].value[:300]
    return m.group(1)


def _plan_state(ws: Workspace, label: str) -> str:
    rows = table_rows(ws.parts["mfakit-plan-table"])
    row = next(r for r in rows if r[0] == label)
    return re.sub(r"<[^>]+>", "", row[2])


def test_first_screen_figures_chart_and_next_steps(ws: Workspace) -> None:
    p = summarize(ws.rows)
    assert (_figure(ws, "off-app"), _figure(ws, "total"), _figure(ws, "on-key")) == (
        str(p.off_app), str(p.total), str(p.on_key))
    head = ws.parts["headline"].value
    assert "keys in use: Titan 1" in head and "authenticator apps: Google Authenticator (phone)" in head
    for state, n in p.by_state.items():
        assert f'data-state="{state}"' in head and f"{state} {n}<" in head
    assert bytes(ws.parts["group_chart"].value).startswith(b"\x89PNG")
    steps = ws.parts["steps"].value
    assert "Next steps this week" in steps and "second key" in steps
    listed = re.findall(r'<li data-account="([^"]+)"', steps)
    assert 1 <= len(listed) <= 5
    done = {r.account_id for r in ws.rows if r.state in ("done", "blocked")}
    assert not done & set(listed), "done or blocked accounts are not this week's steps"
    assert ws.parts["start"].description == "Start my own inventory"


def test_tables_hold_clean_cells_and_escaped_names(example_copy: Path, tmp_path: Path) -> None:
    text = example_copy.read_text().replace("label: X\n", "label: <b>X</b>\n", 1)
    example_copy.write_text(text)
    w = Workspace(example_copy, personal_catalog=tmp_path / "c.yaml")
    for table in (w.inventory_table(), w.plan_table()):
        rows = table_rows(table)
        assert len(rows) == len(w.rows)
        cells = [c for r in rows for c in r]
        assert not [c for c in cells if c in ("nan", "None", "NaN") or re.fullmatch(r"\d+\.0", c)]
        assert not [c for c in cells if c.startswith("{")], "no Python dicts in cells"
        assert "<b>X</b>" not in cells and "&lt;b&gt;X&lt;/b&gt;" in cells
    plan = table_rows(w.parts["mfakit-plan-table"])
    assert all('class="mfakit-chip"' in r[2] for r in plan)  # the state, coloured
    assert any('<a class="source" href="https://' in r[-1] for r in plan)  # sources are short links
    assert table.classes.split()[:2] == ["display", "compact"]


def test_record_refreshes_every_view_in_place(ws: Workspace, example_copy: Path) -> None:
    rec = ws.parts["record"]
    before = {k: ws.parts[k].value for k in ("headline", "group_chart", "steps", "progress_chart", "grouped")}
    lockout_before = table_rows(ws.parts["mfakit-lockout-table"])
    assert "Titan 1" in rec.where.options and "Google Authenticator (phone)" in rec.where.options
    rec.account.value = "x"
    rec.add.value = "passkey"
    rec.where.value = "Titan 1"
    rec.remove.value = "totp:Google Authenticator (phone)"
    rec.when.value = date(2026, 11, 20)
    rec.button.click()
    assert "saved to inventory.yaml" in rec.message.value, rec.message.value
    x = load_inventory(example_copy).find("x")
    assert [(c.date, c.op, c.type) for c in x.history][-2:] == [
        (date(2026, 11, 20), "remove", "totp"), (date(2026, 11, 20), "add", "passkey")]
    for key, old in before.items():
        assert ws.parts[key].value != old, f"{key} was not refreshed"
    assert int(_figure(ws, "off-app")) == summarize(build_plan(load_inventory(example_copy), ws.catalog)).off_app
    assert table_rows(ws.parts["mfakit-lockout-table"]) != lockout_before
    plan = ws.parts["mfakit-plan-table"]
    defs = plan._dt_args["columnDefs"]
    assert {"className": "dt-left", "targets": "_all"} in defs and {"width": "29%", "targets": 3} in defs  # kept
    assert all(r[2].startswith('<span class="mfakit-chip"') for r in table_rows(plan))  # HTML kept on update
    assert rec.add.value == NOTHING and rec.where.value == ""  # the form resets for the next change


def test_empty_submit_says_what_to_fill(ws: Workspace, example_copy: Path) -> None:
    before = example_copy.read_bytes()
    rec = ws.parts["record"]
    rec.button.click()
    assert "Nothing to record yet: choose a factor to Add" in rec.message.value
    rec.where.value = "Titan 2"
    rec.button.click()
    assert "goes with a factor to Add" in rec.message.value
    assert example_copy.read_bytes() == before


def test_refused_record_needs_an_explicit_record_anyway(ws: Workspace, example_copy: Path) -> None:
    before = example_copy.read_bytes()
    rec = ws.parts["record"]
    rec.account.value = "github"
    rec.remove.value = "totp:Google Authenticator (phone)"
    rec.button.click()
    assert "refused" in rec.message.value and "GitHub requires totp or sms" in rec.message.value
    assert "--force" not in rec.message.value and str(example_copy) not in rec.message.value
    assert '<a class="source" href="https://docs.github.com/' in rec.message.value  # the cited source, a link
    assert rec.confirm.layout.display == "flex" and example_copy.read_bytes() == before
    rec.cancel.click()
    assert rec.confirm.layout.display == "none" and example_copy.read_bytes() == before
    rec.remove.value = "totp:Google Authenticator (phone)"
    rec.button.click()
    rec.force.click()
    assert not load_inventory(example_copy).find("github").has("totp")
    assert "GitHub is now" in rec.message.value


def test_no_private_inventory_offers_init_then_works_on_the_new_file(tmp_path: Path, monkeypatch) -> None:
    from mfakit import config

    private = tmp_path / "private" / "inventory.yaml"
    monkeypatch.delenv("MFAKIT_INVENTORY", raising=False)
    monkeypatch.setattr(config, "PRIVATE_INVENTORY", private)
    example_before = config.EXAMPLE_INVENTORY.read_bytes()
    w = Workspace(personal_catalog=tmp_path / "c.yaml")
    w.first_screen()
    rec = w.parts["record"] if "record" in w.parts else None
    w.record_widget()
    rec = w.parts["record"]
    assert w.is_example and "example" in w.parts["banner"].value
    rec.account.value = "github"
    rec.add.value = "security_key"
    rec.where.value = "Titan 2"
    rec.button.click()
    assert "mfakit init" in rec.message.value and rec.init_box.layout.display == "flex"
    rec.init_example.click()
    assert private.exists() and w.path == private and not w.is_example
    rec.add.value = "security_key"
    rec.where.value = "Titan 2"
    rec.button.click()
    assert "saved to inventory.yaml" in rec.message.value
    assert any(f.where == "Titan 2" for f in load_inventory(private).find("github").factors)
    assert config.EXAMPLE_INVENTORY.read_bytes() == example_before
    assert "example" not in w.parts["headline"].value.split("inventory:")[-1]


def test_what_i_found_asks_saves_and_updates_the_plan(ws: Workspace, tmp_path: Path) -> None:
    fw = ws.parts["findings"]
    labels = [lbl for lbl, _ in fw.account.options]
    assert all(lbl.endswith(("unknown", "hybrid")) for lbl in labels) and labels
    fw.account.value = "work-vpn"
    assert "take security keys or passkeys?" in fw.question.value
    fw.save.click()
    assert "Choose an answer first" in fw.message.value
    fw.answer.value = "security_key"
    assert "mfakit catalog" in fw.command.value
    headline_before = ws.parts["headline"].value
    fw.source.value = "https://vpn.example.test/security"
    fw.save.click()
    assert "Saved to" in fw.message.value, fw.message.value
    saved = (tmp_path / "catalog.yaml").read_text()
    assert "vpn.example.test" in saved
    # the plan's next question for it now: can TOTP go?
    fw.account.value = "work-vpn"
    assert "turn TOTP off" in fw.question.value
    fw.answer.value = "yes"
    fw.save.click()
    assert _plan_state(ws, "Work VPN") == "ready"
    assert ws.parts["headline"].value != headline_before
    assert "work-vpn" not in [v for _, v in fw.account.options]


def test_catalog_search_box(ws: Workspace) -> None:
    s = ws.parts["search"]
    s.box_input.value = "ＧｉｔＨｕｂ"
    first = re.findall(r'data-service="([^"]+)"', s.results.value)
    assert first and first[0] == "github"
    assert "docs.github.com" in s.results.value and "<a class=\"source\"" in s.results.value
    s.box_input.value = "じゃらん"
    assert "じゃらん" in s.results.value
    s.box_input.value = "no such service zzz"
    assert "No service in the catalog matches" in s.results.value
    s.box_input.value = "<script>"
    assert "<script>" not in s.results.value


def test_import_preview_is_a_table_and_the_demo_never_writes(ws: Workspace, example_copy: Path, capsys) -> None:
    before = example_copy.read_bytes()
    table = ws.import_preview([], apply=True)
    rows = table_rows(table)
    assert len(rows) == 8 and {r[0] for r in rows} == {"add"}
    assert "FAKE secrets" in capsys.readouterr().out
    assert example_copy.read_bytes() == before


def test_static_views_escape_and_mark_states(example_copy: Path) -> None:
    catalog = load_catalog()
    inv = load_inventory(example_copy)
    inv.find("x").label = "<b>X</b>"
    rows = build_plan(inv, catalog)
    html = plan_table_html(rows)
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "<b>X</b>" not in html
    groups = re.findall(r'<details class="mfakit-group" data-group="([^"]+)" open>', grouped_view_html(rows))
    assert groups == inv.groups()


def test_exports_button_writes_every_format(ws: Workspace, tmp_path: Path) -> None:
    box = ws.exports(tmp_path / "out")
    box.children[0].click()
    written = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert written == [".csv", ".html", ".json", ".md", ".xlsx"]
    assert "mfakit-status.xlsx" in box.children[1].value


def test_every_view_works_on_a_new_empty_inventory(tmp_path: Path) -> None:
    target = tmp_path / "private" / "inventory.yaml"
    w = Workspace(start_new=target, personal_catalog=tmp_path / "c.yaml")
    assert target.exists() and w.created == target and w.path == target
    for view in ("first_screen", "grouped", "inventory_table", "plan_table", "lockout_view", "progress_view",
                 "record_widget", "findings_widget"):
        getattr(w, view)()
    assert (_figure(w, "off-app"), _figure(w, "total")) == ("0", "0")
    assert table_rows(w.parts["mfakit-plan-table"]) == []
    assert "No security key" in w.parts["second_key"].value
    w.parts["record"].button.click()
    assert "Choose an account first" in w.parts["record"].message.value
    assert "nothing to find out" in w.parts["findings"].question.value
    before = target.read_bytes()
    Workspace(start_new=target, personal_catalog=tmp_path / "c.yaml")  # an existing file is used, never replaced
    assert target.read_bytes() == before


def test_first_screen_button_starts_an_empty_inventory(tmp_path: Path, monkeypatch) -> None:
    from mfakit import config

    private = tmp_path / "private" / "inventory.yaml"
    monkeypatch.delenv("MFAKIT_INVENTORY", raising=False)
    monkeypatch.setattr(config, "PRIVATE_INVENTORY", private)
    w = Workspace(personal_catalog=tmp_path / "c.yaml")
    box = w.first_screen()
    assert box.children[0].layout.display == "flex" and "mfakit init" in w.parts["banner"].value
    w.parts["start"].click()
    assert private.exists() and w.path == private and _figure(w, "total") == "0"
    assert box.children[0].layout.display == "none"  # the advice is gone once you have your own file
    w.parts["start"].click()  # a second press never overwrites: it says so
    assert "already exists" in w.parts["banner"].value
