"""Interactive tables for the notebooks: sort, filter and search in the browser, offline.

Why itables (its ``ITable`` widget): it is DataTables, the most used table library on the web, shipped inside
the Python wheel (no CDN, nothing fetched: it works on a plane); a table is an ipywidget, so one refresh
function can replace its rows in place after a change; it reads a plain pandas DataFrame; and it is actively
kept (monthly releases). ipydatagrid draws on a canvas (no text selection, no links in cells) and its
JupyterLab extension lags behind JupyterLab releases.

Cells are cleaned before they reach a table: no ``NaN``/``None``/``30.0``, no Python dicts or lists, text
escaped (:func:`mfakit.safe.html`) unless a column is declared as HTML built by the kit itself.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from mfakit import safe

#: DataTables options shared by every table: left-aligned text that wraps inside a table as wide as the notebook
#: (fixed layout: no column pushed out of view), a search box, a filter under each column, 25 rows a page.
_CSS = (".mfakit-itable{table-layout:fixed}"
        ".mfakit-itable td,.mfakit-itable th{text-align:left!important;vertical-align:top;overflow-wrap:anywhere}"
        ".mfakit-itable tfoot input{width:100%;box-sizing:border-box}")
_OPTIONS: dict[str, Any] = {
    "classes": "display compact cell-border mfakit-itable",
    "style": "width:100%;margin:0;font-size:12.5px",
    "css": _CSS,
    "pageLength": 25,
    "lengthMenu": [10, 25, 100],
    "showIndex": False,
    "allow_html": True,
    "column_filters": "footer",
    "autoWidth": False,
    "text_in_header_can_be_selected": False,  # a click anywhere on a header sorts, as people expect
}


def text(value: Any) -> str:
    """One cell as clean text: '' for None/NaN, ``30`` for ``30.0``, lists joined, dicts as ``k: v``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {text(v)}" for k, v in value.items() if text(v))
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(text(v) for v in value if text(v))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def frame(rows: Iterable[Mapping[str, Any]], columns: Mapping[str, str],
          html_columns: Iterable[str] = ()) -> Any:
    """A DataFrame of strings with human headers: ``columns`` maps a row key to its header.

    Every value goes through :func:`text` and :func:`mfakit.safe.html`, except the keys in ``html_columns``,
    which hold HTML the kit built (already escaped).
    """
    import pandas as pd

    raw = set(html_columns)
    data = [{header: (text(r.get(key)) if key in raw else safe.html(text(r.get(key))))
             for key, header in columns.items()} for r in rows]
    return pd.DataFrame(data, columns=list(columns.values()), dtype=object)


def interactive(df: Any, caption: str = "", widths: Mapping[str, str] | None = None, **options: Any) -> Any:
    """An ``itables.widget.ITable`` for ``df`` (sortable, filterable, searchable in the browser, offline).

    ``widths`` maps a column header to its share of the width (``"30%"``); the others share the rest.
    """
    from itables.widget import ITable

    table = ITable(df, caption=caption, **{**_options(df, widths), **options})
    table._mfakit_widths = dict(widths or {})
    return table


def _options(df: Any, widths: Mapping[str, str] | None) -> dict[str, Any]:
    """The shared options, the column widths, and no pages for a table that fits on one."""
    headers = list(df.columns)
    defs: list[dict[str, Any]] = [{"width": w, "targets": headers.index(h)} for h, w in (widths or {}).items()
                                  if h in headers]
    defs.append({"className": "dt-left", "targets": "_all"})
    return {**_OPTIONS, "columnDefs": defs, "paging": len(df) > _OPTIONS["pageLength"]}


def update(table: Any, df: Any) -> None:
    """Replace a table's rows in place (the widget the notebook shows keeps its place)."""
    # All options again: on update itables drops columnDefs it did not get and escapes HTML unless allowed.
    table.update(df, **_options(df, getattr(table, "_mfakit_widths", None)))


def table_rows(table: Any) -> list[list[str]]:
    """The rows an ``ITable`` widget holds (for tests and checks without a browser)."""
    import json

    data = table._dt_args.get("data_json")
    return json.loads(data) if isinstance(data, str) else list(data or [])
