"""Importing 2fa.directory (API v3/v4) and passkeys-directory (API v1) files into the local layer."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mfakit.catalog import load_catalog
from mfakit.catalog.layer import detect_kind, layer_path, read_catalog_file
from mfakit.catalog.refresh import refresh
from mfakit.errors import CatalogError


@pytest.fixture(scope="module")
def real_layer(shared_fixtures: Path, tmp_path_factory: pytest.TempPathFactory):
    """The full real files refreshed into a temporary layer (once for the module)."""
    cat_dir = tmp_path_factory.mktemp("catalog")
    files = [shared_fixtures / "catalogs" / "2fa-directory-api-v3-all.json",
             shared_fixtures / "catalogs" / "passkeys-directory-api-v1-all.json"]
    summary = refresh(files, as_of="2026-08-05", catalog_dir=cat_dir)
    return cat_dir, summary


def test_full_real_files_counts(real_layer) -> None:
    cat_dir, summary = real_layer
    assert summary.entries_per_source == {"2fa.directory": 2566, "passkeys.directory": 1069}
    kinds = {f["kind"]: f["entries"] for f in summary.files}
    assert kinds == {"2fa.directory-v3": 2566, "passkeys.directory-v1": 1069}
    doc = json.loads(layer_path(cat_dir).read_text(encoding="utf-8"))
    assert len(doc["services"]["2fa.directory-v3"]) == 2566
    assert len(doc["services"]["passkeys.directory-v1"]) == 1069
    assert "MIT" in doc["attribution"]["2fa.directory"] and "CC BY 4.0" in doc["attribution"]["passkeys.directory"]
    assert summary.curated_services >= 52
    assert summary.services_total == summary.curated_services + summary.imported_only_services
    assert {"github", "google", "discord", "amazon-jp"} <= set(summary.merged_into_curated)
    assert "zaim" not in summary.merged_into_curated and "jalan" not in summary.merged_into_curated


def test_imported_facts_and_provenance(real_layer) -> None:
    cat_dir, _ = real_layer
    cat = load_catalog(catalog_dir=cat_dir)
    assert len(cat.services) > 2500
    # an imported-only service: facts with the catalog as origin and the entry's documentation as source
    m = cat.match("101domain")
    svc = m.service
    assert svc.origin == "2fa.directory"
    fact = svc.supports["totp"]
    assert fact.value is True and fact.origin == "2fa.directory" and fact.as_of == "2026-08-05"
    assert fact.source == "https://help.101domain.com/kb/setup-two-factor-authentication"
    assert svc.supports_value("security_key") is False and svc.key_only_value == "unknown"
    # u2f = a security key as second factor; key_only is never derived from a public catalog
    bitbucket = cat.match("Bitbucket").service
    assert bitbucket.supports_value("security_key") is True
    for svc in cat.services.values():
        if svc.origin != "curated":
            assert svc.key_only is None and svc.backups_required is None
    # passkeys directory facts fill gaps of curated services, with their own origin
    discord = cat.get("discord")
    assert discord.supports["passkey_login"].origin == "curated"
    tesla = cat.match("Tesla").service
    assert tesla.origin == "curated" and tesla.supports["totp"].origin == "curated"
    assert "extra.documentation" not in tesla.extra and tesla.extra["documentation"].origin == "2fa.directory"
    # a site without 2FA in 2fa.directory: every method False; in the passkeys directory: no passkeys
    line = cat.get("line")
    assert line.supports["passkey_login"].origin == "curated"
    no2fa = cat.match("American Airlines").service
    assert no2fa.supports_value("totp") is False and no2fa.supports_value("passkey_login") is False
    assert no2fa.supports["passkey_login"].origin == "passkeys.directory"


def test_curated_wins_per_fact_and_keeps_the_imported_one(tmp_path: Path) -> None:
    twofa = tmp_path / "all.json"
    twofa.write_text(json.dumps([
        ["GitHub", {"domain": "github.com", "tfa": ["email"], "documentation": "https://example.org/gh",
                    "keywords": ["developer"]}],
        ["Zaim Global", {"domain": "zaim.net", "tfa": ["totp", "u2f"], "keywords": ["finance"]}],
        ["Brand New", {"domain": "brand-new.example", "tfa": ["totp"], "keywords": ["other"]}],
    ]), encoding="utf-8")
    summary = refresh([twofa], as_of="2026-01-02", catalog_dir=tmp_path / "cat")
    assert set(summary.curated_overrides["github"]) == {"supports.totp", "supports.sms", "supports.security_key"}
    assert "supports.security_key" in summary.curated_overrides["zaim"]
    assert "brand-new" in summary.new_services
    cat = load_catalog(catalog_dir=tmp_path / "cat")
    gh = cat.get("github")
    assert gh.supports["totp"].value is True and gh.supports["totp"].origin == "curated"
    assert gh.overridden["supports.totp"].value is False
    assert gh.overridden["supports.totp"].origin == "2fa.directory"
    assert gh.overridden["supports.totp"].source == "https://example.org/gh"
    assert gh.supports["email"].origin == "2fa.directory"  # a gap filled by the import
    assert cat.get("zaim").supports_value("security_key") is False  # curated says no; imported said yes
    assert cat.get("brand-new").supports["totp"].as_of == "2026-01-02"
    # curated-only loading ignores the layer
    assert "brand-new" not in load_catalog(include_imported=False, catalog_dir=tmp_path / "cat").services


def test_v4_and_passkeys_detection_and_merge(tmp_path: Path) -> None:
    v4 = tmp_path / "v4.json"
    v4.write_text(json.dumps({
        "example-shop.jp": {"methods": ["totp", "u2f"], "documentation": "https://example-shop.jp/2fa"},
        "no2fa.example": {},
    }), encoding="utf-8")
    pk = tmp_path / "pk.json"
    pk.write_text(json.dumps({
        "example-shop.jp": {"passwordless": "allowed"},
        "other.example": {"mfa": "required", "documentation": "https://other.example/pk"},
    }), encoding="utf-8")
    os.utime(pk, (1767225600, 1767225600))  # 2026-01-01 UTC
    assert read_catalog_file(v4, "2026-01-01")[0] == "2fa.directory-v4"
    kind, services, as_of = read_catalog_file(pk)
    assert kind == "passkeys.directory-v1" and as_of == "2026-01-01"
    refresh([v4, pk], catalog_dir=tmp_path / "cat", as_of="2026-03-04")
    cat = load_catalog(catalog_dir=tmp_path / "cat")
    shop = cat.match("example-shop.jp").service
    assert shop.supports_value("security_key") is True and shop.supports_value("passkey_login") is True
    assert shop.supports["passkey_login"].origin == "passkeys.directory"
    assert shop.supports_value("passkey_2fa") is None  # only passwordless given: mfa stays unknown
    assert cat.match("no2fa.example").service.supports_value("totp") is False
    other = cat.match("other.example").service
    assert other.supports["passkey_2fa"].source == "https://other.example/pk"
    # refreshing only one catalog keeps the other one's entries
    refresh([v4], catalog_dir=tmp_path / "cat", as_of="2026-03-05")
    assert load_catalog(catalog_dir=tmp_path / "cat").match("other.example").certain


@pytest.mark.parametrize("content,needle", [
    (b"", "invalid JSON"),
    (b"[1, 2", "invalid JSON"),
    (b"\xff\xfe\x00", "UTF-8"),
    (b'"just a string"', "expected a JSON array or object"),
    (b"{}", "empty"),
    (b'{"a.com": 1}', "must be objects"),
    (b'{"a.com": {"weird": 1}}', "cannot tell"),
    (b'{"a.com": {"methods": ["totp"]}, "b.com": {"mfa": "allowed"}}', "mixes"),
    (b'[["Name", {"tfa": ["totp"]}]]', "'domain' is missing"),
    (b'[["Name", {"domain": "a.com", "tfa": "totp"}], ["B", {"domain": "b.com", "tfa": [1]}]]', "list of strings"),
    (b'[["Name"]]', "[name, entry] pair"),
    (b'{"a.com": {"mfa": "maybe"}}', "'allowed' or 'required'"),
    (b'{"not a domain": {"mfa": "allowed"}}', "not a domain name"),
    (b'{"a.com": {"mfa": "allowed", "contact": {"email": "x@a.com"}}}', "not both"),
])
def test_bad_files_are_one_line_errors_and_the_old_layer_survives(tmp_path: Path, content: bytes,
                                                                 needle: str) -> None:
    cat_dir = tmp_path / "cat"
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"kept.example": {"mfa": "allowed"}}), encoding="utf-8")
    refresh([good], catalog_dir=cat_dir, as_of="2026-01-01")
    before = layer_path(cat_dir).read_bytes()
    bad = tmp_path / "bad-file.json"
    bad.write_bytes(content)
    with pytest.raises(CatalogError) as info:
        refresh([bad], catalog_dir=cat_dir, as_of="2026-01-01")
    msg = str(info.value)
    assert needle in msg and "bad-file.json" in msg and "\n" not in msg
    assert layer_path(cat_dir).read_bytes() == before


def test_bad_as_of_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="YYYY-MM-DD"):
        refresh([tmp_path / "x.json"], as_of="05/08/2026", catalog_dir=tmp_path)
    with pytest.raises(CatalogError, match="not a real date"):
        refresh([tmp_path / "x.json"], as_of="2026-02-30", catalog_dir=tmp_path)
    with pytest.raises(CatalogError, match="file not found"):
        refresh([tmp_path / "x.json"], catalog_dir=tmp_path)
    with pytest.raises(CatalogError, match="at least one"):
        refresh([], catalog_dir=tmp_path)


def test_damaged_layer_is_reported(tmp_path: Path) -> None:
    layer_path(tmp_path).write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="refresh") as info:
        load_catalog(catalog_dir=tmp_path)
    assert "imported.json" in str(info.value)
    assert detect_kind([], tmp_path / "x") == "2fa.directory-v3"


def test_refreshing_one_catalog_keeps_the_other_intact(tmp_path: Path) -> None:
    pk = tmp_path / "pk.json"
    pk.write_text(json.dumps({"fresh.example": {"mfa": "allowed", "additional-domains": ["github.com"]},
                              "github.com": {"passwordless": "allowed"}}), encoding="utf-8")
    v4 = tmp_path / "v4.json"
    v4.write_text(json.dumps({"fresh.example": {"methods": ["totp"]}}), encoding="utf-8")
    refresh([pk], catalog_dir=tmp_path, as_of="2026-01-01")
    first = json.loads(layer_path(tmp_path).read_text(encoding="utf-8"))["services"]["passkeys.directory-v1"]
    summary = refresh([v4], catalog_dir=tmp_path, as_of="2026-01-02")
    again = json.loads(layer_path(tmp_path).read_text(encoding="utf-8"))["services"]["passkeys.directory-v1"]
    assert again == first  # untouched, additional domains included
    assert summary.new_services == []
    assert set(summary.entries_per_source) == {"2fa.directory", "passkeys.directory"}
