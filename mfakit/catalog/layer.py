"""The imported layer: public catalog files → ``CATALOG_DIR/imported.json`` and back.

The layer keeps each public catalog's services as imported (no curated data in it); the curated layer is laid
over it every time the catalog is loaded, so editing ``curated.yaml`` never needs a refresh.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from mfakit import config
from mfakit.catalog import passkeys_directory, twofa_directory
from mfakit.catalog.model import Fact, Service
from mfakit.catalog.textguard import precheck_text
from mfakit.errors import CatalogError
from mfakit.fileio import NotRegularFile, read_regular

LAYER_VERSION = 1
LAYER_NAME = "imported.json"
#: kind → (parser, origin); the order is the merge order (2fa.directory groups domains first).
KINDS: dict[str, tuple[Any, str]] = {
    "2fa.directory-v3": (twofa_directory.parse_v3, twofa_directory.ORIGIN),
    "2fa.directory-v4": (twofa_directory.parse_v4, twofa_directory.ORIGIN),
    "passkeys.directory-v1": (passkeys_directory.parse_v1, passkeys_directory.ORIGIN),
}
_PASSKEY_KEYS = {"mfa", "passwordless", "contact"}
_V4_KEYS = {"methods", "custom-software", "custom-hardware", "documentation", "recovery", "notes"}
MAX_FILE_BYTES = 64 * 1024 * 1024


def layer_path(catalog_dir: Path | None = None) -> Path:
    return Path(catalog_dir or config.CATALOG_DIR) / LAYER_NAME


def detect_kind(data: Any, path: Path) -> str:
    """Which public catalog a parsed file is, by its content."""
    if isinstance(data, list):
        return "2fa.directory-v3"
    if not isinstance(data, dict):
        raise CatalogError("not a 2fa.directory or passkeys-directory API file (expected a JSON array or object)",
                           path)
    if not data:
        raise CatalogError("the catalog file is empty (an empty JSON object)", path)
    if not all(isinstance(v, dict) for v in data.values()):
        raise CatalogError("not a known catalog: the values of the top-level object must be objects", path)
    passkeys = any(_PASSKEY_KEYS & v.keys() for v in data.values())
    v4 = any("methods" in v for v in data.values())
    if passkeys and v4:
        raise CatalogError("the file mixes 2fa.directory 'methods' and passkeys 'mfa'/'passwordless' entries", path)
    if passkeys:
        return "passkeys.directory-v1"
    if v4 or all(v.keys() <= _V4_KEYS for v in data.values()):
        return "2fa.directory-v4"
    raise CatalogError("cannot tell which catalog this is (no 'methods', 'mfa', 'passwordless' or 'contact')", path)


def check_date(text: str, what: str = "--as-of") -> str:
    """A real ``YYYY-MM-DD`` date or a one-line CatalogError (one rule for every catalog layer)."""
    from mfakit.catalog.personal_facts import check_date as _check

    return _check(text or "", what)


def read_catalog_file(path: Path, as_of: str | None = None) -> tuple[str, list[Service], str]:
    """Parse one public API file → (kind, services, as_of). as_of defaults to the file's modification date."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogError(f"file is too large ({size} bytes)", path)
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile as exc:
        raise CatalogError(str(exc.strerror), path) from None
    except FileNotFoundError:
        raise CatalogError("file not found", path) from None
    except IsADirectoryError:
        raise CatalogError("is a directory, not a catalog file", path) from None
    except OSError as exc:
        raise CatalogError(f"cannot read the file ({exc.strerror or exc})", path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 text (byte {exc.start})", path) from None
    precheck_text(text, path, block=False)  # a 5000-digit number or 100,000 nested brackets: refused in linear time
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", path, exc.lineno) \
            from None
    except RecursionError:
        raise CatalogError("JSON nested too deeply", path) from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise CatalogError(f"invalid JSON value: {str(exc).splitlines()[0][:100]}", path) from None
    if as_of is None:
        as_of = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc).date().isoformat()
    else:
        as_of = check_date(as_of)
    kind = detect_kind(data, path)
    parser = KINDS[kind][0]
    return kind, parser(data, path, as_of), as_of


# --- JSON (de)serialisation of imported services -------------------------------------------------------------

def service_to_json(svc: Service) -> dict[str, Any]:
    """Compact JSON for a Service of one imported origin (facts as [value, source, as_of])."""
    return {
        "id": svc.id, "name": svc.name, "domains": list(svc.domains), "category": svc.category,
        "notes": svc.notes, "origin": svc.origin,
        "supports": {k: [f.value, f.source, f.as_of] for k, f in svc.supports.items()},
        "extra": {k: [f.value, f.source, f.as_of] for k, f in svc.extra.items()},
    }


def service_from_json(raw: dict[str, Any], facts: dict[tuple[Any, ...], Fact] | None = None) -> Service:
    """A Service from its layer JSON. ``facts`` interns identical facts (thousands share a source and date)."""
    origin = raw["origin"]
    cache = {} if facts is None else facts

    def fact(v: list[Any]) -> Fact:
        value = v[0]
        if isinstance(value, (bool, str, int, float)) or value is None:
            key = (type(value), value, v[1], v[2], origin)
            got = cache.get(key)
            if got is None:
                got = cache[key] = Fact(value, v[1], v[2], origin)
            return got
        return Fact(value, v[1], v[2], origin)

    return Service(
        id=raw["id"], name=raw["name"], domains=tuple(raw["domains"]), category=raw.get("category", ""),
        notes=raw.get("notes", ""), origin=origin,
        supports={k: fact(v) for k, v in raw["supports"].items()},
        extra={k: fact(v) for k, v in raw["extra"].items()},
    )


def read_layer(path: Path) -> dict[str, Any] | None:
    """The imported layer document, or None when absent. A broken layer → CatalogError (refresh again)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CatalogError(f"cannot read the imported catalog layer ({exc.strerror or exc})", path) from None
    try:
        doc = json.loads(text)
    except ValueError:
        raise CatalogError("the imported catalog layer is not valid JSON; run 'mfakit catalog refresh' again",
                           path) from None
    if not (isinstance(doc, dict) and doc.get("version") == LAYER_VERSION and isinstance(doc.get("services"), dict)):
        raise CatalogError("the imported catalog layer has an unknown format; run 'mfakit catalog refresh' again",
                           path)
    return doc


def layer_services(doc: dict[str, Any], path: Path) -> list[Service]:
    """Imported services in merge order (by kind)."""
    out: list[Service] = []
    facts: dict[tuple[Any, ...], Fact] = {}
    try:
        for kind in KINDS:
            out.extend(service_from_json(raw, facts) for raw in doc["services"].get(kind, []))
    except (KeyError, TypeError, IndexError, AttributeError):
        raise CatalogError("the imported catalog layer is damaged; run 'mfakit catalog refresh' again", path) \
            from None
    return out


def write_layer(path: Path, sources: dict[str, dict[str, Any]], services: dict[str, list[Service]]) -> None:
    """Write the layer atomically (the old file stays whole if anything fails)."""
    from mfakit.fileio import atomic_write as atomic_write_text

    doc = {
        "version": LAYER_VERSION,
        "written": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "attribution": {
            "2fa.directory": "2fa.directory data (c) 2factorauth contributors, MIT licence",
            "passkeys.directory": "passkeys directory data (c) 2factorauth contributors, CC BY 4.0",
        },
        "sources": sources,
        "services": {kind: [service_to_json(s) for s in svcs] for kind, svcs in services.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
