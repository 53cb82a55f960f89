"""Sources as short links: ``github.com · 2025-03`` instead of a 150-character URL repeated on every row.

A plan row's ``source`` is one string: facts joined by ``"; "``, each ``"<reference> (<origin>, <as_of>)"``, and a
reference may itself hold several parts (``"seed: blog post (…); https://…"``). :func:`split_sources` turns that
back into :class:`SourceRef` s; :func:`short_source` gives the label and link of one reference; the renderers
(terminal footnotes, Markdown footnotes, HTML links, notebook views) build on these.

Only ``http``/``https`` URLs with no control character, space or quote become links (``href``); anything else
(``javascript:``, ``data:``, text) is shown as text. The label and href are *not* escaped here: escape them for
the medium (:mod:`mfakit.safe`) — :func:`source_link_html` does so for HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import urlsplit

# "<text> (<origin>, <YYYY-MM-DD>)" followed by "; " or the end: one catalog fact with its provenance.
_FACT = re.compile(r"(.+?) \(([\w.\- ]{1,40}), (\d{4}-\d{2}(?:-\d{2})?)\)(?:; |$)", re.S)
# A URL the kit is willing to make clickable: http(s), printable ASCII only, no quotes, brackets or spaces.
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&()*+,;=%']+\Z")
_LEADING_URL = re.compile(r"(https?://\S+?)[.,;]*(?:\s+\(|\s*;|\s*$)")
_URL_PART = re.compile(r"; (?=https?://)")  # a fact's text holds several references only before a URL
_MAX_TEXT_LABEL = 24


@dataclass(frozen=True)
class SourceRef:
    """One reference behind a fact: ``text`` (a URL or words), where it came from and when it was checked."""

    text: str
    origin: str = ""
    as_of: str = ""

    @property
    def href(self) -> str | None:
        return safe_href(leading_url(self.text))

    @property
    def label(self) -> str:
        return short_source(self.text, self.as_of)[0]


def safe_href(text: Any) -> str | None:
    """``text`` when it is an http(s) URL safe to put in a link (no controls, spaces, quotes or markup), else None."""
    if not isinstance(text, str):
        return None
    url = text.strip()
    if len(url) > 2000 or not _SAFE_URL.match(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def leading_url(text: Any) -> str:
    """The URL a reference starts with (``"https://x.example/a (what it says)"`` → ``"https://x.example/a"``)."""
    m = _LEADING_URL.match(str(text or "").strip())
    return m.group(1).rstrip(".,;") if m else str(text or "").strip()


def _domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _short_text(text: str) -> str:
    """Words before the first parenthesis or semicolon, cut at a word boundary."""
    head = re.split(r"\s*[(;]", text.strip(), maxsplit=1)[0].rstrip(" :,.") or text.strip()
    head = " ".join(head.split())
    if len(head) > _MAX_TEXT_LABEL:
        cut = head[:_MAX_TEXT_LABEL].rsplit(" ", 1)[0] or head[:_MAX_TEXT_LABEL]
        head = cut.rstrip(" :,.") + "…"
    return head


def short_source(url_or_text: Any, as_of: str | None = None) -> tuple[str, str | None]:
    """``(label, href)`` for one source: ``("github.com · 2025-03", "https://github.com/…")``.

    ``url_or_text`` is a URL, a text reference (``"seed: blog post (…)"`` → ``"seed: blog post"``, no href) or a
    whole fact string ``"<ref> (<origin>, <date>)"`` (the date is taken from it). ``as_of`` (an ISO date) adds
    `` · YYYY-MM``. The label is plain text: escape it for the medium.
    """
    text = "" if url_or_text is None else str(url_or_text).strip()
    if as_of is None:
        m = _FACT.fullmatch(text)
        if m:
            text, as_of = m.group(1).strip(), m.group(3)
    href = safe_href(leading_url(text))
    label = _domain(href) if href else _short_text(text)
    month = (as_of or "")[:7]
    return (f"{label} · {month}" if label and month else label or month), href


def split_sources(source: Any) -> list[SourceRef]:
    """A plan row's ``source`` string as its references, in order, each URL once (the latest date kept)."""
    text = "" if source is None else str(source).strip()
    if not text:
        return []
    refs: list[SourceRef] = []
    pos = 0
    for m in _FACT.finditer(text):
        if m.start() != pos:  # text the pattern could not place: keep it whole, as a text reference
            break
        for part in _split_parts(m.group(1)):
            refs.append(SourceRef(part, m.group(2), m.group(3)))
        pos = m.end()
    if pos < len(text):
        refs.extend(SourceRef(part) for part in _split_parts(text[pos:]))
    return dedupe(refs)


def _split_parts(text: str) -> list[str]:
    return [p.strip() for p in _URL_PART.split(text) if p.strip()]


def dedupe(refs: Iterable[SourceRef]) -> list[SourceRef]:
    """Each reference once (same URL or same text), keeping the first position and the latest date."""
    out: dict[str, SourceRef] = {}
    for ref in refs:
        key = ref.href or ref.text
        old = out.get(key)
        if old is None or (ref.as_of or "") > (old.as_of or ""):
            out[key] = ref if old is None else SourceRef(old.text, ref.origin, ref.as_of)
    return list(out.values())


def source_link_html(url_or_text: Any, as_of: str | None = None, *, title: bool = True) -> str:
    """The short source as HTML: an ``<a>`` (new tab, no referrer) for a safe http(s) URL, escaped text otherwise."""
    from mfakit import safe

    label, href = short_source(url_or_text, as_of)
    if not href:
        return f'<span class="source">{safe.html(label)}</span>'
    tip = f' title="{safe.html(href)}"' if title else ""
    return (f'<a class="source" href="{safe.html(href)}"{tip} target="_blank" rel="noopener noreferrer">'
            f"{safe.html(label)}</a>")


def sources_html(source: Any, sep: str = "<br>") -> str:
    """Every reference of a plan row's ``source`` as short HTML links, one per line."""
    return sep.join(source_link_html(r.text, r.as_of) for r in split_sources(source))


class Footnotes:
    """Numbers sources across a table so each is listed once: ``add(row.source)`` → ``[1, 3]``."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self.refs: list[SourceRef] = []

    def add(self, source: Any) -> list[int]:
        nums: list[int] = []
        for ref in split_sources(source):
            key = ref.href or ref.text
            if key not in self._index:
                self.refs.append(ref)
                self._index[key] = len(self.refs)
            else:
                old = self.refs[self._index[key] - 1]
                if (ref.as_of or "") > (old.as_of or ""):
                    self.refs[self._index[key] - 1] = SourceRef(old.text, ref.origin, ref.as_of)
            if self._index[key] not in nums:
                nums.append(self._index[key])
        return nums

    def __iter__(self):
        return iter(enumerate(self.refs, start=1))

    def __len__(self) -> int:
        return len(self.refs)
