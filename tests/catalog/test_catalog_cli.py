"""`mfakit catalog ...` on the command line: pure JSON, provenance shown, exit status 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfakit import config
from mfakit.cli.main import run


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        run(argv)
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out, captured.err


@pytest.fixture(autouse=True)
def _catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "catalog")
    return tmp_path / "catalog"


def test_show_json_has_every_fact_with_provenance(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["catalog", "show", "ＧｉｔＨｕｂ", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "github" and data["key_only"] == "no"
    fact = data["facts"]["supports.security_key"]
    assert fact["value"] is True and fact["origin"] == "curated" and fact["source"].startswith("https://")
    assert fact["as_of"]
    assert data["facts"]["backups_required"]["value"] == ["totp or sms"]


def test_show_table_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["catalog", "show", "じゃらん"], capsys)
    assert code == 0 and "jalan" in out and "key-only: no" in out
    code, out, _ = _run(["catalog", "list", "--format", "json"], capsys)
    rows = json.loads(out)
    assert code == 0 and len(rows) >= 52
    assert {r["id"]: r["key_only"] for r in rows}["aws"] == "yes"


def test_show_ambiguous_or_unknown_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["catalog", "show", "Amazon"], capsys)
    assert code == 2 and out == "" and "amazon-jp" in err and err.count("\n") == 1
    code, _, err = _run(["catalog", "show", "No Such Service Anywhere"], capsys)
    assert code == 2 and "no service" in err


def test_match_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["catalog", "match", "Amazon", "--account", "taro@example.co.jp", "-f", "json"], capsys)
    assert code == 0 and json.loads(out)["service"] == "amazon-jp"
    code, out, _ = _run(["catalog", "match", "Amazon", "-f", "json"], capsys)
    data = json.loads(out)
    assert data["certain"] is False and set(data["candidates"]) == {"amazon-us", "amazon-jp"}


def test_refresh_writes_layer_and_json_summary(tmp_path: Path, _catalog_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "pk.json"
    src.write_text(json.dumps({"zaim.net": {"passwordless": "allowed"}, "new.example": {"mfa": "allowed"}}),
                   encoding="utf-8")
    code, out, _ = _run(["catalog", "refresh", str(src), "--as-of", "2026-02-03", "--format", "json"], capsys)
    assert code == 0
    summary = json.loads(out)
    assert summary["entries_per_source"] == {"passkeys.directory": 2}
    assert summary["curated_overrides"] == {"zaim": ["supports.passkey_login"]}
    assert (_catalog_dir / "imported.json").exists()
    code, out, _ = _run(["catalog", "show", "zaim", "-f", "json"], capsys)
    over = json.loads(out)["overridden_by_curated"]["supports.passkey_login"]
    assert over == {"value": True, "origin": "passkeys.directory", "source": "https://passkeys.2fa.directory/",
                    "as_of": "2026-02-03"}
    code, out, _ = _run(["catalog", "show", "new.example", "-f", "json"], capsys)
    assert json.loads(out)["facts"]["supports.passkey_2fa"]["origin"] == "passkeys.directory"


@pytest.mark.parametrize("args", [
    ["catalog", "refresh"],
    ["catalog", "refresh", "{missing}"],
    ["catalog", "refresh", "{bad}"],
    ["catalog", "refresh", "{bad}", "--as-of", "yesterday"],
    ["catalog", "show", "github", "--format", "xml"],
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, _catalog_dir: Path, args: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a.com": {"mfa": 3}}', encoding="utf-8")
    argv = [a.format(missing=tmp_path / "missing.json", bad=bad) for a in args]
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert err.startswith("mfakit: error:") and err.count("\n") == 1
    assert not (_catalog_dir / "imported.json").exists()
