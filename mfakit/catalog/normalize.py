"""Name and domain normalisation for matching accounts to catalog services.

Names are compared after NFKC (full-width ＧｉｔＨｕｂ and half-width ｱﾏｿﾞﾝ become GitHub / アマゾン), case
folding, removal of Latin diacritics (Zürich → zurich; Japanese voiced marks are kept: じゃらん ≠ しゃらん),
hiragana folded to katakana, and removal of punctuation, symbols and spaces ("Yahoo! JAPAN" → "yahoojapan").
"""

from __future__ import annotations

from typing import Any

import re
import unicodedata
from functools import lru_cache
from typing import Iterator
from urllib.parse import urlsplit

_DROP_CATEGORIES = ("P", "S", "Z", "C")  # punctuation, symbols, separators, control/format
_HOST_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


_ASCII_DROP = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character after NFKC and casefold: Latin marks dropped, hiragana → katakana, punctuation → ''."""
    cat = unicodedata.category(ch)
    if cat[0] in _DROP_CATEGORIES:
        return ""
    code = ord(ch)
    if 0x3041 <= code <= 0x3096:  # hiragana → katakana
        return chr(code + 0x60)
    if code < 0x2000 and not ch.isascii():  # Latin/Greek/Cyrillic: strip combining marks
        return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if cat == "Mn" and code < 0x3000:  # a stray combining mark after NFKC
        return ""
    return ch


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """The matching key of a service name: insensitive to case, width, diacritics and punctuation."""
    if text.isascii():  # fast path: NFKC is the identity, and every non-alphanumeric is punctuation/space
        return _ASCII_DROP.sub("", text.lower())
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(map(_fold_char, folded))


def host_of(text: str | None) -> str | None:
    """The host name in a URL, an e-mail address or a bare domain (lower-case, no ``www.``), else None."""
    if not text:
        return None
    raw = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not raw or any(ch.isspace() for ch in raw):
        return None
    if "://" in raw:
        try:
            raw = urlsplit(raw).hostname or ""
        except ValueError:
            return None
    elif "@" in raw:
        raw = raw.rsplit("@", 1)[1]
    raw = raw.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    if raw.startswith("www."):
        raw = raw[4:]
    try:
        raw = raw.encode("idna").decode("ascii") if not raw.isascii() else raw
    except UnicodeError:
        return None
    return raw if _HOST_RE.match(raw) else None


def parent_domains(host: str) -> Iterator[str]:
    """``a.b.example.co.jp`` → itself, ``b.example.co.jp``, ``example.co.jp``, ``co.jp`` (never the bare TLD)."""
    parts = host.split(".")
    for i in range(len(parts) - 1):
        yield ".".join(parts[i:])


def country_tld(host: str | None) -> str | None:
    """The two-letter country code of a host (``example.co.jp`` → ``jp``), else None."""
    if not host:
        return None
    tld = host.rsplit(".", 1)[-1]
    return tld if len(tld) == 2 and tld.isalpha() else None


def slug(text: str) -> str:
    """An id-like slug of a name: lower-case ASCII letters, digits and dashes ('' when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def domain_entry(path: Any, key: str, entry: Any) -> tuple[str, str, dict[str, Any]]:
    """Check one entry of a catalog keyed by domain: ``(where, domain, entry)`` or a CatalogError naming it."""
    from mfakit.errors import CatalogError

    where = f"entry {key[:60]!r}"
    domain = host_of(key)
    if domain is None:
        raise CatalogError(f"{where}: the key is not a domain name", path)
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: expected an object", path)
    return where, domain, entry



#: Second-level labels under a two-letter country code that are public suffixes (co.jp, com.au, ne.jp...).
_COUNTRY_SLD = frozenset({"co", "com", "net", "org", "ne", "or", "ac", "go", "gov", "edu", "ad", "ed", "gr", "lg",
                          "ltd", "plc", "mil", "nom", "sch", "gob", "gouv", "nic", "gen", "biz", "info"})


def registrable(host: str) -> str:
    """The registrable domain of a host, by a small rule instead of the whole Public Suffix List:
    ``id.cisco.com`` → ``cisco.com``; ``a.example.co.jp`` → ``example.co.jp``."""
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in _COUNTRY_SLD:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def domain_label(host: str) -> str:
    """The brand label of a registrable domain (``epicgames.com`` → ``epicgames``), normalised for names."""
    return normalize_name(registrable(host).split(".", 1)[0])
