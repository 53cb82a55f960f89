"""Read and write an inventory YAML file: full validation with file:line errors, atomic comment-keeping saves."""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

from mfakit.config import resolve_path
from mfakit.errors import InventoryError
from mfakit.inventory.model import FACTOR_TYPES, Account, Change, Factor, Inventory
from mfakit.inventory.splice import account_spans
from mfakit.inventory.yamlio import parse_yaml, read_bytes

_ACCOUNT_FIELDS = {"id", "service", "account", "label", "group", "factors", "notes", "history"}
_FACTOR_FIELDS = {"type", "where", "added", "note"}
_CHANGE_FIELDS = {"date", "op", "type", "where"}
_TOP_FIELDS = {"version", "title", "accounts"}
SCHEMA_VERSION = 1


def _line(node: Any, key: Any = None) -> int | None:
    """1-based line of ``node`` (or of ``node[key]``) in its YAML file, when known."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    line = None
    if key is not None:
        try:
            line = lc.key(key)[0] if isinstance(node, CommentedMap) else lc.item(key)[0]
        except (KeyError, IndexError, TypeError, AttributeError):
            line = None
    if line is None:
        line = getattr(lc, "line", None)
    return line + 1 if isinstance(line, int) else None


class _Problems:
    """Collects every validation problem as ``FILE:LINE: account 'x': field 'y': what``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[tuple[int | None, str]] = []

    def add(self, line: int | None, where: str, message: str) -> None:
        self.items.append((line, f"{where}: {message}" if where else message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        lines = [f"{self.path}:{ln}: {msg}" if ln else f"{self.path}: {msg}" for ln, msg in self.items]
        first_line, first_msg = self.items[0]
        more = f" (and {len(self.items) - 1} more problem(s))" if len(self.items) > 1 else ""
        raise InventoryError(first_msg + more, self.path, first_line, problems=lines)


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, TaggedScalar):  # "!!str 12345": the only scalar tag the reader lets through
        return str(value.value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _not_text(value: Any) -> str:
    """Why a value is not accepted as text: its YAML kind, and how to make it text."""
    kinds = {bool: "a boolean", date: "a date", datetime: "a date and time", dict: "a mapping", list: "a list"}
    kind = next((name for t, name in kinds.items() if isinstance(value, t)), type(value).__name__)
    if isinstance(value, (bool, date)):
        return f"not a string but {kind} (put it in quotes: '{value}')"
    return f"not a string but {kind}"


def _parse_factor(node: Any, where: str, problems: _Problems, line: int | None) -> Factor | None:
    if isinstance(node, str):  # shorthand: "totp" or "security_key:Titan 1"
        node = CommentedMap(zip(("type", "where"), node.split(":", 1)))
    if not isinstance(node, dict):
        problems.add(line, where, "a factor must be a mapping with 'type' (and 'where', 'added')")
        return None
    ln = _line(node) or line
    for key in node:
        if key not in _FACTOR_FIELDS:
            problems.add(_line(node, key) or ln, f"{where}: field '{key}'",
                         f"unknown field (allowed: {', '.join(sorted(_FACTOR_FIELDS))})")
    ftype = _text(node.get("type"))
    if ftype is None:
        problems.add(ln, f"{where}: field 'type'", "missing")
        return None
    ftype = ftype.strip()
    if ftype not in FACTOR_TYPES:
        problems.add(_line(node, "type") or ln, f"{where}: field 'type'",
                     f"'{ftype}' is not a factor type (use one of {', '.join(FACTOR_TYPES)})")
        return None
    added = None
    if node.get("added") is not None:
        added = _as_date(node["added"])
        if added is None:
            problems.add(_line(node, "added") or ln, f"{where}: field 'added'",
                         f"'{node['added']}' is not a date (YYYY-MM-DD)")
    w = node.get("where")
    if w is not None and _text(w) is None:
        problems.add(_line(node, "where") or ln, f"{where}: field 'where'", "must be text")
    return Factor(type=ftype, where=(_text(w) or "").strip() or None, added=added, note=_text(node.get("note")))


def _parse_change(node: Any, where: str, problems: _Problems, line: int | None) -> Change | None:
    ln = _line(node) or line
    if not isinstance(node, dict):
        problems.add(ln, where, "a history entry must be a mapping with date, op, type")
        return None
    for key in node:
        if key not in _CHANGE_FIELDS:
            problems.add(_line(node, key) or ln, f"{where}: field '{key}'", "unknown field")
    when = _as_date(node.get("date"))
    if when is None:
        problems.add(_line(node, "date") if "date" in node else ln, f"{where}: field 'date'",
                     "missing or not a date (YYYY-MM-DD)")
    op = node.get("op")
    if op not in ("add", "remove"):
        problems.add(_line(node, "op") if "op" in node else ln, f"{where}: field 'op'", "must be 'add' or 'remove'")
    ftype = _text(node.get("type"))
    if ftype not in FACTOR_TYPES:
        problems.add(_line(node, "type") if "type" in node else ln, f"{where}: field 'type'",
                     f"'{ftype}' is not a factor type")
    if when is None or op not in ("add", "remove") or ftype not in FACTOR_TYPES:
        return None
    return Change(date=when, op=op, type=ftype, where=_text(node.get("where")))


def _parse_account(node: Any, index: int, problems: _Problems, seen: dict[str, int]) -> Account | None:
    ln = _line(node)
    if not isinstance(node, dict):
        problems.add(ln, f"account #{index + 1}", "must be a mapping (service, account, label, group, factors)")
        return None
    ident = _text(node.get("id"))
    name = ident or _text(node.get("label")) or _text(node.get("service")) or f"#{index + 1}"
    where = f"account '{name}'"
    for key in node:
        if key not in _ACCOUNT_FIELDS:
            problems.add(_line(node, key), f"{where}: field '{key}'",
                         f"unknown field (allowed: {', '.join(sorted(_ACCOUNT_FIELDS))})")
    if node.get("id") is not None and ident is None:
        problems.add(_line(node, "id"), f"{where}: field 'id'", _not_text(node.get("id")))
    elif not ident or not ident.strip():
        problems.add(ln, f"{where}: field 'id'", "missing (a short unique id such as 'github')")
    elif ident in seen:
        problems.add(_line(node, "id"), f"{where}: field 'id'", f"duplicate id (first used on line {seen[ident]})")
    else:
        seen[ident] = _line(node, "id") or 0
    service = _text(node.get("service"))
    if node.get("service") is not None and service is None:
        problems.add(_line(node, "service"), f"{where}: field 'service'", _not_text(node.get("service")))
    elif not service or not service.strip():
        problems.add(_line(node, "service") if "service" in node else ln, f"{where}: field 'service'", "missing")
    for key in ("account", "label", "group", "notes"):
        if node.get(key) is not None and _text(node.get(key)) is None:
            problems.add(_line(node, key), f"{where}: field '{key}'", _not_text(node.get(key)))
    factors: list[Factor] = []
    raw_factors = node.get("factors")
    if raw_factors is None:
        raw_factors = []
    if not isinstance(raw_factors, list):
        problems.add(_line(node, "factors"), f"{where}: field 'factors'", "must be a list")
        raw_factors = []
    for i, f in enumerate(raw_factors):
        line = _line(raw_factors, i) if isinstance(raw_factors, CommentedSeq) else ln
        parsed = _parse_factor(f, f"{where}: factors[{i}]", problems, line)
        if parsed:
            factors.append(parsed)
    history: list[Change] = []
    raw_history = node.get("history") or []
    if not isinstance(raw_history, list):
        problems.add(_line(node, "history"), f"{where}: field 'history'", "must be a list")
        raw_history = []
    for i, h in enumerate(raw_history):
        line = _line(raw_history, i) if isinstance(raw_history, CommentedSeq) else ln
        parsed_h = _parse_change(h, f"{where}: history[{i}]", problems, line)
        if parsed_h:
            history.append(parsed_h)
    if not ident or not ident.strip() or not service or not service.strip():
        return None
    return Account(
        id=ident.strip(), service=service.strip(), account=(_text(node.get("account")) or "").strip(),
        label=(_text(node.get("label")) or "").strip(), group=(_text(node.get("group")) or "Other").strip() or "Other",
        factors=factors, notes=(_text(node.get("notes")) or "").strip(), history=history, line=ln or 0,
    )


def parse_document(doc: Any, path: Path) -> Inventory:
    """Validate a parsed YAML document and build the :class:`Inventory`; every problem is reported at once."""
    problems = _Problems(path)
    if doc is None:
        doc = CommentedMap([("version", SCHEMA_VERSION), ("accounts", CommentedSeq())])
    if not isinstance(doc, dict):
        raise InventoryError("the top level must be a mapping with 'accounts:'", path, _line(doc))
    for key in doc:
        if key not in _TOP_FIELDS:
            problems.add(_line(doc, key), f"field '{key}'", f"unknown top-level field (allowed: {', '.join(sorted(_TOP_FIELDS))})")
    version = doc.get("version", SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        kind = "a boolean" if isinstance(version, bool) else "a date" if isinstance(version, date) else \
            "text" if isinstance(version, str) else f"a {type(version).__name__}"
        problems.add(_line(doc, "version"), "field 'version'", f"must be the number {SCHEMA_VERSION}, not {kind}")
    elif version != SCHEMA_VERSION:
        problems.add(_line(doc, "version"), "field 'version'", f"unsupported version {version!r} (this kit reads {SCHEMA_VERSION})")
    accounts_node = doc.get("accounts")
    if accounts_node is None:
        accounts_node = CommentedSeq()
        doc["accounts"] = accounts_node
    if not isinstance(accounts_node, list):
        raise InventoryError("field 'accounts': must be a list", path, _line(doc, "accounts"))
    seen: dict[str, int] = {}
    accounts = [a for i, n in enumerate(accounts_node) if (a := _parse_account(n, i, problems, seen))]
    problems.raise_if_any()
    return Inventory(accounts=accounts, path=path, title=_text(doc.get("title")) or "", doc=doc)


def _fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _parse_text(raw: bytes, path: Path) -> Inventory:
    """Parse and validate file content; the inventory remembers the text, its digest and the account spans."""
    doc = parse_yaml(raw, path, InventoryError)
    inv = parse_document(doc, path)
    text = raw.decode("utf-8-sig")
    inv.text = text
    inv.fingerprint = _fingerprint(raw)
    inv.baseline = {a.id: copy.deepcopy(a) for a in inv.accounts}
    inv.baseline_title = inv.title
    inv.spans = account_spans(inv.doc, text)
    return inv


def load_inventory(path: str | Path) -> Inventory:
    """Load and validate an inventory file; raises :class:`InventoryError` naming FILE:LINE, account and field.

    A relative path is relative to the project root (see :func:`mfakit.config.resolve_path`).
    """
    p = resolve_path(path)
    return _parse_text(read_bytes(p, InventoryError), p)


def new_inventory(path: str | Path | None = None, title: str = "") -> Inventory:
    """An empty inventory (to start one from scratch, or to import into)."""
    doc = CommentedMap()
    doc["version"] = SCHEMA_VERSION
    if title:
        doc["title"] = title
    doc["accounts"] = CommentedSeq()
    return Inventory(accounts=[], path=resolve_path(path) if path else None, title=title, doc=doc)


from mfakit.inventory.save import save_inventory  # noqa: E402  (save builds on the loader above)

__all__ = ["load_inventory", "new_inventory", "parse_document", "save_inventory"]
