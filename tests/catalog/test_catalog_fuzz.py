"""Mutation fuzz (fixed seeds) of every catalog input: public API files through ``catalog refresh`` and the
personal file through ``catalog list`` / ``catalog set``. Each run exits 0 or 2, with one line on error, no
traceback, and a refused file leaves what was on disk untouched."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from cli_support import run_cli
from mfakit import config

V3 = json.dumps([["Airbrake", {"domain": "airbrake.io", "tfa": ["totp", "u2f"], "documentation": "https://a.io/d",
                               "additional-domains": ["airbrake.com"], "keywords": ["developer"]}],
                 ["No 2FA", {"domain": "none.example", "contact": {"twitter": "x"}}]])
V4 = json.dumps({"airbrake.io": {"methods": ["totp", "u2f"], "documentation": "https://a.io/d"},
                 "airbrake.com": {"methods": ["totp", "u2f"], "documentation": "https://a.io/d"}, "none.example": {}})
PK = json.dumps({"airbrake.io": {"passwordless": "allowed", "mfa": "required"}, "none.example": {"contact": {}}})
PERSONAL = ("version: 1\nservices:\n  - id: github\n    key_only: {value: \"yes\", source: me, as_of: 2026-01-02}\n"
            "  - id: mine\n    name: Mine\n    domains: [mine.example]\n    supports:\n"
            "      security_key: {value: true, source: me, as_of: 2026-01-02}\n")
NASTY = ["9" * 60, "[" * 60, "\x00", "\ud800", "\x1b[2J", "[/bold]", "!!python/object:os.system", "*a", "&a",
         "\"", "'", "{", "}", ":", "-", "\n", "  ", "%YAML 1.2\n---\n", "2024-06-31", "true", "null", "1e999"]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(text) + 1)
        op = rng.random()
        if op < 0.35:
            text = text[:i] + text[i + rng.randint(1, 8):]
        elif op < 0.8:
            text = text[:i] + rng.choice(NASTY) + text[i:]
        else:
            j = rng.randrange(len(text) + 1)
            text = text[:i] + text[j:j + 10] + text[i:]
    return text


@pytest.fixture(autouse=True)
def _catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "catalog")
    return tmp_path / "catalog"


def _check(code: int, out: str, err: str) -> None:
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert err.startswith("mfakit: error:") and err.count("\n") == 1, err


@pytest.mark.parametrize("seed", range(2))
def test_public_catalog_files_fuzz(seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(seed)
    for n in range(30):
        base = rng.choice([V3, V4, PK])
        src = tmp_path / f"f{n}.json"
        src.write_text(mutate(base, rng), encoding="utf-8", errors="surrogatepass")
        _check(*run_cli(["catalog", "refresh", str(src), "--as-of", "2026-01-01"], capsys))


@pytest.mark.parametrize("seed", range(2))
def test_personal_file_fuzz(seed: int, _personal_catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(100 + seed)
    _personal_catalog.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(25):
        _personal_catalog.write_text(mutate(PERSONAL, rng), encoding="utf-8", errors="surrogatepass")
        before = _personal_catalog.read_bytes()
        _check(*run_cli(["catalog", "list"], capsys))
        code, out, err = run_cli(["catalog", "set", "github", "notes=fuzz"], capsys)
        _check(code, out, err)
        if code == 2:
            assert _personal_catalog.read_bytes() == before
