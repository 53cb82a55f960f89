"""Importer for the passkeys directory API v1 ``all.json`` (2factorauth/passkeys, CC BY 4.0).

An object keyed by domain. ``passwordless`` ("allowed"/"required") → passkey_login True, ``mfa`` → passkey_2fa
True; an entry with ``contact`` is a site listed as not supporting passkeys → both False. When only one of
``mfa``/``passwordless`` is given the other stays unknown: the API merges every 2fa.directory ``u2f`` site in as
``mfa: allowed`` without saying anything about passwordless sign-in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mfakit.catalog.model import Fact, Service
from mfakit.catalog.normalize import domain_entry, host_of, slug
from mfakit.errors import CatalogError

ORIGIN = "passkeys.directory"
CATALOG_URL = "https://passkeys.2fa.directory/"
_LEVELS = ("allowed", "required")


def _entry(path: Path, key: str, entry: Any, as_of: str) -> Service:
    where, domain, entry = domain_entry(path, key, entry)
    doc = entry.get("documentation")
    if doc is not None and not isinstance(doc, str):
        raise CatalogError(f"{where}: 'documentation' must be a string", path)
    src = doc if doc and doc.startswith(("https://", "http://")) else CATALOG_URL
    supports: dict[str, Fact] = {}
    extra: dict[str, Fact] = {}
    for field, cap in (("passwordless", "passkey_login"), ("mfa", "passkey_2fa")):
        level = entry.get(field)
        if level is None:
            continue
        if level not in _LEVELS:
            raise CatalogError(f"{where}: '{field}' must be 'allowed' or 'required'", path)
        supports[cap] = Fact(True, src, as_of, ORIGIN)
        extra[f"{cap}_level"] = Fact(level, src, as_of, ORIGIN)
    if "contact" in entry:
        if supports:
            raise CatalogError(f"{where}: an entry has either 'contact' or 'mfa'/'passwordless', not both", path)
        for cap in ("passkey_login", "passkey_2fa"):
            supports[cap] = Fact(False, src, as_of, ORIGIN)
    for field in ("documentation", "recovery", "notes"):
        value = entry.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise CatalogError(f"{where}: '{field}' must be a string", path)
        extra[f"passkeys_{field}"] = Fact(value, src if field == "notes" else value, as_of, ORIGIN)
    lists: dict[str, list[str]] = {}
    for field in ("regions", "additional-domains", "categories"):
        value = entry.get(field)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise CatalogError(f"{where}: '{field}' must be a list of strings", path)
        lists[field] = value
    if "regions" in lists:
        extra["passkeys_regions"] = Fact(lists["regions"], src, as_of, ORIGIN)
    more = [d.lower() for d in lists.get("additional-domains", []) if host_of(d)]
    cats = lists.get("categories", [])
    return Service(id=slug(domain) or domain, name=domain, domains=tuple(dict.fromkeys([domain, *more])),
                   category=cats[0] if cats else "", supports=supports, extra=extra, origin=ORIGIN)


def parse_v1(data: Any, path: Path, as_of: str) -> list[Service]:
    """API v1 ``all.json`` → one Service per domain key (merged into catalog services by domain later)."""
    if not isinstance(data, dict):
        raise CatalogError("passkeys directory API v1 file must be a JSON object keyed by domain", path)
    return [_entry(path, str(key), entry, as_of) for key, entry in data.items()]
