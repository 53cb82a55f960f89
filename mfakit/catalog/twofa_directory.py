"""Importer for the 2fa.directory API (v3 ``all.json``: ``[name, entry]`` pairs; v4 ``all.json``: keyed by domain).

What a 2fa.directory entry says, as facts with origin ``2fa.directory``:
- ``tfa``/``methods`` lists the second factors a site offers, so ``totp``, ``sms``, ``email`` and ``u2f``
  (a FIDO/WebAuthn security key *as a second factor*) become True when listed and False when not;
- a site without 2FA (``contact`` in v3, ``{}`` in v4) gets all four False;
- ``custom-software``/``custom-hardware``, ``documentation``, ``recovery``, ``notes``, ``regions`` are kept as
  extra facts. Push and passkeys are not 2fa.directory's subject (left unknown), and ``key_only`` is never
  derived from a public catalog (only the curated layer can say it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mfakit.catalog.model import Fact, Service
from mfakit.catalog.normalize import domain_entry, domain_label, host_of, registrable, slug
from mfakit.errors import CatalogError

ORIGIN = "2fa.directory"
CATALOG_URL = "https://2fa.directory/"
_METHODS = {"totp": "totp", "sms": "sms", "email": "email", "u2f": "security_key"}
KNOWN_METHODS = {"sms", "call", "email", "totp", "u2f", "custom-software", "custom-hardware"}


def _str_list(path: Path, where: str, field: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise CatalogError(f"{where}: '{field}' must be a list of strings", path)
    return list(value)


def _opt_str(path: Path, where: str, field: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CatalogError(f"{where}: '{field}' must be a string", path)
    return value


def _source(doc: str | None) -> str:
    return doc if doc and doc.startswith(("https://", "http://")) else CATALOG_URL


def entry_to_service(path: Path, where: str, name: str, domain: str, entry: dict[str, Any],
                     methods_field: str, as_of: str) -> Service:
    """One 2fa.directory entry → a Service whose every fact has origin 2fa.directory."""
    doc = _opt_str(path, where, "documentation", entry.get("documentation"))
    src = _source(doc)
    methods = _str_list(path, where, methods_field, entry.get(methods_field))
    has_2fa = methods_field in entry
    supports: dict[str, Fact] = {}
    if has_2fa or "contact" in entry or not (entry.keys() - {"additional-domains"}):
        for method, cap in _METHODS.items():
            supports[cap] = Fact(method in methods, src, as_of, ORIGIN)
    extra: dict[str, Fact] = {}
    if "call" in methods:
        extra["voice_call"] = Fact(True, src, as_of, ORIGIN)
    for field in ("custom-software", "custom-hardware", "regions"):
        items = _str_list(path, where, field, entry.get(field))
        if items:
            extra[field] = Fact(items, src, as_of, ORIGIN)
    for field in ("documentation", "recovery", "notes"):
        text = _opt_str(path, where, field, entry.get(field))
        if text:
            extra[field] = Fact(text, src if field == "notes" else text, as_of, ORIGIN)
    if not has_2fa:
        extra["no_2fa"] = Fact(True, src, as_of, ORIGIN)
    categories = _str_list(path, where, "categories", entry.get("categories", entry.get("keywords")))
    more = [d.lower() for d in _str_list(path, where, "additional-domains", entry.get("additional-domains"))]
    domains = tuple(dict.fromkeys([domain, *(d for d in more if host_of(d))]))
    return Service(id=slug(name) or domain, name=name, domains=domains, category=categories[0] if categories else "",
                   supports=supports, notes=extra["notes"].value if "notes" in extra else "", extra=extra,
                   origin=ORIGIN)


def parse_v3(data: Any, path: Path, as_of: str) -> list[Service]:
    """API v3 ``all.json``: a list of ``[name, entry]`` pairs."""
    if not isinstance(data, list):
        raise CatalogError("2fa.directory API v3 file must be a JSON array of [name, entry] pairs", path)
    out: list[Service] = []
    for i, pair in enumerate(data):
        where = f"entry {i + 1}"
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], dict)):
            raise CatalogError(f"{where}: expected a [name, entry] pair", path)
        name, entry = pair
        where = f"entry {i + 1} ({name[:60]!r})"
        domain = host_of(entry.get("domain")) if isinstance(entry.get("domain"), str) else None
        if domain is None:
            raise CatalogError(f"{where}: 'domain' is missing or not a domain name", path)
        out.append(entry_to_service(path, where, name.strip() or domain, domain, entry, "tfa", as_of))
    return out


def _group_v4(entries: dict[str, tuple[str, dict[str, Any]]]) -> list[list[str]]:
    """Group API v4 keys that are one service (v4 repeats a service under each additional domain).

    Keys with identical entries belong together when the entry carries a documentation or recovery URL (the
    same help page means the same service) or when they share a brand label (``raisin.com``/``raisin.nl``).
    Entries without 2FA (``{}``) and bare method lists are too common to prove anything beyond the label, and an
    empty entry proves nothing for a subdomain host: it stays alone.
    """
    import json

    by_value: dict[str, list[str]] = {}
    for key, (_where, entry) in entries.items():
        by_value.setdefault(json.dumps(entry, sort_keys=True), []).append(key)
    groups: list[list[str]] = []
    for text, keys in by_value.items():
        entry = entries[keys[0]][1]
        if len(keys) > 1 and (entry.get("documentation") or entry.get("recovery")):
            groups.append(keys)
            continue
        by_label: dict[str, list[str]] = {}
        for k in keys:
            if not entry and registrable(k) != k:  # an empty entry's subdomain (network.mobile.rakuten.co.jp:
                groups.append([k])                 # Rakuten Mobile, Japan) is no proof of rakuten.com's service
                continue
            by_label.setdefault(domain_label(k), []).append(k)
        groups.extend(by_label.values())
    return groups


def _primary(keys: list[str], entry: dict[str, Any]) -> str:
    """The group's main domain: the one whose brand label is the documentation host's, else a registrable
    .com, else the shortest registrable domain."""
    if len(keys) == 1:
        return keys[0]
    doc_host = host_of(entry.get("documentation") or entry.get("recovery") or "")
    doc_label = domain_label(doc_host) if doc_host else ""

    def rank(k: str) -> tuple[int, int, int, int, str]:
        return (0 if doc_label and domain_label(k) == doc_label else 1, 0 if registrable(k) == k else 1,
                0 if k.endswith(".com") else 1, len(k), k)

    return min(keys, key=rank)


def parse_v4(data: Any, path: Path, as_of: str) -> list[Service]:
    """API v4 ``all.json``: an object keyed by domain with ``methods``; no names, and every additional domain
    repeated as its own key. Keys of one service are grouped into one Service named by its main domain."""
    if not isinstance(data, dict):
        raise CatalogError("2fa.directory API v4 file must be a JSON object keyed by domain", path)
    entries: dict[str, tuple[str, dict[str, Any]]] = {}
    for key, entry in data.items():
        where, domain, entry = domain_entry(path, key, entry)
        entries.setdefault(domain, (where, entry))
    out: list[Service] = []
    for keys in _group_v4(entries):
        where, entry = entries[keys[0]]
        main = _primary(keys, entry)
        merged = dict(entry)
        if len(keys) > 1:
            merged["additional-domains"] = [k for k in keys if k != main]
        out.append(entry_to_service(path, entries[main][0], main, main, merged, "methods", as_of))
    return out
