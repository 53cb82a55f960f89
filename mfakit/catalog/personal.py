"""The personal facts layer: your own findings in ``data/private/catalog.yaml``, above every other catalog.

The file holds the same fields as the curated catalog (``supports.*``, ``key_only``, ``backups_required``,
``notes``), each fact with its ``source`` (default "you, DATE") and ``as_of``, and services no catalog knows
(``name``, ``domains``, ``aliases``). Precedence is per fact: personal, then curated, then imported; the facts a
personal one replaces are kept on the service (``Service.personal_overrides``) so ``catalog show`` can show them.

Writes go through :func:`mfakit.fileio.locked_update` (locked read-modify-write, atomic replace, symlinks written
through) with ruamel's round-trip mode, so the user's comments and layout survive. The Python API below is what
``mfakit catalog set/unset/add`` and the notebook's "What I found" widget call.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
from pathlib import Path
from typing import Any, Iterable

from mfakit import config
from mfakit.catalog.model import CAPABILITIES, Fact, Service
from mfakit.catalog.normalize import host_of, slug
from mfakit.catalog.textguard import precheck_text
from mfakit.errors import CatalogError

FILE_NAME = "catalog.yaml"
ORIGIN = "personal"
KEY_ONLY_VALUES = ("yes", "no", "unknown")
#: Fact names a user may set: a capability (``totp`` or ``supports.totp``), ``key_only``, ``backups_required``,
#: ``notes``; and ``key_support``, a shorthand answering "does it take keys or passkeys?" in one go.
FACTS: tuple[str, ...] = (*(f"supports.{c}" for c in CAPABILITIES), "key_only", "backups_required", "notes")
KEY_SUPPORT_VALUES = {
    "none": {"supports.security_key": False, "supports.passkey_2fa": False, "supports.passkey_login": False},
    "security_key": {"supports.security_key": True},
    "passkey": {"supports.passkey_login": True},
    "both": {"supports.security_key": True, "supports.passkey_login": True},
}
_TRUE = {"yes", "true", "y", "1", "on"}
_FALSE = {"no", "false", "n", "0", "off"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_SERVICE_KEYS = {"id", "name", "domains", "aliases", "realm", "category", "supports", "key_only",
                 "backups_required", "notes"}
HEADER = """\
# Your own findings about services: mfakit reads them above the curated catalog and the public catalogs,
# fact by fact. Written by `mfakit catalog set / unset / add` and by "What I found" in notebook 02; you may
# edit it by hand too (your comments are kept). It lives in data/private/, which git ignores.
version: 1
services: []
"""


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


def today() -> str:
    return dt.date.today().isoformat()


# --- names and values ------------------------------------------------------------------------------------

def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def fact_name(name: str) -> str:
    """``totp`` / ``supports.totp`` / ``key-only`` → the canonical fact key; unknown → CatalogError."""
    raw = str(name).strip()
    key = raw.lower().replace("-", "_")
    if key in CAPABILITIES:
        key = f"supports.{key}"
    if key in FACTS or key == "key_support":
        return key
    choices = [*CAPABILITIES, "key_only", "backups_required", "notes", "key_support"]
    raise CatalogError(f"unknown fact {raw!r}{_did_you_mean(key, choices)}; facts are: {', '.join(choices)}")


def parse_value(fact: str, value: Any) -> Any:
    """A user's value for a fact → the stored value (bool, "yes"/"no"/"unknown", list, text); bad → CatalogError."""
    if fact.startswith("supports."):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        hint = f"; to forget it: mfakit catalog unset SERVICE {fact[9:]}" if text in ("unknown", "null", "") else ""
        raise CatalogError(f"{fact[9:]}={value!r}: a capability is yes or no{hint}")
    if fact == "key_only":
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = str(value).strip().lower()
        text = "yes" if text in _TRUE else "no" if text in _FALSE else text
        if text not in KEY_ONLY_VALUES:
            raise CatalogError(f"key_only={value!r}: must be yes, no or unknown")
        return text
    if fact == "backups_required":
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        if not all(isinstance(x, str) for x in items):
            raise CatalogError("backups_required: a list of text (e.g. 'totp or sms, recovery codes')")
        out = [" ".join(x.split()) for x in items if x.strip()]
        return out
    if fact == "notes":
        if not isinstance(value, str):
            raise CatalogError("notes: must be text")
        return " ".join(value.split())
    raise CatalogError(f"unknown fact {fact!r}")


def expand_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Canonical fact keys with parsed values (``key_support=none`` → the three key capabilities False)."""
    if not isinstance(facts, dict) or not facts:
        raise CatalogError("give at least one FACT=VALUE")
    out: dict[str, Any] = {}
    for name, value in facts.items():
        key = fact_name(name)
        if key == "key_support":
            text = str(value).strip().lower().replace("-", "_")
            if text in _FALSE:
                text = "none"
            if text not in KEY_SUPPORT_VALUES:
                raise CatalogError(f"key_support={value!r}: must be {', '.join(KEY_SUPPORT_VALUES)}")
            out.update(KEY_SUPPORT_VALUES[text])
        else:
            out[key] = parse_value(key, value)
    return out


def check_date(text: Any, what: str = "as_of") -> str:
    s = str(text)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", s):
        raise CatalogError(f"{what} must be a date YYYY-MM-DD, not {s[:40]!r}")
    try:
        dt.date.fromisoformat(s)
    except ValueError:
        raise CatalogError(f"{what} is not a real date: {s!r}") from None
    return s


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
        raise CatalogError(f"{where}: unknown field {field!r}{_did_you_mean(field, _SERVICE_KEYS)}", path, line)
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
            raise CatalogError(f"{where}: unknown capability {str(cap)[:40]!r}{_did_you_mean(str(cap), CAPABILITIES)}",
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
        raw = p.read_bytes()
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


# --- writing ---------------------------------------------------------------------------------------------

def _fact_node(value: Any, source: str, as_of: str) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        value = DoubleQuotedScalarString(value)
    if isinstance(value, list):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        value = seq
    node = CommentedMap([("value", value), ("source", source), ("as_of", as_of)])
    node.fa.set_flow_style()
    return node


def _update(path: Path, change: Any) -> None:
    """Locked read-modify-write of the personal file: ``change(services_list)``; comments kept."""
    from mfakit.fileio import locked_update

    def update(old: bytes | None) -> str:
        text = HEADER if old is None or not old.strip() else _decode(old, path)
        doc = _parse(text, path)
        if doc is None:
            doc = _parse(HEADER, path)
        services = _services_node(doc, path)
        if "services" not in doc or doc.get("services") is None:
            from ruamel.yaml.comments import CommentedSeq

            doc["services"] = services = CommentedSeq()
        change(services)
        buf = io.StringIO()
        _yaml().dump(doc, buf)
        new = buf.getvalue()
        # validate what we are about to write: a bad result never reaches the disk
        for entry in _services_node(_parse(new, path), path):
            entry_to_service(entry, path)
        return new

    locked_update(path, update)


def _find_entry(services: Any, sid: str) -> Any:
    for entry in services:
        if isinstance(entry, dict) and entry.get("id") == sid:
            return entry
    return None


def _resolve_service(service: str, path: Path) -> tuple[str, str | None]:
    """(id, anchor domain) of the service the user named (exact id, name, alias or domain) in the full catalog.

    The anchor is the main domain of a service only a public catalog knows (its id may change on refresh)."""
    from mfakit.catalog.catalog import load_catalog

    if not isinstance(service, str) or not service.strip():
        raise CatalogError("name a service (its id, name or domain)")
    catalog = load_catalog(personal_path=path)
    svc = catalog.find(service.strip())
    imported = svc.origin not in ("curated", "personal")
    return svc.id, (svc.domains[0] if imported and svc.domains else None)


def set_facts(service: str, facts: dict[str, str | bool | list[str]], source: str | None = None,
              as_of: str | None = None, path: Path | None = None) -> None:
    """Record your findings for ``service`` (id, name or domain), fact by fact, in the personal layer.

    ``facts`` maps a fact (``security_key``, ``supports.passkey_login``, ``key_only``, ``backups_required``,
    ``notes``, or the shorthand ``key_support`` = none/security_key/passkey/both) to its value. ``source``
    defaults to "you, DATE", ``as_of`` to today. An unknown service, fact or value → CatalogError (one line).
    """
    p = _resolve(path)
    values = expand_facts(facts)
    date = check_date(as_of, "--as-of") if as_of else today()
    src = " ".join(str(source).split()) if source else f"you, {date}"
    if not src:
        raise CatalogError("--source must not be empty")
    sid, anchor = _resolve_service(service, p)

    def change(services: Any) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        entry = _find_entry(services, sid)
        if entry is None:
            entry = CommentedMap([("id", sid)])
            if anchor:  # an imported service: its domain finds it again if a refresh renames it
                seq = CommentedSeq([anchor])
                seq.fa.set_flow_style()
                entry["domains"] = seq
            services.append(entry)
        for key, value in values.items():
            node = _fact_node(value, src, date)
            if key.startswith("supports."):
                sup = entry.get("supports")
                if not isinstance(sup, dict):
                    sup = entry["supports"] = CommentedMap()
                sup[key[9:]] = node
            else:
                entry[key] = node

    _update(p, change)


def unset_facts(service: str, names: list[str], path: Path | None = None) -> None:
    """Forget your findings for these facts (the curated or imported ones show again)."""
    p = _resolve(path)
    if not names:
        raise CatalogError("name at least one fact to unset")
    keys: list[str] = []
    for n in names:
        k = fact_name(n)
        keys.extend(KEY_SUPPORT_VALUES["none"]) if k == "key_support" else keys.append(k)
    sid, _ = _resolve_service(service, p)

    def change(services: Any) -> None:
        entry = _find_entry(services, sid)
        if entry is None:
            raise CatalogError(f"you have recorded nothing for {sid!r}", p)
        for key in keys:
            if key.startswith("supports."):
                sup = entry.get("supports")
                if isinstance(sup, dict):
                    sup.pop(key[9:], None)
                    if not sup:
                        del entry["supports"]
            else:
                entry.pop(key, None)
        if set(map(str, entry)) <= {"id", "domains"} and "name" not in entry:  # nothing left: drop the entry
            services.remove(entry)

    _update(p, change)


def add_service(name: str, domains: Iterable[str] = (), aliases: Iterable[str] = (),
                path: Path | None = None) -> str:
    """Add a service no catalog knows (``mfakit catalog add``); returns its id (a slug of the name)."""
    p = _resolve(path)
    if not isinstance(name, str) or not name.strip():
        raise CatalogError("the service needs a name")
    name = " ".join(name.split())
    hosts: list[str] = []
    for d in domains:
        host = host_of(d)
        if host is None:
            raise CatalogError(f"--domain {str(d)[:60]!r} is not a domain name")
        hosts.append(host)
    alias_list = [" ".join(a.split()) for a in aliases if a and a.strip()]
    sid = slug(name) or (hosts[0] if hosts else "")
    if not sid:
        raise CatalogError(f"cannot make an id from {name!r}: give it a --domain")
    from mfakit.catalog.catalog import load_catalog

    catalog = load_catalog(personal_path=p)
    if sid in catalog.services:
        raise CatalogError(f"the catalog already has a service {sid!r}; record facts with: mfakit catalog set {sid} ...")
    for host in hosts:
        owner = catalog.index.by_domain.get(host)
        if owner:
            raise CatalogError(f"{host} already belongs to {owner!r}; record facts with: mfakit catalog set {owner} ...")

    def change(services: Any) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if _find_entry(services, sid) is not None:
            raise CatalogError(f"the personal catalog already has {sid!r}", p)
        entry = CommentedMap([("id", sid), ("name", name)])
        for key, items in (("domains", hosts), ("aliases", alias_list)):
            if items:
                seq = CommentedSeq(items)
                seq.fa.set_flow_style()
                entry[key] = seq
        services.append(entry)

    _update(p, change)
    return sid
