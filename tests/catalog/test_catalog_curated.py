"""The curated catalog: size, provenance of every fact, the seed's findings, validation errors, the JSON cache."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from mfakit import config
from mfakit.catalog import CAPABILITIES, load_catalog
from mfakit.catalog.curated import load_curated
from mfakit.errors import CatalogError

SEED_KEY_ONLY = {
    "google": "yes", "aws": "yes", "microsoft": "yes", "discord": "yes",
    "amazon-jp": "no", "github": "no", "instagram": "no", "facebook": "no", "zaim": "no", "jalan": "no",
}


@pytest.fixture(scope="module")
def curated():
    return load_catalog(include_imported=False)


def test_curated_has_enough_services_and_every_seed_id(curated) -> None:
    assert len(curated.services) >= 52
    for sid in ("google", "aws", "microsoft", "discord", "amazon-jp", "amazon-us", "github", "x", "instagram",
                "facebook", "zaim", "jalan"):
        assert curated.get(sid) is not None, sid
        assert curated.get(sid).origin == "curated"


def test_every_fact_has_source_and_date(curated) -> None:
    count = 0
    for svc in curated.services.values():
        facts = list(svc.supports.values()) + list(svc.extra.values())
        facts += [f for f in (svc.key_only, svc.backups_required) if f is not None]
        for fact in facts:
            count += 1
            assert fact.source.strip(), svc.id
            dt.date.fromisoformat(fact.as_of)
            assert fact.origin == "curated"
        for cap in svc.supports:
            assert cap in CAPABILITIES
    assert count > 52 * 4


@pytest.mark.parametrize("sid,expected", sorted(SEED_KEY_ONLY.items()))
def test_seed_key_only(curated, sid: str, expected: str) -> None:
    svc = curated.get(sid)
    assert svc.key_only_value == expected
    assert svc.key_only.source


def test_seed_sources_and_details(curated) -> None:
    for sid in ("google", "aws", "microsoft", "discord"):
        assert curated.get(sid).key_only.source.startswith("seed:")
        assert curated.get(sid).key_support is True
    github = curated.get("github")
    assert github.backups_required.value == ["totp or sms"]
    assert github.supports_value("security_key") is True
    amazon_jp = curated.get("amazon-jp")
    assert amazon_jp.realm == "jp" and amazon_jp.supports_value("passkey_login") is True
    assert "amazon.co.jp" in amazon_jp.domains and "amazon.co.jp" not in curated.get("amazon-us").domains
    for sid in ("zaim", "jalan"):
        svc = curated.get(sid)
        assert svc.key_support is False  # no key, no passkey: "blocked"
        assert svc.supports_value("totp") is True
    assert curated.get("x").key_only_value == "yes"  # Twitter, 2021-06-30: a key can be the only 2FA method
    assert "2021-06-30" in curated.get("x").key_only.source
    instagram = curated.get("instagram")
    assert instagram.key_support is False and "566810106808145" in instagram.supports["security_key"].source


def test_shipped_cache_matches_yaml() -> None:
    yaml_path = config.CURATED_CATALOG
    cache = json.loads(yaml_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert cache["sha256"] == hashlib.sha256(yaml_path.read_bytes()).hexdigest(), \
        "run: python -m mfakit.catalog.curated"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "curated.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_edited_yaml_is_reread_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "catalog")
    path = tmp_path / "curated.yaml"
    shutil.copy(config.CURATED_CATALOG, path)
    text = path.read_text(encoding="utf-8").replace("name: Zaim\n", "name: Zaim Budget\n")
    path.write_text(text, encoding="utf-8")
    services = {s.id: s for s in load_curated(path)}
    assert services["zaim"].name == "Zaim Budget"
    assert path.with_suffix(".json").exists()
    assert {s.id: s for s in load_curated(path)}["zaim"].name == "Zaim Budget"


@pytest.mark.parametrize("body,needle", [
    ("services:\n- id: a\n  name: A\n  supports: {totp: true}\n", "no source"),
    ("services:\n- id: a\n  name: A\n  source: x\n  supports: {totp: true}\n", "no as_of"),
    ("services:\n- id: a\n  name: A\n  source: x\n  as_of: 2026-02-30\n  supports: {totp: true}\n", "invalid YAML value"),
    ("services:\n- id: a\n  name: A\n  source: x\n  as_of: 2026-01-01\n  supports: {fax: true}\n", "unknown capability"),
    ("services:\n- id: a\n  name: A\n  source: x\n  as_of: 2026-01-01\n  key_only: maybe\n", "yes, no or unknown"),
    ("services:\n- id: a\n  name: A\n- id: a\n  name: B\n", "duplicate"),
    ("services:\n- id: A B\n  name: A\n", "lower-case"),
    ("services: [\n", "invalid YAML"),
    ("- just a list\n", "'services' list"),
])
def test_bad_curated_file_is_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str,
                                            needle: str) -> None:
    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "catalog")
    path = _write(tmp_path, body)
    with pytest.raises(CatalogError) as info:
        load_curated(path)
    msg = str(info.value)
    assert needle in msg and str(path) in msg and "\n" not in msg


def test_error_names_the_line_of_the_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "catalog")
    body = ("services:\n- id: ok\n  name: OK\n  source: s\n  as_of: 2026-01-01\n"
            "- id: broken\n  name: Broken\n  source: s\n  as_of: 2026-01-01\n  supports: {totp: maybe}\n")
    path = _write(tmp_path, body)
    with pytest.raises(CatalogError) as info:
        load_curated(path)
    assert info.value.line == 6 and "service 'broken'" in str(info.value)
