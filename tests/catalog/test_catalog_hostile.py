"""Hostile catalog files and names: one line, exit 2, refused fast; names printed without markup or escapes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cli_support import run_cli
from mfakit import config

HOSTILE = "[/bold]\x1b[31mRED\x9b2J [link=http://evil.example]CLICK[/link]"


@pytest.fixture(autouse=True)
def _catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "catalog")
    return tmp_path / "catalog"


def _files(tmp: Path) -> dict[str, Path]:
    files = {
        "v3-big-number": json.dumps([["A", {"domain": "a.example", "tfa": ["totp"], "n": int("9" * 4000)}]])
        .replace("9" * 4000, "9" * 5000),
        "v4-big-number": '{"a.example": {"methods": ["totp"], "x": ' + "1" * 5000 + "}}",
        "deep-json": "[" * 100_000 + "]" * 100_000,
        "deep-object": '{"a": ' * 50_000 + "1" + "}" * 50_000,
    }
    out = {}
    for name, text in files.items():
        path = tmp / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


@pytest.mark.parametrize("name", ["v3-big-number", "v4-big-number", "deep-json", "deep-object"])
def test_refresh_refuses_pathological_files_fast(name: str, tmp_path: Path, _catalog_dir: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = _files(tmp_path)[name]
    t0 = time.perf_counter()
    code, out, err = run_cli(["catalog", "refresh", str(path)], capsys)
    elapsed = time.perf_counter() - t0
    assert code == 2 and out == "" and err.count("\n") == 1 and str(path) in err
    assert "Traceback" not in err and elapsed < 1.0
    assert not (_catalog_dir / "imported.json").exists()


@pytest.mark.parametrize("body,needle", [
    ("version: 1\nservices:\n  - id: x\n    notes: {value: " + "7" * 5000 + "}\n", "5000 digits"),
    ("version: 1\nservices: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested"),
    ("version: 1\nservices:\n" + "".join("  " * i + "- a:\n" for i in range(1, 200)), "nested"),
    ("version: 1\nservices:\n  - id: x\n    key_only: {value: yes, as_of: 2024-06-31}\n", "not a real date"),
    ("version: 1\nservices: !!python/object:os.system {}\n", "must be a list"),
    ("version: 1\n\x00", "binary"),
])
def test_personal_catalog_bad_files_are_one_line_and_fast(body: str, needle: str, _personal_catalog: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _personal_catalog.parent.mkdir(parents=True, exist_ok=True)
    _personal_catalog.write_text(body, encoding="utf-8")
    before = _personal_catalog.read_bytes()
    t0 = time.perf_counter()
    code, out, err = run_cli(["catalog", "set", "github", "totp=yes"], capsys)
    assert time.perf_counter() - t0 < 1.0
    assert code == 2 and out == "" and err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert _personal_catalog.read_bytes() == before  # untouched
    code, _, err = run_cli(["catalog", "list"], capsys)
    assert code == 2 and err.count("\n") == 1


def test_hostile_names_are_shown_not_interpreted(tmp_path: Path, _personal_catalog: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "v3.json"
    src.write_text(json.dumps([[HOSTILE, {"domain": "evil.example", "tfa": ["totp"]}]]), encoding="utf-8")
    assert run_cli(["catalog", "refresh", str(src)], capsys)[0] == 0
    _personal_catalog.parent.mkdir(parents=True, exist_ok=True)
    _personal_catalog.write_text('version: 1\nservices:\n  - id: mine\n    name: "[/bold]\\e]8;;http://x\\e\\\\L"\n',
                                 encoding="utf-8")
    for argv in (["catalog", "list", "--all"], ["catalog", "show", "evil.example"], ["catalog", "match", HOSTILE],
                 ["catalog", "show", "mine"]):
        code, out, err = run_cli(argv, capsys)
        assert code == 0, (argv, err)
        assert "\x1b" not in out and "\x9b" not in out and "Traceback" not in err
        assert "[/bold]" in out or "\\x1b" in out  # the text is shown as text


def test_personal_names_with_markup_survive_set(capsys: pytest.CaptureFixture[str], _personal_catalog: Path) -> None:
    code, out, err = run_cli(["catalog", "add", "[/bold]Shop", "--alias", "[red]x"], capsys)
    assert code == 0 and "[/bold]Shop" in out, err
    code, out, err = run_cli(["catalog", "set", "bold-shop", "notes=[/x] \x1b[2J"], capsys)
    assert code == 0 and "\x1b" not in out, err
    code, out, _ = run_cli(["catalog", "show", "bold-shop"], capsys)
    assert code == 0 and "[/x] \\x1b[2J" in out
