"""``mfakit catalog refresh``: import public API files into the local layer and summarise what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from mfakit.catalog.catalog import merge
from mfakit.catalog.curated import load_curated
from mfakit.catalog.layer import (KINDS, check_date, layer_path, layer_services, read_catalog_file, read_layer,
                                  write_layer)
from mfakit.catalog.model import Service
from mfakit.errors import CatalogError


@dataclass
class RefreshSummary:
    """What a refresh imported and how it sits under the curated catalog."""

    layer: str
    files: list[dict[str, Any]] = field(default_factory=list)
    entries_per_source: dict[str, int] = field(default_factory=dict)
    services_total: int = 0
    curated_services: int = 0
    imported_only_services: int = 0
    merged_into_curated: list[str] = field(default_factory=list)
    #: services that the catalog did not have before this refresh
    new_services: list[str] = field(default_factory=list)
    curated_overrides: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _previous(path: Path) -> tuple[dict[str, Any], dict[str, list[Service]]]:
    """The existing layer's sources and services by kind (a damaged layer is simply replaced)."""
    try:
        doc = read_layer(path)
    except CatalogError:
        return {}, {}
    if doc is None:
        return {}, {}
    by_kind: dict[str, list[Service]] = {}
    for kind in KINDS:
        sub = {"services": {kind: doc["services"].get(kind, [])}}
        try:
            by_kind[kind] = layer_services(sub, path)
        except CatalogError:
            return {}, {}
    return dict(doc.get("sources") or {}), by_kind


def refresh(files: list[Path], as_of: str | None = None, catalog_dir: Path | None = None,
            progress: Callable[[str], None] | None = None) -> RefreshSummary:
    """Import each file (kind detected from its content), keep other kinds from the old layer, write atomically.

    Every file is read and checked before anything is written: one bad file → CatalogError, old layer intact.
    """
    if not files:
        raise CatalogError("give at least one catalog file (2fa.directory API v3/v4 or passkeys directory API v1)")
    if as_of is not None:
        check_date(as_of)
    path = layer_path(catalog_dir)
    sources, by_kind = _previous(path)
    curated = load_curated()
    # merge() mutates the imported services it is given: work out "before" on a separate copy
    _, before_copy = _previous(path)
    before_ids = set(merge(load_curated(), [s for k in KINDS for s in before_copy.get(k, [])])[0])
    summary = RefreshSummary(layer=str(path))
    seen_kinds: set[str] = set()
    for file in files:
        if progress:
            progress(f"reading {file}")
        kind, services, date = read_catalog_file(Path(file), as_of)
        if kind in seen_kinds:
            raise CatalogError(f"a second {kind} file was given; give one file per catalog", file)
        seen_kinds.add(kind)
        by_kind[kind] = services
        origin = KINDS[kind][1]
        sources[kind] = {"file": str(file), "origin": origin, "entries": len(services), "as_of": date}
        summary.files.append({"file": str(file), "kind": kind, "entries": len(services), "as_of": date})
    if progress:
        progress("merging with the curated catalog")
    ordered = [s for k in KINDS for s in by_kind.get(k, [])]
    # merge() mutates imported services (ids, domains): write the layer first
    write_layer(path, sources, {k: v for k, v in by_kind.items() if v})
    services, stats = merge(curated, ordered)
    for kind, info in sources.items():
        origin = info.get("origin", kind)
        summary.entries_per_source[origin] = summary.entries_per_source.get(origin, 0) + int(info.get("entries", 0))
    summary.services_total = len(services)
    summary.curated_services = sum(1 for s in services.values() if s.origin == "curated")
    summary.imported_only_services = len(stats.new_services)
    summary.merged_into_curated = sorted(stats.merged_into_curated)
    summary.new_services = sorted(set(services) - before_ids)
    summary.curated_overrides = {k: v for k, v in sorted(stats.curated_overrides.items())}
    return summary
