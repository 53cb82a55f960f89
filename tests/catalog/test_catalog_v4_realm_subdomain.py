"""API v4 groups keys by brand label when their entries are identical. Entries without 2FA (``{}``) prove
nothing beyond the label, and a subdomain host of another country's domain is a different company: in the real
v4 file, ``network.mobile.rakuten.co.jp`` (Rakuten Mobile, Japan; its own entry in API v3) was grouped with
``rakuten.com`` and so matched Rakuten **US** — a wrong service across realms (it is a Rakuten ID, Japan)."""

from __future__ import annotations

import json
from pathlib import Path

from mfakit.catalog import load_catalog
from mfakit.catalog.refresh import refresh

V4 = {"rakuten.com": {}, "rakuten.co.jp": {}, "network.mobile.rakuten.co.jp": {},
      "example-shop.com": {}, "example-shop.de": {}}


def _catalog(tmp_path: Path):
    src = tmp_path / "v4.json"
    src.write_text(json.dumps(V4), encoding="utf-8")
    refresh([src], as_of="2026-08-05", catalog_dir=tmp_path / "cat")
    return load_catalog(catalog_dir=tmp_path / "cat", include_personal=False)


def test_a_subdomain_without_2fa_is_not_grouped_with_its_label(tmp_path: Path) -> None:
    cat = _catalog(tmp_path)
    mobile = cat.match("network.mobile.rakuten.co.jp").service
    assert mobile is None or mobile.id != "rakuten-us"  # Rakuten Mobile signs in with a Rakuten ID (Japan)
    assert cat.match("rakuten.com").service.id == "rakuten-us"  # the curated realms are untouched
    assert cat.match("rakuten.co.jp").service.id == "rakuten"


def test_registrable_domains_of_one_label_still_group(tmp_path: Path) -> None:
    cat = _catalog(tmp_path)
    assert cat.match("example-shop.de").service is cat.match("example-shop.com").service
