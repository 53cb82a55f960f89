"""Text exports: one link per line — ``otpauth://`` key URIs, ``otpauth-migration://`` transfers, or both.

``#`` comments and blank lines are skipped; scanner prefixes (``QR-Code:...``) are tolerated. Errors name
the line number, never the line (it holds a secret).
"""

from __future__ import annotations

import re
from pathlib import Path

from mfakit.importers.common import fail
from mfakit.importers.google_migration import SCHEME as MIGRATION, decode_payload, extract_data
from mfakit.importers.otpauth_uri import code_display_tags, parse_key_uri
from mfakit.importers.record import Collector, ImportResult

MAX_LINES = 100_000
#: A link fills the line (after an optional scanner prefix such as ``QR-Code:``) and holds no whitespace.
_LINK = re.compile(r"^\S{0,40}?(otpauth-migration://|otpauth://)\S+$", re.IGNORECASE)


def find_link(text: str) -> tuple[str, str] | None:
    """(kind, link) for a line or QR text that is an export link; kind is ``migration`` or ``key``."""
    m = _LINK.match(text.strip())
    if m is None:
        return None
    kind = "migration" if m.group(1).lower() == MIGRATION else "key"
    return kind, text.strip()[m.start(1):]


def _label_issuer(link: str) -> str:
    """The issuer a key URI names (for a warning about a link that cannot be read), or ''."""
    from urllib.parse import parse_qs, unquote, urlsplit

    try:
        parts = urlsplit(link)
        issuer = parse_qs(parts.query).get("issuer", [""])[0]
        prefix, sep, _account = unquote(parts.path.lstrip("/")).partition(":")
        return issuer or (prefix if sep else "")
    except ValueError:
        return ""


def add_link(text: str, path: Path, col: Collector, result: ImportResult, where: str,
             fmt: str = "otpauth") -> None:
    """Decode one link (either kind) into ``col``; batch positions go to ``result.batches``.

    A link that cannot be read is skipped with a warning (see :meth:`Collector.skip`), as is each malformed
    account inside a Google transfer.
    """
    found = find_link(text)
    if found is None:
        col.skip(where, None, "not an otpauth:// or otpauth-migration:// link")
        return
    kind, link = found
    try:
        if kind == "migration":
            problems: list[tuple[int, str, str]] = []
            pairs, (bid, size, index) = decode_payload(extract_data(link), source=str(path), skipped=problems)
            result.batches.append((bid, size, index, where))
            for n, issuer, reason in problems:
                col.skip(f"{where}, account #{n}", issuer, reason)
            for record, secret in pairs:
                col.add(record, secret)
            del pairs
            return
        groups = code_display_tags(link) if fmt == "ente" else ()
        record, secret, warnings = parse_key_uri(link, fmt=fmt, source=str(path), groups=groups)
    except ValueError as exc:
        col.skip(where, _label_issuer(link) if kind == "key" else None, str(exc))
        return
    for w in warnings:
        col.warn(f"{where}: {w}")
    col.add(record, secret)
    del secret


def parse_lines(text: str, path: Path, col: Collector, result: ImportResult, fmt: str = "otpauth") -> str:
    """Every link in a text file; returns the format name (google-migration, ente or otpauth)."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise fail(path, f"too many lines ({len(lines)}; the limit is {MAX_LINES})")
    kinds: set[str] = set()
    skipped = 0
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = find_link(stripped)
        if found is None:
            skipped += 1
            continue
        kinds.add("google-migration" if found[0] == "migration" else fmt)
        add_link(stripped, path, col, result, f"line {n}", fmt)
    if not kinds:
        raise fail(path, "no otpauth:// or otpauth-migration:// link found (is this an export?)")
    if skipped:
        col.warn(f"{skipped} line(s) without an otpauth link were skipped")
    return "google-migration" if kinds == {"google-migration"} else fmt if len(kinds) == 1 else "mixed links"
