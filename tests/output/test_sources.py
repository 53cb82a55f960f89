"""Sources as short links: domain and month, links only for safe http(s) URLs, each source once."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfakit.plan.sources import Footnotes, safe_href, short_source, source_link_html, sources_html, split_sources

AMAZON = ("seed: blog post (Google Titan migration): passkey registered, OTP still asked; "
          "https://www.corbado.com/blog/amazon-passkeys-launch (curated, 2026-11-28); "
          "https://www.amazon.com/gp/help/customer/display.html?nodeId=G3PWZPU52FKN7PW4 (curated, 2026-08-05)")
ZAIM = ("seed: blog post (Google Titan migration); absent from 2fa.directory and the passkeys directory "
        "(snapshots 2026-08-05) (curated, 2026-11-28)")


def test_short_source_is_domain_and_month() -> None:
    assert short_source("https://www.github.com/a/b?c=d", "2025-03-14") == ("github.com · 2025-03",
                                                                             "https://www.github.com/a/b?c=d")
    assert short_source("https://docs.github.com/en (curated, 2026-11-28)") == (
        "docs.github.com · 2026-11", "https://docs.github.com/en")
    assert short_source("catalog") == ("catalog", None)


def test_a_fact_string_splits_into_its_references() -> None:
    refs = split_sources(AMAZON)
    assert [r.label for r in refs] == ["seed: blog post · 2026-11", "corbado.com · 2026-11", "amazon.com · 2026-08"]
    assert [r.href is not None for r in refs] == [False, True, True]
    (zaim,) = split_sources(ZAIM)  # a text reference with parentheses and a semicolon stays whole
    assert zaim.text.startswith("seed: blog post") and zaim.text.endswith("(snapshots 2026-08-05)")
    assert zaim.as_of == "2026-11-28" and zaim.label == "seed: blog post · 2026-11"


def test_the_same_url_is_listed_once_with_its_latest_date() -> None:
    src = "https://f.example/h (curated, 2026-08-05); https://f.example/h (curated, 2026-11-28)"
    (ref,) = split_sources(src)
    assert ref.as_of == "2026-11-28"
    notes = Footnotes()
    assert notes.add(src) == [1]
    assert notes.add("https://g.example/ (curated, 2025-01-01); " + src) == [2, 1]
    assert len(notes) == 2


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "https://evil.example/\"><script>",
    "https://evil.example/\x1b]8;;http://x\x1b\\", "http://a b.example/", "ftp://files.example/",
    "https://evil.example/\x9b31m", "https://", "//evil.example/x",
])
def test_unsafe_urls_never_become_links(url: str) -> None:
    assert safe_href(url) is None
    html = source_link_html(url)
    assert "<a " not in html and "<script" not in html and "\x1b" not in html and "\x9b" not in html


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_link_opens_safely_and_is_escaped() -> None:
    p = _Tags()
    p.feed(sources_html("https://docs.github.com/a?b=1&c=2 (curated, 2026-01-01); catalog"))
    links = [a for t, a in p.tags if t == "a"]
    assert links == [{"class": "source", "href": "https://docs.github.com/a?b=1&c=2",
                      "title": "https://docs.github.com/a?b=1&c=2", "target": "_blank", "rel": "noopener noreferrer"}]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), st.text(max_size=12)))
def test_any_text_gives_one_line_label_and_at_most_a_safe_link(text: str, as_of: str | None) -> None:
    label, href = short_source(text, as_of)
    assert href is None or (href.startswith(("http://", "https://")) and safe_href(href) == href)
    p = _Tags()
    p.feed(source_link_html(text, as_of))
    assert [t for t, _ in p.tags] in (["a"], ["span"])
    for _, attrs in p.tags:
        assert set(attrs) <= {"class", "href", "title", "target", "rel"}
