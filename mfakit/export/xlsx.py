"""The XLSX export: a "Plan" sheet to sort and filter, and a "Summary" sheet, both ready to print.

Plan: the same human headers as the HTML and Markdown, an autofilter, a frozen header row, wrapped text, the
state column coloured, sources as short labels (the full references on the Summary sheet); landscape, fit to
one page wide, the header repeated on every printed page. Every value goes through :func:`mfakit.safe.cell`,
so no cell is ever a formula and no character XLSX cannot hold reaches openpyxl.
"""

from __future__ import annotations

import io
from typing import Any

from mfakit import safe
from mfakit.export.columns import HEADERS
from mfakit.export.summary import STATE_FILL, STATE_MEANING, STATES, headline, risk_line
from mfakit.plan.sources import Footnotes

#: Column widths in characters (Excel's unit); unlisted columns get 14.
WIDTHS: dict[str, float] = {
    "group": 11, "label": 16, "service": 16, "account": 22, "state": 9, "factors": 26, "next_step": 44,
    "reason": 30, "lockout_risk": 9, "lockout_reasons": 22, "source": 26,
}
PLAN_SHEET = "Plan"
SUMMARY_SHEET = "Summary"


def _print_setup(ws: Any, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows


def _set(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one value as data, never as a formula (openpyxl would read a leading '=' as one)."""
    cell = ws.cell(row=row, column=col, value=safe.cell(value))
    if cell.data_type == "f":  # cannot happen after safe.cell; kept as a belt for the braces
        cell.data_type = "s"
    return cell


def _plan_sheet(ws: Any, recs: list[dict[str, Any]], columns: tuple[str, ...], notes: Footnotes) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="BBBBBB")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {s: PatternFill("solid", fgColor=c) for s, c in STATE_FILL.items()}
    for j, col in enumerate(columns, start=1):
        c = _set(ws, 1, j, HEADERS.get(col, col))
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E8E8E8")
        c.alignment, c.border = wrap, border
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(col, 14)
    for i, r in enumerate(recs, start=2):
        for j, col in enumerate(columns, start=1):
            value = r[col]
            if col == "source":
                nums = notes.add(value)
                value = "\n".join(f"{notes.refs[n - 1].label} [{n}]" for n in nums)
            c = _set(ws, i, j, value)
            c.alignment, c.border = wrap, border
            if col == "state" and r[col] in fills:
                c.fill = fills[r[col]]
            if col == "lockout_risk" and r[col] == "high":
                c.font = Font(bold=True, color="B00020")
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{len(recs) + 1}"
    ws.freeze_panes = "A2"
    _print_setup(ws, "1:1")


def _summary_sheet(ws: Any, s: dict[str, Any], notes: Footnotes) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    row = 1

    def put(*values: Any, font: Any = None, fill: str | None = None) -> None:
        nonlocal row
        for j, v in enumerate(values, start=1):
            c = _set(ws, row, j, v)
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if font is not None:
                c.font = font
            if fill and j == 1:
                c.fill = PatternFill("solid", fgColor=fill)
        row += 1

    put(s.get("title") or "mfakit export", font=Font(bold=True, size=14))
    put(" · ".join(x for x in (f"inventory: {s['inventory']}" if s.get("inventory") else "",
                               f"generated {s['generated']}") if x))
    put(headline(s), font=bold)
    put(risk_line(s))
    row += 1
    put("State", "Accounts", "Meaning", font=bold)
    for st in STATES:
        put(st, s["by_state"][st], STATE_MEANING[st], fill=STATE_FILL[st])
    row += 1
    put("Group", "Accounts", "Off the app", "Done", "Ready", "Hybrid", "Blocked", "Unknown", font=bold)
    for g in s["by_group"]:
        put(g["group"] or "(no group)", g["accounts"], g["off_app"], *(g[st] for st in STATES))
    if len(notes):
        row += 1
        put("#", "Source", "Checked", "Full reference", font=bold)
        for n, ref in notes:
            put(n, ref.label, ", ".join(x for x in (ref.origin, ref.as_of) if x), ref.text)
            if ref.href:
                link = ws.cell(row=row - 1, column=4)
                link.hyperlink = ref.href
                link.font = Font(color="0645AD", underline="single")
    for letter, width in zip("ABCDEFGH", (22, 26, 22, 60, 9, 9, 9, 9)):
        ws.column_dimensions[letter].width = width
    _print_setup(ws, None)


def render_xlsx(recs: list[dict[str, Any]], columns: tuple[str, ...], title: str = "",
                summary: dict[str, Any] | None = None) -> bytes:
    """The workbook as bytes: the Plan sheet first (what ``pandas.read_excel`` reads), then the Summary."""
    from openpyxl import Workbook

    wb = Workbook()
    plan = wb.active
    plan.title = PLAN_SHEET
    notes = Footnotes()
    _plan_sheet(plan, recs, columns, notes)
    if summary is not None:
        _summary_sheet(wb.create_sheet(SUMMARY_SHEET), summary, notes)
    if title:
        wb.properties.title = safe.plain(title)[:250]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
