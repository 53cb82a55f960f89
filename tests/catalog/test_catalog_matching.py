"""Matching accounts to services: ids, domains, names and aliases across case, width, script, diacritics,
punctuation; realms kept apart; anything uncertain stays unmatched and lists its candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from mfakit.catalog import Catalog, load_catalog, merge
from mfakit.catalog.layer import read_catalog_file
from mfakit.catalog.normalize import host_of, normalize_name


@pytest.fixture(scope="module")
def curated():
    return load_catalog(include_imported=False)


@pytest.mark.parametrize("name,expected,how", [
    ("github", "github", "id"),
    ("GitHub", "github", "name"),
    ("ＧｉｔＨｕｂ", "github", "name"),            # full-width
    ("ｇｉｔｈｕｂ．ｃｏｍ", "github", "domain"),     # full-width domain
    ("ギットハブ", "github", "alias"),
    ("じゃらん", "jalan", "name"),
    ("じゃらんnet", "jalan", "alias"),
    ("ジャラン", "jalan", "name"),                # katakana for the hiragana name
    ("ｼﾞｬﾗﾝ", "jalan", "name"),                  # half-width katakana
    ("ｱﾏｿﾞﾝ", "amazon-jp", "alias"),
    ("アマゾン", "amazon-jp", "alias"),
    ("あまぞん", "amazon-jp", "alias"),            # hiragana folded to katakana
    ("Amazon.co.jp", "amazon-jp", "domain"),
    ("amazon.com", "amazon-us", "domain"),
    ("Amazon Web Services", "aws", "alias"),
    ("Yahoo! JAPAN", "yahoo-japan", "name"),
    ("yahoo japan", "yahoo-japan", "name"),
    ("YAHOO", "yahoo", "name"),
    ("X (Twitter)", "x", "alias"),
    ("twitter", "x", "alias"),
    ("Díscörd", "discord", "name"),               # diacritics
    ("D.I.S.C.O.R.D", "discord", "name"),          # punctuation
    ("  Discord  ", "discord", "name"),
    ("Microsoft アカウント", "microsoft", "alias"),
    ("1Password", "1password", "name"),
    ("楽天市場", "rakuten", "alias"),
    ("https://github.com/login", "github", "domain"),
    ("signin.aws.amazon.com", "aws", "domain"),
])
def test_certain_matches(curated, name: str, expected: str, how: str) -> None:
    m = curated.match(name)
    assert m.certain and m.service.id == expected, (name, m)
    assert m.how == how


def test_domain_argument_wins_and_parents_are_used(curated) -> None:
    assert curated.match("Something", domain="https://smile.amazon.co.jp/x").service.id == "amazon-jp"
    assert curated.match("Something", domain="console.aws.amazon.com").service.id == "aws"
    assert curated.match("whatever", domain="www.github.com").service.id == "github"


def test_realms_are_kept_apart(curated) -> None:
    # "Amazon" alone could be amazon.com or amazon.co.jp: not certain, both candidates reported
    m = curated.match("Amazon")
    assert not m.certain and m.how == "ambiguous" and set(m.candidates) == {"amazon-us", "amazon-jp"}
    # a gmail address says nothing about the realm
    assert not curated.match("Amazon", account="taro@gmail.com").certain
    # a .jp account or domain decides
    assert curated.match("Amazon", account="taro@example.co.jp").service.id == "amazon-jp"
    assert curated.match("ＡＭＡＺＯＮ", account="taro@example.ne.jp").service.id == "amazon-jp"
    assert curated.match("Amazon", domain="example.co.jp").service.id == "amazon-jp"
    assert not curated.match("Amazon", domain="example.de").certain  # no "de" realm in the candidates
    # ids are exact, but lower-case "amazon" is a name: it does not bypass the realm question
    assert not curated.match("amazon").certain and set(curated.match("amazon").candidates) == {"amazon-us", "amazon-jp"}
    assert curated.match("amazon-jp").service.id == "amazon-jp"
    assert curated.match("amazon-us").service.id == "amazon-us"
    assert curated.get("amazon-us").domains != curated.get("amazon-jp").domains


def test_uncertain_names_are_not_guessed(curated) -> None:
    m = curated.match("GitHub Enterprise")
    assert m.service is None and m.how == "partial" and m.candidates == ("github",)  # one candidate: a suggestion
    assert curated.match("Example Corp VPN", account="s-takahashi").how == "none"
    assert curated.match("").how == "none"
    assert curated.match("!!!").how == "none"
    # an e-mail domain is never proof: gmail.com belongs to Google but the account is Zaim's
    assert curated.match("zaim", account="s-takahashi@gmail.com").service.id == "zaim"
    m = curated.match("Unknown Shop", account="me@gmail.com")
    assert m.service is None


def test_example_inventory_services_match(curated) -> None:
    for sid in ("google", "aws", "microsoft", "discord", "amazon-jp", "github", "x", "instagram", "facebook",
                "zaim", "jalan"):
        assert curated.match(sid, account="s-takahashi@gmail.com").service.id == sid
    assert not curated.match("Example Corp VPN", account="s-takahashi").certain


def test_normalizer_examples() -> None:
    assert normalize_name("ＧｉｔＨｕｂ") == normalize_name("github") == "github"
    assert normalize_name("Zürich-Versicherung") == "zurichversicherung"
    assert normalize_name("ｱﾏｿﾞﾝ") == normalize_name("アマゾン") == normalize_name("あまぞん")
    assert normalize_name("じゃらん") != normalize_name("しゃらん")  # voiced marks are meaning, not accents
    assert host_of("Taro@Example.CO.JP") == "example.co.jp"
    assert host_of("https://www.github.com:443/login") == "github.com"
    assert host_of("not a domain") is None and host_of("@stakahashi") is None


def test_imported_names_match_with_diacritics(shared_fixtures: Path) -> None:
    _, services, _ = read_catalog_file(shared_fixtures / "catalogs" / "2fa-directory-api-v3-all.json", "2026-08-05")
    from mfakit.catalog.curated import load_curated

    merged, _ = merge(load_curated(), services)
    cat = Catalog(merged)
    m = cat.match("Aerolineas Argentinas")          # the entry is "Aerolíneas Argentinas"
    assert m.certain and m.service.name == "Aerolíneas Argentinas"
    assert cat.match("ＡＥＲＯＬÍＮＥＡＳ ａｒｇｅｎｔｉｎａｓ").service is m.service
    # curated names win over imported ones; imported aliases join the curated service
    assert cat.match("X (Twitter)").service.id == "x"
    assert cat.match("Google Cloud Platform").service.id == "google"
    assert cat.match("amazon.de").service.id == "amazon-us"    # additional domain joined amazon.com
    assert cat.match("amazon.co.jp").service.id == "amazon-jp"  # ...but not the jp realm


def test_imported_names_match_with_diacritics_own_file(tmp_path: Path) -> None:
    """The same rules as above on a small API v3 file of the project's own (a fresh clone has no ../shared)."""
    import json

    from mfakit.catalog.curated import load_curated

    v3 = tmp_path / "v3.json"
    v3.write_text(json.dumps([
        ["Aerolíneas Argentinas", {"domain": "aerolineas.com.ar", "tfa": ["totp"]}],
        ["X (Twitter)", {"domain": "x.com", "additional-domains": ["twitter.com"], "tfa": ["totp", "u2f"]}],
        ["Google Cloud Platform", {"domain": "cloud.google.com", "tfa": ["totp", "u2f"]}],
        ["Amazon", {"domain": "amazon.com", "additional-domains": ["amazon.de"], "tfa": ["sms", "totp"]}],
    ], ensure_ascii=False), encoding="utf-8")
    _, services, _ = read_catalog_file(v3, "2026-08-05")
    merged, _ = merge(load_curated(), services)
    cat = Catalog(merged)
    m = cat.match("Aerolineas Argentinas")
    assert m.certain and m.service.name == "Aerolíneas Argentinas"
    assert cat.match("ＡＥＲＯＬÍＮＥＡＳ ａｒｇｅｎｔｉｎａｓ").service is m.service
    assert cat.match("X (Twitter)").service.id == "x"
    assert cat.match("Google Cloud Platform").service.id == "google"
    assert cat.match("amazon.de").service.id == "amazon-us"
    assert cat.match("amazon.co.jp").service.id == "amazon-jp"
