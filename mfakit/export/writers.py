"""Write a table of rows as CSV, Markdown, HTML, XLSX or JSON, atomically, same columns in every format."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from mfakit.errors import MfakitError
from mfakit.export.columns import COLUMNS, HEADERS, records
from mfakit.inventory.yamlio import atomic_write_bytes, atomic_write_text

FORMATS: tuple[str, ...] = ("csv", "md", "html", "xlsx", "json")


def render_csv(recs: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(recs)
    return buf.getvalue()


def render_json(recs: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    return json.dumps(recs, ensure_ascii=False, indent=2, default=str) + "\n"


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(recs: list[dict[str, Any]], columns: tuple[str, ...], title: str = "") -> str:
    head = "| " + " | ".join(HEADERS.get(c, c) for c in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(_md_cell(r[c]) for c in columns) + " |" for r in recs]
    top = [f"# {title}", ""] if title else []
    return "\n".join(top + [head, rule, *body]) + "\n"


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem;margin:0 0 .2rem} p.meta{color:#666;margin:0 0 1rem}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f2f2f2} tr:nth-child(even) td{background:#fafafa}
td.state{font-weight:600;white-space:nowrap}
.state-done{color:#1a7f37}.state-ready{color:#0969da}.state-hybrid{color:#9a6700}.state-blocked{color:#cf222e}.state-unknown{color:#6e7781}
.risk-high{color:#cf222e;font-weight:600}.risk-medium{color:#9a6700}
@media print{body{margin:0;font-size:10pt} th{background:#eee!important} tr{page-break-inside:avoid}}
"""


def render_html(recs: list[dict[str, Any]], columns: tuple[str, ...], title: str = "mfakit export",
                meta: str = "") -> str:
    """A self-contained, printable page (inline CSS, no scripts, nothing fetched)."""
    def cell(col: str, value: Any) -> str:
        cls = ""
        if col == "state":
            cls = f' class="state state-{html.escape(str(value))}"'
        elif col == "lockout_risk":
            cls = f' class="risk-{html.escape(str(value))}"'
        return f"<td{cls}>{html.escape(str(value))}</td>"

    head = "".join(f"<th>{html.escape(HEADERS.get(c, c))}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(cell(c, r[c]) for c in columns) + "</tr>" for r in recs)
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
            f"<h1>{html.escape(title)}</h1><p class=\"meta\">{html.escape(meta)} · generated {stamp}</p>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>\n</body></html>\n")


def render_xlsx(recs: list[dict[str, Any]], columns: tuple[str, ...], title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "status"
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    for r in recs:
        ws.append([r[c] for c in columns])
    for i, col in enumerate(columns, start=1):
        width = max([len(str(col))] + [len(str(r[col])) for r in recs]) + 2
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(width, 60)
    ws.freeze_panes = "A2"
    if title:
        wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_rows(rows: Iterable[Any], fmt: str, path: str | Path | None = None, *, title: str = "mfakit status",
                meta: str = "", columns: tuple[str, ...] = COLUMNS) -> str | bytes:
    """Render ``rows`` in ``fmt``; write atomically to ``path`` when given. Returns what was rendered."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise MfakitError(f"unknown export format '{fmt}' (use one of {', '.join(FORMATS)})", path)
    recs = records(rows, columns)
    if fmt == "csv":
        data: str | bytes = render_csv(recs, columns)
    elif fmt == "json":
        data = render_json(recs, columns)
    elif fmt == "md":
        data = render_markdown(recs, columns, title)
    elif fmt == "html":
        data = render_html(recs, columns, title, meta)
    else:
        data = render_xlsx(recs, columns, title)
    if path is not None:
        target = Path(path)
        try:
            if isinstance(data, bytes):
                atomic_write_bytes(target, data)
            else:
                atomic_write_text(target, data)
        except OSError as exc:
            raise MfakitError(f"cannot write the export ({exc.strerror})", target) from None
    return data


def format_from_path(path: str | Path) -> str | None:
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix) if suffix in {*FORMATS, "markdown", "htm"} else None
