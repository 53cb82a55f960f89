"""The catalog as the rest of the kit sees it: curated services with the imported public-catalog layer beneath.

Merging is per fact: a curated fact always wins; an imported fact fills a gap (the first public catalog to say
it wins, 2fa.directory before the passkeys directory); an imported fact that disagrees with a curated one is
kept in ``Service.overridden`` for provenance. An imported entry joins the service that owns its domain (or a
parent domain); its other domains join too unless another service owns them, so realms stay apart
(2fa.directory lists amazon.co.jp under Amazon, but the curated ``amazon-jp`` keeps it).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from mfakit.catalog.curated import load_curated
from mfakit.catalog.layer import layer_path, layer_services, read_layer
from mfakit.catalog.matching import MatchIndex
from mfakit.catalog.model import Match, Service
from mfakit.catalog.normalize import host_of, normalize_name, parent_domains
from mfakit.errors import CatalogError


@dataclass
class MergeStats:
    """What laying the curated catalog over the imported one did."""

    imported_entries: int = 0
    merged_into_curated: set[str] = field(default_factory=set)
    new_services: list[str] = field(default_factory=list)
    #: service id → fact keys ("supports.security_key") where a curated fact overrode a different imported one
    curated_overrides: dict[str, list[str]] = field(default_factory=dict)
    #: ids of the services your personal layer touched or added
    personal: list[str] = field(default_factory=list)


def _owner(owners: dict[str, str], host: str) -> str | None:
    for d in parent_domains(host):
        sid = owners.get(d)
        if sid is not None:
            return sid
    return None


def _unique_id(services: dict[str, Service], svc: Service) -> str:
    for candidate in (svc.id, svc.domains[0] if svc.domains else "", f"{svc.id}-{svc.origin}"):
        if candidate and candidate not in services:
            return candidate
    n = 2
    while f"{svc.id}-{n}" in services:
        n += 1
    return f"{svc.id}-{n}"


def _absorb(target: Service, imp: Service, owners: dict[str, str], stats: MergeStats,
            facts: bool = True) -> list[str]:
    """Fold one imported entry into an existing service, per fact, curated first.

    ``facts=False`` (an entry that joined through a parent domain, e.g. azure.microsoft.com → microsoft) adds
    only its domains and name: its facts describe a sub-product and must not fill the service's gaps.
    """
    if not facts:
        imp_supports: dict[str, Any] = {}
    else:
        imp_supports = imp.supports
    for cap, fact in imp_supports.items():
        have = target.supports.get(cap)
        if have is None:
            target.supports[cap] = fact
        elif have.origin == "curated" and have.value != fact.value:
            target.overridden.setdefault(f"supports.{cap}", fact)
            keys = stats.curated_overrides.setdefault(target.id, [])
            if f"supports.{cap}" not in keys:
                keys.append(f"supports.{cap}")
    for key, fact in (imp.extra.items() if facts else ()):
        target.extra.setdefault(key, fact)
    new_domains = [d for d in imp.domains if d not in owners]
    if new_domains:
        target.domains = tuple(dict.fromkeys([*target.domains, *new_domains]))
        for d in new_domains:
            owners[d] = target.id
    if host_of(imp.name) is None:  # a real name, not a domain used as the name
        key = normalize_name(imp.name)
        known = {normalize_name(t) for t in (target.name, target.id, *target.aliases)}
        if key and key not in known:
            target.aliases = (*target.aliases, imp.name)
    if not target.category and imp.category:
        target.category = imp.category
    if facts and not target.notes and imp.notes and target.origin != "curated":
        target.notes = imp.notes
    return new_domains


def merge(curated: Iterable[Service], imported: Iterable[Service]) -> tuple[dict[str, Service], MergeStats]:
    """Lay curated services over imported ones; returns the services by id and what happened."""
    services: dict[str, Service] = {}
    owners: dict[str, str] = {}
    borrowed: set[str] = set()  # domains a service gained through a parent-domain join
    stats = MergeStats()
    for svc in curated:
        services[svc.id] = svc
        for d in svc.domains:
            owners.setdefault(d, svc.id)
    for imp in imported:
        stats.imported_entries += 1
        primary = imp.domains[0] if imp.domains else ""
        sid = _owner(owners, primary) if primary else None
        if sid is not None:
            target = services[sid]
            if target.origin == "curated":
                stats.merged_into_curated.add(sid)
            exact = primary in owners and primary not in borrowed
            added = _absorb(target, imp, owners, stats, facts=exact)
            if not exact:
                borrowed.update(added)
            continue
        imp.id = _unique_id(services, imp)
        imp.domains = tuple(d for d in imp.domains if d not in owners)
        services[imp.id] = imp
        stats.new_services.append(imp.id)
        for d in imp.domains:
            owners[d] = imp.id
    return services, stats


class Catalog:
    """Services by id, with matching. Build it with :func:`load_catalog`."""

    def __init__(self, services: dict[str, Service], sources: dict[str, Any] | None = None,
                 stats: MergeStats | None = None) -> None:
        self.services = services
        self.sources = sources or {}
        self.stats = stats or MergeStats()
        self._index: MatchIndex | None = None

    def __len__(self) -> int:
        return len(self.services)

    def __repr__(self) -> str:
        curated = sum(1 for s in self.services.values() if s.origin == "curated")
        return f"Catalog({len(self.services)} services, {curated} curated)"

    @property
    def index(self) -> MatchIndex:
        if self._index is None:
            self._index = MatchIndex(self.services.values())
        return self._index

    def get(self, service_id: str) -> Service | None:
        """The service with this id (exact, else case-insensitive), or None."""
        svc = self.services.get(service_id)
        if svc is None and isinstance(service_id, str):
            sid = self.index.by_id.get(service_id.lower())
            svc = self.services.get(sid) if sid else None
        return svc

    def match(self, name: str | None, domain: str | None = None, account: str | None = None) -> Match:
        """Match an account to a service by id, domain, name or alias; not certain → ``service`` is None."""
        return self.index.match(name, domain=domain, account=account)

    def find(self, query: str, domain: str | None = None) -> Service:
        """The one service a user meant (CLI): an exact id first, else a certain match; else CatalogError."""
        text = (query or "").strip()
        if text in self.services:
            return self.services[text]
        m = self.match(text, domain=domain)
        if m.service is not None:
            return m.service
        if m.candidates:
            raise CatalogError(f"{query!r} is not certain: it could be {', '.join(m.candidates)} (give the id)")
        raise CatalogError(f"no service in the catalog matches {query!r}{self.suggest(text)}")

    def suggest(self, text: str) -> str:
        """`` (did you mean 'a' or 'b'?)`` from close ids and names, or '' (quoted as :mod:`mfakit.suggest` does)."""
        import difflib

        key = normalize_name(text)
        names: dict[str, str] = {}
        for svc in self.services.values():
            for label in (svc.id, svc.name):
                names.setdefault(normalize_name(label), svc.id)
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.75) if key else []
        ids = list(dict.fromkeys(names[c] for c in close))
        from mfakit.safe import plain

        return f" (did you mean {' or '.join(repr(plain(i)) for i in ids)}?)" if ids else ""


def load_catalog(include_imported: bool = True, catalog_dir: Path | None = None,
                 curated_path: Path | None = None, include_personal: bool = True,
                 personal_path: Path | None = None) -> Catalog:
    """Your personal facts over the curated catalog over the imported layer (``CATALOG_DIR/imported.json``).

    Each layer is read when present and asked for; the personal layer is ``data/private/catalog.yaml``
    (see :mod:`mfakit.catalog.personal`), so a fresh load always reflects ``set_facts``.
    """
    curated = load_curated(curated_path)
    sources: dict[str, Any] = {}
    imported: list[Service] = []
    gc_was_on = gc.isenabled()
    gc.disable()  # tens of thousands of small objects, no cycles: collection passes only cost time
    try:
        if include_imported:
            path = layer_path(catalog_dir)
            doc = read_layer(path)
            if doc is not None:
                imported = layer_services(doc, path)
                sources = doc.get("sources") or {}
        services, stats = merge(curated, imported)
    finally:
        if gc_was_on:
            gc.enable()
    if include_personal:
        from mfakit.catalog.personal import apply_personal, read_personal

        personal = read_personal(personal_path)
        if personal:
            stats.personal = apply_personal(services, personal)
    return Catalog(services, sources, stats)
