"""The curated catalog shipped with the kit: ``curated.yaml`` (human-edited) → validated ``Service`` objects.

Every fact carries a source and an as-of date: a service gives a default ``source`` / ``as_of``, and any fact
may override them by being written as ``{value: ..., source: ..., as_of: ...}``. Parsing YAML in pure Python
is slow for the CLI's start-up budget, so the parsed document is cached as JSON (``curated.json`` beside the
YAML, else in ``CATALOG_DIR``), keyed by the YAML's SHA-256: an edited YAML is re-read automatically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from mfakit import config
from mfakit.catalog.model import CAPABILITIES, Fact, Service
from mfakit.errors import CatalogError

KEY_ONLY_VALUES = ("yes", "no", "unknown")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SERVICE_KEYS = {"id", "name", "domains", "aliases", "category", "realm", "source", "as_of", "supports",
                 "key_only", "backups_required", "notes", "links"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CACHE_VERSION = 1


def _parse_yaml(path: Path, text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from mfakit.catalog.textguard import precheck_text

    precheck_text(text, path)
    try:
        return YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogError(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None) from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:  # e.g. a timestamp like 2026-02-30
        raise CatalogError(f"invalid YAML value: {str(exc).splitlines()[0][:120]}", path) from None


def _to_jsonable(obj: Any) -> Any:
    """Dates → ISO strings so the parsed YAML can be cached as JSON."""
    if isinstance(obj, dict):
        return {str(k): _to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_jsonable(v) for v in obj]
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()[:10]
    return obj


def _cache_paths(path: Path) -> list[Path]:
    return [path.with_suffix(".json"), config.CATALOG_DIR / "curated.cache.json"]


def read_document(path: Path) -> Any:
    """The parsed curated YAML (as JSON-able data), from the JSON cache when it matches the YAML's hash."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the curated catalog ({exc.strerror or exc})", path) from None
    digest = hashlib.sha256(raw).hexdigest()
    for cache in _cache_paths(path):
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(cached, dict) and cached.get("sha256") == digest and cached.get("version") == CACHE_VERSION:
            return cached.get("document")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 text (byte {exc.start})", path) from None
    document = _to_jsonable(_parse_yaml(path, text))
    write_cache(path, document, digest)
    return document


def write_cache(path: Path, document: Any, digest: str | None = None) -> Path | None:
    """Write the JSON cache beside the YAML (or in CATALOG_DIR when the package is read-only)."""
    from mfakit.fileio import atomic_write as atomic_write_text

    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    payload = json.dumps({"version": CACHE_VERSION, "sha256": digest, "document": document},
                         ensure_ascii=False, separators=(",", ":"))
    for cache in _cache_paths(path):
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(cache, payload)
            return cache
        except (OSError, Exception):  # noqa: BLE001 - a cache is optional; any failure means "no cache"
            continue
    return None


class _Ctx:
    """Where we are while validating: file, service id, and the line of the service in the YAML text."""

    def __init__(self, path: Path, lines: dict[str, int]) -> None:
        self.path, self.lines, self.sid = path, lines, "?"

    def error(self, field: str, problem: str) -> CatalogError:
        return CatalogError(f"service '{self.sid}': field '{field}': {problem}", self.path, self.lines.get(self.sid))


def _service_lines(path: Path) -> dict[str, int]:
    """Line number of each ``- id: x`` (only read when reporting an error)."""
    lines: dict[str, int] = {}
    try:
        for no, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            m = re.match(r"^\s*-\s*id:\s*['\"]?([^'\"#\s]+)", line)
            if m:
                lines.setdefault(m.group(1), no)
    except OSError:
        pass
    return lines


def _date(ctx: _Ctx, field: str, value: Any) -> str:
    text = str(value)
    if not _DATE_RE.match(text):
        raise ctx.error(field, f"as_of must be a date YYYY-MM-DD, not {text!r}")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ctx.error(field, f"as_of is not a real date: {text!r}") from None
    return text


def _fact(ctx: _Ctx, field: str, raw: Any, default_source: str | None, default_as_of: str | None) -> Fact:
    """A fact from a bare value (service defaults) or from ``{value, source, as_of}``."""
    source, as_of = default_source, default_as_of
    if isinstance(raw, dict):
        unknown = set(raw) - {"value", "source", "as_of"}
        if unknown or "value" not in raw:
            raise ctx.error(field, "a fact written as a mapping needs 'value' and may have only 'source' and 'as_of'")
        source = raw.get("source", source)
        as_of = raw.get("as_of", as_of)
        raw = raw["value"]
    if not source or not isinstance(source, str):
        raise ctx.error(field, "no source (give the service a 'source' or the fact its own)")
    if as_of is None:
        raise ctx.error(field, "no as_of date (give the service an 'as_of' or the fact its own)")
    return Fact(raw, source.strip(), _date(ctx, field, as_of), "curated")


def _str_list(ctx: _Ctx, field: str, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ctx.error(field, "must be a list of non-empty strings")
    return tuple(x.strip() for x in raw)


def _service(ctx: _Ctx, raw: Any) -> Service:
    if not isinstance(raw, dict):
        raise CatalogError("each entry of 'services' must be a mapping", ctx.path)
    sid = raw.get("id")
    ctx.sid = str(sid)
    if not isinstance(sid, str) or not _ID_RE.match(sid):
        raise ctx.error("id", "must be lower-case letters, digits and dashes")
    unknown = set(raw) - _SERVICE_KEYS
    if unknown:
        raise ctx.error(sorted(unknown)[0], f"unknown field (allowed: {', '.join(sorted(_SERVICE_KEYS))})")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ctx.error("name", "required, a non-empty string")
    src, as_of = raw.get("source"), raw.get("as_of")
    if src is not None and not isinstance(src, str):
        raise ctx.error("source", "must be a URL or a short citation")
    domains = tuple(d.lower() for d in _str_list(ctx, "domains", raw.get("domains")))
    supports_raw = raw.get("supports") or {}
    if not isinstance(supports_raw, dict):
        raise ctx.error("supports", f"must be a mapping of {', '.join(CAPABILITIES)} to true/false")
    supports: dict[str, Fact] = {}
    for cap, val in supports_raw.items():
        if cap not in CAPABILITIES:
            raise ctx.error(f"supports.{cap}", f"unknown capability (allowed: {', '.join(CAPABILITIES)})")
        fact = _fact(ctx, f"supports.{cap}", val, src, as_of)
        if fact.value is None:
            continue  # explicitly unknown
        if not isinstance(fact.value, bool):
            raise ctx.error(f"supports.{cap}", "must be true, false or null (unknown)")
        supports[cap] = fact
    key_only = None
    if raw.get("key_only") is not None:
        key_only = _fact(ctx, "key_only", raw["key_only"], src, as_of)
        value = {True: "yes", False: "no"}.get(key_only.value, key_only.value)
        if value not in KEY_ONLY_VALUES:
            raise ctx.error("key_only", "must be yes, no or unknown")
        key_only = Fact(value, key_only.source, key_only.as_of, "curated")
    backups = None
    if raw.get("backups_required") is not None:
        backups = _fact(ctx, "backups_required", raw["backups_required"], src, as_of)
        backups = Fact(list(_str_list(ctx, "backups_required", backups.value)), backups.source, backups.as_of)
    extra: dict[str, Fact] = {}
    links = raw.get("links") or {}
    if not isinstance(links, dict):
        raise ctx.error("links", "must be a mapping of a label to a URL")
    for label, url in links.items():
        fact = _fact(ctx, f"links.{label}", url, src, as_of)
        if not isinstance(fact.value, str):
            raise ctx.error(f"links.{label}", "must be a URL")
        extra[str(label)] = fact
    realm = raw.get("realm")
    if realm is not None and not isinstance(realm, str):
        raise ctx.error("realm", "must be a short region code such as jp")
    notes = raw.get("notes") or ""
    if not isinstance(notes, str):
        raise ctx.error("notes", "must be text")
    category = raw.get("category") or ""
    if not isinstance(category, str):
        raise ctx.error("category", "must be text")
    return Service(id=sid, name=name.strip(), domains=domains, aliases=_str_list(ctx, "aliases", raw.get("aliases")),
                   category=category, realm=realm, supports=supports, key_only=key_only,
                   backups_required=backups, notes=" ".join(notes.split()), extra=extra, origin="curated")


def services_from_document(document: Any, path: Path) -> list[Service]:
    """Validate the parsed curated document; a problem → CatalogError naming the file, line, service and field."""
    if not isinstance(document, dict) or not isinstance(document.get("services"), list):
        raise CatalogError("the curated catalog must be a mapping with a 'services' list", path)
    ctx = _Ctx(path, {})
    out: list[Service] = []
    seen: set[str] = set()
    try:
        for raw in document["services"]:
            svc = _service(ctx, raw)
            if svc.id in seen:
                raise ctx.error("id", "duplicate id")
            seen.add(svc.id)
            out.append(svc)
    except CatalogError as exc:
        if exc.line is None and ctx.sid != "?":  # add the line only when reporting
            ctx.lines = _service_lines(path)
            raise CatalogError(exc.message, path, ctx.lines.get(ctx.sid)) from None
        raise
    return out


def load_curated(path: Path | None = None) -> list[Service]:
    """The curated services, validated (fast: from the JSON cache when the YAML is unchanged)."""
    path = Path(path) if path is not None else config.CURATED_CATALOG
    return services_from_document(read_document(path), path)


if __name__ == "__main__":  # regenerate the shipped cache: python -m mfakit.catalog.curated
    doc = _to_jsonable(_parse_yaml(config.CURATED_CATALOG, config.CURATED_CATALOG.read_text(encoding="utf-8")))
    services_from_document(doc, config.CURATED_CATALOG)
    print(write_cache(config.CURATED_CATALOG, doc))
