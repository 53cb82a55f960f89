"""Reading the personal catalog (``data/private/catalog.yaml``) and laying it over the merged catalog.

Hostile files are refused cheaply (:mod:`textguard`), dates stay text so a bad one is named, and every problem
is one :class:`CatalogError` line naming the file and, where known, the line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mfakit import config
from mfakit.catalog.model import CAPABILITIES, Fact, Service
from mfakit.catalog.normalize import host_of
from mfakit.catalog.personal_facts import FILE_NAME, ORIGIN, check_date, did_you_mean, parse_value, today
from mfakit.catalog.textguard import precheck_text
from mfakit.errors import CatalogError
from mfakit.fileio import NotRegularFile, read_regular

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_SERVICE_KEYS = {"id", "name", "domains", "aliases", "realm", "category", "supports", "key_only",
                 "backups_required", "notes"}


# --- where ------------------------------------------------------------------------------------------------

def personal_catalog_path() -> Path:
    """``$MFAKIT_PERSONAL_CATALOG`` (relative to the project root), else ``data/private/catalog.yaml``."""
    env = os.environ.get("MFAKIT_PERSONAL_CATALOG")
    if env:
        p = Path(env).expanduser()
        return p if p.is_absolute() else Path(config.PROJ_ROOT) / p
    configured = getattr(config, "PERSONAL_CATALOG", None)
    if configured:
        return Path(configured)
    return Path(config.PRIVATE_DIR) / FILE_NAME


def _resolve(path: Path | str | None) -> Path:
    if path is None:
        return personal_catalog_path()
    p = Path(path).expanduser()
    return p if p.is_absolute() else Path(config.PROJ_ROOT) / p


# --- reading ---------------------------------------------------------------------------------------------

_CONSTRUCTOR: Any = None


def _dates_as_text() -> Any:
    """A round-trip constructor (a subclass: add_constructor on ruamel's own class would change every loader)
    that keeps dates as text, validated by check_date with a clear message ("2024-06-31 is not a real date")."""
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        from ruamel.yaml.constructor import RoundTripConstructor

        class DatesAsText(RoundTripConstructor):  # type: ignore[misc]
            pass

        DatesAsText.add_constructor("tag:yaml.org,2002:timestamp",
                                    lambda c, node: c.construct_scalar(node))
        _CONSTRUCTOR = DatesAsText
    return _CONSTRUCTOR


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.Constructor = _dates_as_text()
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    return y


def _parse(text: str, path: Path) -> Any:
    from ruamel.yaml.error import YAMLError

    precheck_text(text, path)
    try:
        return _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogError(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None) from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise CatalogError(f"invalid YAML value: {str(exc).splitlines()[0][:120]}", path) from None


def _decode(raw: bytes, path: Path) -> str:
    if b"\x00" in raw:
        raise CatalogError("this is a binary file, not YAML", path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 text (byte {exc.start})", path) from None


def _line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def _services_node(doc: Any, path: Path) -> Any:
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise CatalogError("the personal catalog must be a mapping with 'version: 1' and a 'services' list", path)
    version = doc.get("version", 1)
    if version != 1 or isinstance(version, bool):
        raise CatalogError(f"unknown version {str(version)[:20]!r} (expected 1)", path)
    unknown = set(map(str, doc)) - {"version", "services"}
    if unknown:
        raise CatalogError(f"unknown top-level field {sorted(unknown)[0]!r} (allowed: version, services)", path)
    services = doc.get("services")
    if services is None:
        return []
    if not isinstance(services, list):
        raise CatalogError("'services' must be a list", path)
    return services


def _fact(raw: Any, key: str, where: str, path: Path, line: int | None) -> Fact:
    if not isinstance(raw, dict) or "value" not in raw or set(map(str, raw)) - {"value", "source", "as_of"}:
        raise CatalogError(f"{where}: {key}: write it as {{value: ..., source: ..., as_of: YYYY-MM-DD}}", path, line)
    source = raw.get("source") or f"you, {raw.get('as_of') or today()}"
    if not isinstance(source, str):
        raise CatalogError(f"{where}: {key}: source must be text", path, line)
    try:
        value = parse_value(key, raw["value"])
        as_of = check_date(raw.get("as_of") or today(), f"{key}.as_of")
    except CatalogError as exc:
        raise CatalogError(f"{where}: {exc.message}", path, line) from None
    return Fact(value, " ".join(source.split()), as_of, ORIGIN)


def _str_list(raw: Any, field: str, where: str, path: Path, line: int | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise CatalogError(f"{where}: {field} must be a list of text", path, line)
    return tuple(" ".join(x.split()) for x in raw)


def entry_to_service(raw: Any, path: Path) -> Service:
    """One validated entry of the personal file → a Service holding only personal facts (origin personal)."""
    line = _line(raw)
    if not isinstance(raw, dict):
        raise CatalogError("each entry of 'services' must be a mapping", path, line)
    sid = raw.get("id")
    if not isinstance(sid, str) or not _ID_RE.match(sid) or len(sid) > 100:
        raise CatalogError("a service needs an 'id' of lower-case letters, digits, dots and dashes", path, line)
    where = f"service {sid!r}"
    unknown = set(map(str, raw)) - _SERVICE_KEYS
    if unknown:
        field = sorted(unknown)[0]
        raise CatalogError(f"{where}: unknown field {field!r}{did_you_mean(field, _SERVICE_KEYS)}", path, line)
    name = raw.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise CatalogError(f"{where}: name must be text", path, line)
    domains = []
    for d in _str_list(raw.get("domains"), "domains", where, path, line):
        host = host_of(d)
        if host is None:
            raise CatalogError(f"{where}: {d[:60]!r} is not a domain name", path, line)
        domains.append(host)
    supports: dict[str, Fact] = {}
    sup = raw.get("supports") or {}
    if not isinstance(sup, dict):
        raise CatalogError(f"{where}: supports must be a mapping of capability to a fact", path, line)
    for cap, fraw in sup.items():
        if cap not in CAPABILITIES:
            raise CatalogError(f"{where}: unknown capability {str(cap)[:40]!r}{did_you_mean(str(cap), CAPABILITIES)}",
                               path, _line(sup) or line)
        supports[str(cap)] = _fact(fraw, f"supports.{cap}", where, path, line)
    key_only = _fact(raw["key_only"], "key_only", where, path, line) if raw.get("key_only") is not None else None
    backups = (_fact(raw["backups_required"], "backups_required", where, path, line)
               if raw.get("backups_required") is not None else None)
    notes = _fact(raw["notes"], "notes", where, path, line) if raw.get("notes") is not None else None
    realm = raw.get("realm")
    if realm is not None and not isinstance(realm, str):
        raise CatalogError(f"{where}: realm must be a short region code such as jp", path, line)
    svc = Service(id=sid, name=(name or "").strip() or sid, domains=tuple(dict.fromkeys(domains)),
                  aliases=_str_list(raw.get("aliases"), "aliases", where, path, line),
                  category=str(raw.get("category") or ""), realm=realm, supports=supports, key_only=key_only,
                  backups_required=backups, notes=notes.value if notes else "", origin=ORIGIN)
    if notes is not None:
        svc.extra["notes"] = notes
    return svc


def read_personal(path: Path | str | None = None) -> list[Service]:
    """The personal layer's services (empty when the file does not exist); a bad file → one-line CatalogError."""
    p = _resolve(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise CatalogError(f"cannot read the personal catalog ({exc.strerror or exc})", p) from None
    if size > 1024 * 1024:
        raise CatalogError(f"the personal catalog is too large ({size} bytes; the limit is 1 MiB)", p)
    try:
        raw = read_regular(p, 1024 * 1024)
    except NotRegularFile as exc:
        raise CatalogError(f"the personal catalog is {exc.strerror}", p) from None
    except OSError as exc:
        raise CatalogError(f"cannot read the personal catalog ({exc.strerror or exc})", p) from None
    doc = _parse(_decode(raw, p), p)
    out: list[Service] = []
    seen: set[str] = set()
    for entry in _services_node(doc, p):
        svc = entry_to_service(entry, p)
        if svc.id in seen:
            raise CatalogError(f"service {svc.id!r} appears twice", p, _line(entry))
        seen.add(svc.id)
        out.append(svc)
    return out


# --- laying the layer over the catalog -------------------------------------------------------------------

def _set_fact(target: Service, key: str, fact: Fact) -> None:
    if key.startswith("supports."):
        old = target.supports.get(key[9:])
        target.supports[key[9:]] = fact
    elif key == "key_only":
        old, target.key_only = target.key_only, fact
    elif key == "backups_required":
        old, target.backups_required = target.backups_required, fact
    else:  # notes
        old = target.extra.get("notes") if target.extra.get("notes") else (
            Fact(target.notes, "", "", target.origin) if target.notes else None)
        target.notes = fact.value
    if old is not None:
        target.personal_overrides[key] = old


def _take_domains(services: dict[str, Service], sid: str, domains: tuple[str, ...]) -> None:
    """Your domains are yours: another service listing one of them loses it (your word beats a catalog's)."""
    mine = set(domains)
    for other in services.values():
        if other.id != sid and mine.intersection(other.domains):
            other.domains = tuple(d for d in other.domains if d not in mine)


def apply_personal(services: dict[str, Service], personal: list[Service]) -> list[str]:
    """Lay personal facts over merged services (mutating them); new services are added. Returns the ids touched."""
    touched: list[str] = []
    by_domain: dict[str, str] | None = None
    for p in personal:
        target = services.get(p.id)
        if target is None and p.domains and p.name == p.id:
            # facts about a public-catalog service whose id changed with a refresh: find it by its domain
            if by_domain is None:
                by_domain = {d: s.id for s in services.values() for d in s.domains}
            owner = by_domain.get(p.domains[0])
            target = services.get(owner) if owner else None
        if target is None:
            _take_domains(services, p.id, p.domains)
            services[p.id] = p
            touched.append(p.id)
            continue
        for cap, fact in p.supports.items():
            _set_fact(target, f"supports.{cap}", fact)
        if p.key_only is not None:
            _set_fact(target, "key_only", p.key_only)
        if p.backups_required is not None:
            _set_fact(target, "backups_required", p.backups_required)
        if "notes" in p.extra:
            _set_fact(target, "notes", p.extra["notes"])
        if p.domains:
            _take_domains(services, p.id, p.domains)
            target.domains = tuple(dict.fromkeys([*p.domains, *target.domains]))
        if p.aliases:
            target.aliases = tuple(dict.fromkeys([*target.aliases, *p.aliases]))
        touched.append(p.id)
    return touched
