"""Import accounts from authenticator-app exports, keeping metadata only (never a secret).

>>> result = read_export("aegis.json")                  # doctest: +SKIP
>>> plan = plan_merge(inventory, result.records)        # doctest: +SKIP
>>> apply_merge(inventory, plan); save_inventory(inventory)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable

from mfakit.errors import ImportFormatError
from mfakit.importers.google_migration import check_batches
from mfakit.importers.merge import MergePlan, PlanItem, apply_merge, plan_merge
from mfakit.importers.record import APP_NAMES, Collector, ImportResult, OtpRecord

PasswordProvider = Callable[[Path], str]

__all__ = [
    "APP_NAMES", "ImportResult", "MergePlan", "OtpRecord", "PlanItem", "apply_merge", "plan_merge",
    "read_export", "read_export_bytes", "read_exports",
]


def _provider(password: str | None, password_provider: PasswordProvider | None) -> PasswordProvider | None:
    if password_provider is not None:
        return password_provider
    if password is None:
        return None
    return lambda _path: password


def read_exports(paths: Iterable[str | os.PathLike[str]] | dict[str, bytes],
                 password_provider: PasswordProvider | None = None, password: str | None = None,
                 strict: bool = False) -> ImportResult:
    """Read several exports (any mix of formats and QR images) into one de-duplicated result.

    ``paths`` may also be a ``{name: bytes}`` mapping (a notebook upload widget's files).
    Duplicates within and across files are merged while the secrets are still in memory; Google
    Authenticator batches spread over several images are checked together (missing codes, mixed transfers).
    ``password_provider(path)`` is called only when an encrypted file needs it. A malformed entry is skipped
    with a warning naming the file, its position and issuer; ``strict`` makes it an error instead. A file of
    which no entry can be read is an error.
    """
    from mfakit.importers.detect import parse_data, parse_into

    provider = _provider(password, password_provider)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(paths, dict):  # {name: bytes}, e.g. from a notebook file-upload widget
        items: list[tuple[Path, bytes | None]] = [(Path(name), bytes(data)) for name, data in paths.items()]
    else:
        items = [(Path(p), None) for p in paths]
    if not items:
        return ImportResult()
    col = Collector(items[0][0], strict=strict)
    result = ImportResult()
    formats: list[str] = []
    for path, data in items:
        col.start_file(path)
        try:
            if data is not None:
                formats.append(parse_data(data, path, col, result, provider))
            else:
                formats.append(parse_into(path, col, result, provider))
        except (TypeError, KeyError, AttributeError, IndexError, ValueError, OverflowError, RecursionError,
                EOFError, LookupError) as exc:
            # a shape no parser check anticipated: still one line naming the file, and never the value
            raise ImportFormatError(f"unexpected content in the export ({type(exc).__name__}); "
                                    "is the file damaged?", path) from None
        if col.file_records == 0 and col.file_skips:
            raise ImportFormatError(f"no entry could be read: {col.file_skips[0]}"
                                    + (f" (and {len(col.file_skips) - 1} more)" if len(col.file_skips) > 1 else ""),
                                    path)
    final = col.finish(", ".join(dict.fromkeys(formats)))
    final.path = ", ".join(str(p) for p, _ in items)
    final.batches = result.batches
    final.warnings.extend(check_batches(result.batches))
    return final


def read_export(path: str | os.PathLike[str], password: str | None = None,
                password_provider: PasswordProvider | None = None, strict: bool = False) -> ImportResult:
    """Read one export file (format detected by content) into records without secrets.

    Raises :class:`mfakit.errors.ImportFormatError` (one line naming the file) for anything unreadable.
    """
    return read_exports([path], password_provider=password_provider, password=password, strict=strict)


def read_export_bytes(data: bytes, name: str = "<upload>", password: str | None = None) -> ImportResult:
    """Like :func:`read_export` for content already in memory (``name`` is used in messages)."""
    return read_exports({name: data}, password=password)
