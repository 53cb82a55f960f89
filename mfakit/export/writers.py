"""Write a table of rows as CSV, Markdown, HTML, XLSX or JSON, atomically; the same columns in every format."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from mfakit.errors import MfakitError
from mfakit.export.columns import COLUMNS, records
from mfakit.export.summary import build_summary

FORMATS: tuple[str, ...] = ("csv", "md", "html", "xlsx", "json")
_ALIASES = {"markdown": "md", "htm": "html"}


def default_export_dir() -> Path:
    """Where exports go unless told otherwise: ``data/private/exports/`` (ignored by git, inside JupyterLab's
    reach). Created on first use."""
    from mfakit.config import PRIVATE_DIR

    folder = PRIVATE_DIR / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def normalize_format(fmt: str) -> str:
    """``"Markdown"`` → ``"md"``; an unknown format is a one-line error."""
    name = fmt.lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in FORMATS:
        from mfakit.suggest import did_you_mean
        raise MfakitError(f"unknown export format '{fmt}'{did_you_mean(name, FORMATS)} "
                          f"(use one of {', '.join(FORMATS)})")
    return name


def render(rows: Iterable[Any], fmt: str, *, title: str = "mfakit status", meta: str = "",
           columns: tuple[str, ...] = COLUMNS) -> str | bytes:
    """The export as text (or bytes for XLSX), with the summary of the rows in the formats meant for people."""
    fmt = normalize_format(fmt)
    rows = list(rows)
    recs = records(rows, columns)
    if fmt == "json":
        from mfakit.export.text import render_json
        return render_json(recs, columns)
    if fmt == "csv":
        from mfakit.export.text import render_csv
        return render_csv(recs, columns)
    inventory = meta[len("inventory: "):] if meta.startswith("inventory: ") else meta
    summary = build_summary(rows, title=title, inventory=inventory)
    if fmt == "md":
        from mfakit.export.text import render_markdown
        return render_markdown(recs, columns, title, summary)
    if fmt == "html":
        from mfakit.export.html_page import render_html
        return render_html(recs, columns, title, meta, summary)
    from mfakit.export.xlsx import render_xlsx
    return render_xlsx(recs, columns, title, summary)


def export_rows(rows: Iterable[Any], fmt: str, path: str | Path | None = None, *, title: str = "mfakit status",
                meta: str = "", columns: tuple[str, ...] = COLUMNS) -> str | bytes:
    """Render ``rows`` in ``fmt``; write atomically to ``path`` when given. Returns what was rendered."""
    try:
        data = render(rows, fmt, title=title, meta=meta, columns=columns)
    except MfakitError as exc:
        raise MfakitError(exc.message, path if exc.path is None else exc.path) from None
    if path is not None:
        from mfakit.fileio import atomic_write
        atomic_write(Path(path), data)
    return data


def format_from_path(path: str | Path) -> str | None:
    """The format a file name asks for (``.csv``, ``.md``/``.markdown``, ``.html``/``.htm``, ``.xlsx``, ``.json``)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = _ALIASES.get(suffix, suffix)
    return suffix if suffix in FORMATS else None
