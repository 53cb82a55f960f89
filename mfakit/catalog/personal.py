"""The personal facts layer: your own findings in ``data/private/catalog.yaml``, above every other catalog.

The file holds the same fields as the curated catalog (``supports.*``, ``key_only``, ``backups_required``,
``notes``), each fact with its ``source`` (default "you, DATE") and ``as_of``, and services no catalog knows
(``name``, ``domains``, ``aliases``). Precedence is per fact: personal, then curated, then imported; the facts a
personal one replaces are kept on the service (``Service.personal_overrides``) so ``catalog show`` can show them.

Writes go through :func:`mfakit.fileio.locked_update` (locked read-modify-write, atomic replace, symlinks written
through) with ruamel's round-trip mode, so the user's comments and layout survive. The Python API below is what
``mfakit catalog set/unset/add`` and the notebook's "What I found" widget call; reading and the vocabulary
live in :mod:`personal_file` and :mod:`personal_facts`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterable

from mfakit.catalog.normalize import host_of, slug
from mfakit.catalog.personal_facts import (FACTS, KEY_SUPPORT_VALUES, ORIGIN, check_date, expand_facts, fact_name,
                                           parse_value, today)
from mfakit.catalog.personal_file import (_decode, _parse, _resolve, _services_node, _yaml, apply_personal,
                                          entry_to_service, personal_catalog_path, read_personal)
from mfakit.errors import CatalogError

__all__ = ["FACTS", "KEY_SUPPORT_VALUES", "ORIGIN", "add_service", "apply_personal", "check_date", "expand_facts",
           "fact_name", "parse_value", "personal_catalog_path", "read_personal", "set_facts", "today",
           "unset_facts"]

HEADER = """\
# Your own findings about services: mfakit reads them above the curated catalog and the public catalogs,
# fact by fact. Written by `mfakit catalog set / unset / add` and by "What I found" in notebook 02; you may
# edit it by hand too (your comments are kept). It lives in data/private/, which git ignores.
version: 1
services: []
"""


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
