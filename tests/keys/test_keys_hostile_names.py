"""Names stored in a key (RP ids, user and display names) are written by strangers: shown, never obeyed."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keys_support import TEST_PIN, run_cli, softkey

from mfakit.keys.softkey.state import save_state

HOSTILE = [
    "[/bold]",
    "[link=http://evil.example]CLICK[/link]",
    "\x1b]8;;http://evil.example\x1b\\CLICK\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[31mred",
    "\x9b31mC1-CSI",
    "line\rover\nwritten",
    "\u202eevil.exe\u202c",
    "=HYPERLINK(\"http://evil.example\")",
    "<script>alert(1)</script>",
]
RAW_CONTROLS = ("\x1b", "\x9b", "\r", "\u202e")


def _hostile_state(tmp_path, names=HOSTILE):  # type: ignore[no-untyped-def]
    key = softkey()
    for i, name in enumerate(names):
        key.store.new(f"{name}.example" if i % 2 else name, True, name,
                      {"id": bytes([i]), "name": name, "displayName": name})
    path = tmp_path / "hostile.json"
    save_state(key, path)
    return path


def _clean(text: str) -> None:
    for ch in RAW_CONTROLS:
        assert ch not in text, repr(text)


@pytest.mark.parametrize("hid", [False, True], ids=["software", "hid"])
def test_passkeys_and_reconcile_show_hostile_names_literally(tmp_path, capsys, monkeypatch, example_copy,  # type: ignore[no-untyped-def]
                                                             hid: bool) -> None:
    state = _hostile_state(tmp_path)
    if hid:
        monkeypatch.setenv("MFAKIT_FAKE_HID", f"state={state},keepalive=0.01")
        which = ["--hardware"]
    else:
        which = ["--state", str(state)]
    code, out, err = run_cli(["key", "passkeys", *which, "--pin-stdin"], capsys, stdin=TEST_PIN + "\n")
    assert code == 0, err
    _clean(out + err)
    assert "[/bold]" in out and "[link=http://evil.example]CLICK[/link]" in out  # shown, not interpreted
    assert "\\x1b" in out and "\\x9b31mC1-CSI" in out and "\\u202e" in out
    code, out, err = run_cli(["key", "reconcile", *which, "--pin-stdin", "--key-name", "Titan 1", "--inventory",
                              str(example_copy)], capsys, stdin=TEST_PIN + "\n")
    assert code == 0, err
    _clean(out + err)
    assert "[/bold]" in out and "ON THE KEY, NOT RECORDED" in out
    code, out, _ = run_cli(["key", "passkeys", *which, "--pin-stdin", "--format", "json"], capsys,
                           stdin=TEST_PIN + "\n")
    names = {p["user_name"] for p in json.loads(out)["passkeys"]}
    assert names == set(HOSTILE)  # JSON keeps the exact data (escaped by JSON itself)


def test_key_name_from_the_command_line_is_shown_safely(capsys, example_copy) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(["key", "reconcile", "--demo-pin", "--key-name", "[/bold]\x1b[31m", "--inventory",
                              str(example_copy)], capsys)
    assert code == 0, err
    _clean(out)
    assert "Key '[/bold]\\x1b[31m'" in out


def test_notebook_views_are_safe(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from mfakit.inventory import load_inventory
    from mfakit.config import EXAMPLE_INVENTORY
    from mfakit.keys.inspect import key_info
    from mfakit.keys.passkeys import list_passkeys
    from mfakit.keys.reconcile import reconcile
    from mfakit.keys.softkey.state import load_state
    from mfakit.keys.views import info_rows, lines, passkey_rows, reconcile_rows

    key = load_state(_hostile_state(tmp_path))
    report = list_passkeys(key, TEST_PIN)
    rows = passkey_rows(report)
    rec = reconcile(report.passkeys, load_inventory(EXAMPLE_INVENTORY), "Titan 1")
    for frame in (pd.DataFrame(rows), pd.DataFrame(reconcile_rows(rec)),
                  pd.DataFrame({"value": info_rows(key_info(key))})):
        html, text = frame.to_html(), frame.to_string()
        _clean(html + text)
        assert "<script>" not in html
    assert "&lt;script&gt;" in pd.DataFrame(rows).to_html()
    _clean(lines([p.rp_id for p in report.passkeys]))


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_any_user_name_is_shown_without_raw_controls_or_markup(tmp_path_factory, name: str) -> None:  # type: ignore[no-untyped-def]
    from mfakit.keys.passkeys import Passkey, PasskeyReport
    from mfakit.keys.views import passkey_rows
    from mfakit.safe import terminal
    from rich.console import Console

    report = PasskeyReport("p", False, [Passkey(name, name, name, name, "75", "x")], 1, 0)
    row = passkey_rows(report)[0]
    console = Console(record=True, width=200, color_system=None, file=io.StringIO())
    console.print(f"{terminal(name)}")  # what the CLI does: never a MarkupError, never a raw control
    shown = console.export_text()
    _clean(shown + "".join(row.values()))
