"""Matching real issuer strings: the project's own fixture (every rule, on a fresh clone) against a small public
catalog built here in API v3 and API v4 form, then the real development set (../shared) as extra proof."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfakit.catalog import load_catalog
from mfakit.catalog.evaluation import build, evaluate, read_dev, split
from mfakit.catalog.normalize import parent_domains
from mfakit.catalog.refresh import refresh

OWN = Path(__file__).parent / "data" / "issuers-own.jsonl"

#: A small 2fa.directory in v3 form: [name, entry]; v4 is derived from it the way the real API does it.
V3 = [
    ["Airbrake", {"domain": "airbrake.io", "tfa": ["totp"], "documentation": "https://airbrake.io/docs/2fa"}],
    ["Epic Games", {"domain": "epicgames.com", "additional-domains": ["fortnite.com"], "tfa": ["totp", "email"],
                    "documentation": "https://www.epicgames.com/help/2fa"}],
    ["IG", {"domain": "ig.com", "tfa": ["sms", "totp"], "documentation": "https://www.ig.com/uk/help/2fa"}],
    ["OneLogin", {"domain": "onelogin.com", "tfa": ["totp", "u2f"]}],
    ["Auth0", {"domain": "auth0.com", "tfa": ["totp", "u2f"], "documentation": "https://auth0.com/docs/mfa"}],
    ["San José State University", {"domain": "sjsu.edu", "additional-domains": ["sjsu.okta.com"], "tfa": ["totp"],
                                   "documentation": "https://www.sjsu.edu/it/mfa"}],
    ["Amazon", {"domain": "amazon.com", "additional-domains": ["amazon.co.jp", "amazon.de"],
                "tfa": ["sms", "totp"], "documentation": "https://www.amazon.com/gp/help/2sv"}],
    ["Microsoft 365 Copilot", {"domain": "m365.cloud.microsoft", "additional-domains": ["login.microsoftonline.com"],
                               "tfa": ["totp", "sms"], "documentation": "https://support.microsoft.com/m365"}],
    ["Rakuten", {"domain": "rakuten.com", "additional-domains": ["rakuten.co.jp"], "contact": {"twitter": "x"}}],
    ["Kajabi", {"domain": "kajabi.com", "tfa": ["totp"]}],
    ["JetBrains", {"domain": "jetbrains.com", "tfa": ["totp"], "documentation": "https://www.jetbrains.com/2fa"}],
    ["Dyn", {"domain": "dyn.com", "contact": {"twitter": "dyn"}}],
    ["Dropbox Sign", {"domain": "hellosign.com", "tfa": ["sms", "totp"], "documentation": "https://faq.hellosign.com/2fa"}],
    ["Tuta", {"domain": "tuta.com", "additional-domains": ["tutanota.com"], "tfa": ["totp", "u2f"],
              "documentation": "https://tuta.com/faq#2fa"}],
    ["Keeper", {"domain": "keepersecurity.com", "tfa": ["totp", "u2f", "sms"],
                "documentation": "https://docs.keeper.io/2fa"}],
    ["Linktree", {"domain": "linktr.ee", "tfa": ["totp"]}],
    ["Emma Email Marketing", {"domain": "myemma.com", "tfa": ["sms"]}],
    ["Emma Life Insurance", {"domain": "emma.ca", "tfa": ["email"]}],
    ["OKX", {"domain": "okx.com", "tfa": ["totp", "sms"], "documentation": "https://www.okx.com/help/2fa"}],
    ["OLG", {"domain": "olg.ca", "tfa": ["email"]}],
    ["Yahoo Japan", {"domain": "yahoo.co.jp", "tfa": ["sms"], "documentation": "https://support.yahoo-net.jp/2sv"}],
    ["Raisin", {"domain": "raisin.com", "additional-domains": ["raisin.nl"], "tfa": ["sms", "call", "totp"]}],
    ["Tower Federal Credit Union", {"domain": "towerfcu.org", "tfa": ["sms", "call", "totp"]}],
]


def v4_of(v3: list) -> dict:
    """API v4: keyed by domain, every additional domain repeated with the same entry, no names."""
    out: dict = {}
    for _name, e in v3:
        entry = {"methods": e["tfa"]} if "tfa" in e else {}
        if "documentation" in e:
            entry["documentation"] = e["documentation"]
        for d in [e["domain"], *e.get("additional-domains", [])]:
            out[d] = dict(entry)
    return out


@pytest.fixture(scope="module", params=["v3", "v4"])
def small_catalog(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp(request.param)
    data = V3 if request.param == "v3" else v4_of(V3)
    src = tmp / "all.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    refresh([src], as_of="2026-08-05", catalog_dir=tmp / "cat")
    return request.param, load_catalog(catalog_dir=tmp / "cat", include_personal=False)


def _owner_of(catalog, domain: str) -> str | None:  # type: ignore[no-untyped-def]
    return catalog.index.by_host(domain)


@pytest.mark.parametrize("row", [json.loads(x) for x in OWN.read_text(encoding="utf-8").splitlines() if x.strip()],
                         ids=lambda r: f"{r['issuer']}{'@' + r['account'] if 'account' in r else ''}")
def test_own_issuer_fixture(small_catalog, row: dict) -> None:  # type: ignore[no-untyped-def]
    api, small_catalog = small_catalog
    if row.get("only", api) != api:
        assert small_catalog.match(row["issuer"]).service is None  # v4 has no names: honestly unmatched
        return
    m = small_catalog.match(row["issuer"], account=row.get("account"))
    if row["expect"] is None:
        assert m.service is None, (row["rule"], m.service.id if m.service else None)
    else:
        want = _owner_of(small_catalog, row["expect"])
        assert want is not None, f"fixture domain {row['expect']} not in the test catalog"
        assert m.service is not None and m.service.id == want, (row["rule"], m)


def test_one_candidate_is_not_ambiguous(small_catalog) -> None:  # type: ignore[no-untyped-def]
    _, small_catalog = small_catalog
    m = small_catalog.match("GitHub Enterprise")
    assert m.how == "partial" and m.candidates == ("github",)
    amb = small_catalog.match("Amazon")
    assert amb.how == "ambiguous" and set(amb.candidates) == {"amazon-us", "amazon-jp"}
    assert small_catalog.match("savebetter.okta.com").how == "tenant"


def test_v4_keys_of_one_service_become_one_service(tmp_path: Path) -> None:
    src = tmp_path / "v4.json"
    src.write_text(json.dumps(v4_of(V3)), encoding="utf-8")
    refresh([src], as_of="2026-08-05", catalog_dir=tmp_path / "cat")
    cat = load_catalog(catalog_dir=tmp_path / "cat", include_personal=False)
    assert cat.match("fortnite.com").service is cat.match("epicgames.com").service
    airbrake = cat.match("Airbrake").service
    assert airbrake.name == "airbrake.io" and airbrake.origin == "2fa.directory"  # a usable name: its domain
    assert cat.match("raisin.nl").service is cat.match("raisin.com").service  # same label, same entry
    assert cat.match("towerfcu.org").service is not cat.match("raisin.com").service  # same entry, other brand
    tuta = cat.match("tutanota.com").service
    assert tuta is cat.match("tuta.com").service and tuta.supports_value("security_key") is True
    # a group's name is its main domain: the documentation's brand wins over an additional domain
    assert cat.match("tutanota.com").service.name == "tuta.com"
    # realms survive grouping: amazon.co.jp stays with the curated jp realm
    assert cat.match("amazon.co.jp").service.id == "amazon-jp" and cat.match("amazon.de").service.id == "amazon-us"


def test_work_account_does_not_inherit_personal_key_only(small_catalog) -> None:  # type: ignore[no-untyped-def]
    _, small_catalog = small_catalog
    work = small_catalog.match("office.com").service
    assert work.id == "microsoft-work" and work.key_only_value != "yes"
    assert small_catalog.match("Microsoft").service.key_only_value == "yes"


# --- the real development set (extra proof; skipped on a fresh clone) -------------------------------------

@pytest.fixture(scope="module", params=["v3", "v4"])
def real_catalog(request, shared_fixtures: Path):  # type: ignore[no-untyped-def]
    cats = shared_fixtures / "catalogs"
    return request.param, build([cats / f"2fa-directory-api-{request.param}-all.json",
                                 cats / "passkeys-directory-api-v1-all.json"])


def test_real_issuers_at_least_95_percent_and_never_wrong(real_catalog, shared_fixtures: Path) -> None:  # type: ignore[no-untyped-def]
    api, catalog = real_catalog
    rows = read_dev(shared_fixtures / "catalogs" / "issuers-dev.jsonl")
    score = evaluate(catalog, rows)
    assert score.wrong == 0, (api, score.wrong_rows)
    assert score.right_pct >= 95.0, (api, score.line("all"), score.unmatched_rows)
    real = evaluate(catalog, rows, count_probes=False)  # only issuers that have a true service
    assert real.wrong == 0 and real.right_pct >= 95.0, (api, real.line("non-probe"))
    _, held = split(rows)
    held_score = evaluate(catalog, held)
    assert held_score.wrong == 0 and held_score.right_pct >= 93.0, (api, held_score.line("held-out"))
    for row in rows:  # every probe stays off any service other than its own
        if row.get("probe"):
            m = catalog.match(row["issuer"], account=row.get("account"))
            assert m.service is None or any(p in m.service.domains for p in parent_domains(row["domain"])), row
