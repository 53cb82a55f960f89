"""Property-based tests: the name normaliser, and importers fed mutated JSON (only CatalogError escapes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfakit.catalog.layer import detect_kind, read_catalog_file, KINDS
from mfakit.catalog.normalize import host_of, normalize_name
from mfakit.errors import CatalogError

ASCII_ALNUM = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1,
                      max_size=20)
PUNCT = st.text(alphabet=" -_.!()[]/&'・　", max_size=5)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(st.text(max_size=40))
def test_normalizer_is_idempotent_and_strips_punctuation(text: str) -> None:
    key = normalize_name(text)
    assert normalize_name(key) == key
    assert not any(c.isspace() for c in key)


@given(ASCII_ALNUM, st.lists(PUNCT, min_size=1, max_size=4))
def test_normalizer_ignores_case_width_and_punctuation(word: str, seps: list[str]) -> None:
    base = normalize_name(word)
    assert base == word.lower()
    assert normalize_name(word.upper()) == base
    assert normalize_name(_fullwidth(word)) == base
    mixed = "".join(sep + ch for sep, ch in zip(seps * len(word), word))
    assert normalize_name(mixed) == base


@given(st.text(alphabet="aeiouAEIOU", min_size=1, max_size=10), st.sampled_from(["\u0301", "\u0308", "\u0300"]))
def test_normalizer_ignores_latin_diacritics(word: str, mark: str) -> None:
    accented = "".join(c + mark for c in word)
    assert normalize_name(accented) == normalize_name(word)


@given(st.text(max_size=60))
def test_host_of_never_raises(text: str) -> None:
    host = host_of(text)
    assert host is None or (host == host.lower() and "." in host)


# --- importers fed mutated JSON -----------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
V3_ENTRY = st.fixed_dictionaries({"domain": st.sampled_from(["a.com", "b.co.jp", "", "x"]) | JSON}, optional={
    "tfa": st.lists(st.sampled_from(["totp", "sms", "u2f", "email", "call"])) | JSON,
    "additional-domains": st.lists(st.sampled_from(["c.com", "d.org"])) | JSON,
    "documentation": st.sampled_from(["https://a.com/doc", "nope"]) | JSON,
    "notes": JSON, "regions": JSON, "keywords": JSON, "categories": JSON, "contact": JSON,
    "custom-software": JSON, "custom-hardware": JSON, "recovery": JSON,
})
V3 = st.lists(st.tuples(st.text(max_size=10), V3_ENTRY).map(list) | JSON, max_size=4)
PK_ENTRY = st.fixed_dictionaries({}, optional={
    "mfa": st.sampled_from(["allowed", "required", "no"]) | JSON,
    "passwordless": st.sampled_from(["allowed", "required"]) | JSON,
    "contact": JSON, "documentation": JSON, "notes": JSON, "regions": JSON, "additional-domains": JSON,
    "categories": JSON, "recovery": JSON,
})
V4_ENTRY = st.fixed_dictionaries({}, optional={"methods": JSON | st.lists(st.sampled_from(["totp", "u2f"])),
                                               "documentation": JSON, "notes": JSON, "recovery": JSON})
DOMAIN_KEYED = st.dictionaries(st.sampled_from(["a.com", "b.co.jp", "bad key", "c.org"]) | st.text(max_size=6),
                               PK_ENTRY | V4_ENTRY | JSON, max_size=4)


def _parse(data: Any) -> None:
    path = Path("mutated.json")
    try:
        kind = detect_kind(data, path)
        services = KINDS[kind][0](data, path, "2026-01-01")
    except CatalogError as exc:
        assert "mutated.json" in str(exc) and "\n" not in str(exc)
        return
    for svc in services:
        assert svc.domains and svc.key_only is None
        for fact in svc.supports.values():
            assert isinstance(fact.value, bool) and fact.source and fact.as_of == "2026-01-01"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(V3 | DOMAIN_KEYED | JSON)
def test_importers_raise_only_catalog_errors(data: Any) -> None:
    _parse(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=64) | st.text(max_size=64).map(lambda t: t.encode("utf-8")))
def test_reading_random_bytes_raises_only_catalog_errors(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "random.json"
    path.write_bytes(data)
    try:
        read_catalog_file(path, "2026-01-01")
    except CatalogError as exc:
        assert "random.json" in str(exc)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=400), st.sampled_from(["2fa", "pk"]))
def test_truncated_real_shapes_raise_only_catalog_errors(tmp_path_factory, cut: int, which: str) -> None:
    sample: Any = ([["GitHub", {"domain": "github.com", "tfa": ["totp", "u2f"], "keywords": ["developer"]}],
                    ["LINE", {"domain": "line.me", "contact": {"facebook": "line"}, "keywords": ["communication"]}]]
                   if which == "2fa" else
                   {"amazon.co.jp": {"passwordless": "allowed", "documentation": "https://a.example/"},
                    "line.me": {"contact": {"facebook": "line"}}})
    text = json.dumps(sample)
    path = tmp_path_factory.mktemp("cut") / "cut.json"
    path.write_text(text[: min(cut, len(text))], encoding="utf-8")
    try:
        kind, services, _ = read_catalog_file(path, "2026-01-01")
        assert cut >= len(text) and services
    except CatalogError as exc:
        assert "cut.json" in str(exc)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ascii_fast_path_equals_the_general_path(text: str) -> None:
    import unicodedata

    from mfakit.catalog.normalize import _fold_char

    general = "".join(map(_fold_char, unicodedata.normalize("NFKC", text).casefold()))
    assert normalize_name(text) == general
