"""The notebook views and the record-change widget, outside JupyterLab (the e2e suite covers the browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mfakit.catalog import load_catalog
from mfakit.inventory import load_inventory
from mfakit.notebook.importing import import_preview
from mfakit.notebook.ui import NOTHING, RecordWidget, catalog_facts, grouped_view_html, plan_table_html
from mfakit.plan import build_plan


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_grouped_view_has_one_collapsible_block_per_group(example_copy: Path, catalog) -> None:
    inv = load_inventory(example_copy)
    html = grouped_view_html(build_plan(inv, catalog))
    groups = re.findall(r'<details class="mfakit-group" data-group="([^"]+)" open>', html)
    assert groups == inv.groups()
    assert html.count("<summary>") == len(groups)
    assert "Social — 4 account(s), 1 off the app" in html
    assert html.count('data-account="') == len(inv.accounts)


def test_plan_table_escapes_and_marks_states(example_copy: Path, catalog) -> None:
    inv = load_inventory(example_copy)
    inv.find("x").label = "<b>X</b>"
    html = plan_table_html(build_plan(inv, catalog))
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "<b>X</b>" not in html
    states = re.findall(r'<tr data-account="([^"]+)">.*?<td class="state"[^>]*>(\w+)</td>', html)
    assert dict(states)["google"] == "done" and dict(states)["zaim"] == "blocked"


def test_record_widget_records_through_the_library(example_copy: Path, catalog) -> None:
    w = RecordWidget(example_copy, catalog=catalog)
    assert w.account.options[0] == ("Google", "google")
    w.account.value = "github"
    assert "totp:Google Authenticator (phone)" in w.remove.options  # the chosen account's factors
    w.add.value = "security_key"
    w.where.value = "Titan 2"
    w.remove.value = "totp:Google Authenticator (phone)"
    w.button.click()
    gh = load_inventory(example_copy).find("github")
    assert not gh.has("totp") and any(f.where == "Titan 2" for f in gh.factors)
    assert "remove totp" in w.message.value and "add security_key (Titan 2)" in w.message.value
    assert "# GitHub insists" not in example_copy.read_text() and "# mfakit example inventory" in example_copy.read_text()
    rendered = w.output.outputs[0]["data"]["text/html"]
    assert re.search(r'data-account="github">.*?<td class="state"[^>]*>done<', rendered)
    assert w.add.value == NOTHING and w.where.value == ""  # the form resets for the next change


def test_record_widget_shows_errors_in_one_line(example_copy: Path, catalog) -> None:
    before = example_copy.read_bytes()
    w = RecordWidget(example_copy, catalog=catalog)
    w.button.click()  # nothing chosen
    assert "nothing to record" in w.message.value
    assert example_copy.read_bytes() == before


def test_catalog_facts_and_unknown_name(catalog) -> None:
    facts = catalog_facts(catalog, "ＧｉｔＨｕｂ")
    assert {f["fact"] for f in facts} >= {"security_key", "key_only"}
    assert all(f["source"] and f["as_of"] for f in facts)
    assert catalog_facts(catalog, "no such service zzz")[0]["value"].startswith("not found")


def test_import_preview_demo_never_writes(example_copy: Path, catalog, capsys) -> None:
    inv = load_inventory(example_copy)
    before = example_copy.read_bytes()
    frame = import_preview(inv, [], apply=True, catalog=catalog)
    assert len(frame) == 8 and set(frame["action"]) == {"add"}
    assert "FAKE secrets" in capsys.readouterr().out
    assert example_copy.read_bytes() == before
