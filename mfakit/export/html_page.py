"""The printable HTML export: one self-contained page (inline CSS, no script, nothing fetched) to open or print.

It fits the window (no sideways scrolling) and prints on A4 or Letter landscape without cutting a column: the
table has a fixed layout in percentages and long words (URLs, e-mail addresses, rule ids) break anywhere.
Every value from data is escaped with :func:`mfakit.safe.html`; sources are short links (new tab, no referrer).
"""

from __future__ import annotations

from typing import Any

from mfakit import safe
from mfakit.export.columns import HEADERS
from mfakit.export.summary import STATE_FILL, STATE_MEANING, STATES, headline, risk_line
from mfakit.plan.sources import source_link_html, split_sources

#: Relative column widths (percent of the table); columns not listed share what is left.
WIDTHS: dict[str, float] = {
    "group": 7, "label": 9, "service": 8, "account": 10, "state": 7, "factors": 11, "next_step": 13,
    "reason": 9, "lockout_risk": 7, "lockout_reasons": 9, "source": 10,
}

_CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP","Noto Sans CJK JP",sans-serif;
  margin:1.2rem;color:#222;max-width:100%}
h1{font-size:1.35rem;margin:0 0 .15rem} p.meta{color:#555;margin:0 0 .8rem}
h1,p,td,th,.fig{overflow-wrap:anywhere}
section.summary{display:flex;flex-wrap:wrap;gap:.6rem 1.6rem;align-items:flex-start;margin:0 0 1rem}
section.summary>*{min-width:0;max-width:100%}
.figures{display:flex;flex-wrap:wrap;gap:.5rem}
.fig{border:1px solid #ccc;border-radius:4px;padding:.3rem .6rem;min-width:7.5rem}
.fig b{display:block;font-size:1.25rem}
table{border-collapse:collapse}
table.groups th,table.groups td{border:1px solid #ccc;padding:.15rem .45rem;text-align:right}
table.groups th:first-child,table.groups td:first-child{text-align:left}
table.plan{width:100%;table-layout:fixed;font-size:12px}
table.plan th,table.plan td{border:1px solid #bbb;padding:.25rem .3rem;vertical-align:top;text-align:left;
  overflow-wrap:anywhere;word-break:normal}
table.plan th{overflow-wrap:normal;hyphens:none}
table.plan th{background:#eee;position:sticky;top:0}
thead{display:table-header-group} tr{break-inside:avoid;page-break-inside:avoid}
td.state{font-weight:600}
STATE_RULES
.risk-high{color:#b00020;font-weight:600}.risk-medium{color:#8a5a00}
a.source{color:#0645ad;text-decoration:none;display:block} span.source{color:#555;display:block}
p.legend{color:#555;font-size:.9em;margin:.6rem 0 0}
@page{size:landscape;margin:10mm}
@media print{
  body{margin:0;font-size:7.5pt;line-height:1.3}
  h1{font-size:12pt} .fig b{font-size:10pt} .fig{padding:.15rem .4rem;min-width:0}
  table.plan th{position:static} table.plan th,table.plan td{padding:2pt 3pt}
  th,td.state{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  a.source{color:#0645ad}
}
"""


def _css() -> str:
    rules = "".join(f".state-{s}{{background:#{c}}}" for s, c in STATE_FILL.items())
    return _CSS.replace("STATE_RULES", rules)


def _summary_html(s: dict[str, Any]) -> str:
    figs = [f'<div class="fig"><b>{s["off_app"]} / {s["total"]}</b>off the app ({s["percent_off_app"]}%)</div>',
            f'<div class="fig"><b>{s["on_key"]}</b>on a key or passkey</div>']
    figs += [f'<div class="fig state-{st}"><b>{s["by_state"][st]}</b>{st}</div>' for st in STATES]
    groups = "".join(
        f'<tr><td>{safe.html(g["group"] or "(no group)")}</td><td>{g["accounts"]}</td><td>{g["off_app"]}</td>'
        f'<td>{g["done"]}</td><td>{g["ready"] + g["hybrid"]}</td><td>{g["blocked"] + g["unknown"]}</td></tr>'
        for g in s["by_group"])
    table = ('<table class="groups"><thead><tr><th>Group</th><th>Accounts</th><th>Off the app</th><th>Done</th>'
             f'<th>Ready or hybrid</th><th>Blocked or unknown</th></tr></thead><tbody>{groups}</tbody></table>')
    return (f'<section class="summary" aria-label="Summary"><div><p><strong>{safe.html(headline(s))}</strong>'
            f'<br>{safe.html(risk_line(s))}</p><div class="figures">{"".join(figs)}</div></div>{table}</section>')


def _cell(col: str, value: Any) -> str:
    if col == "state":
        cls = f"state state-{value}" if value in STATE_FILL else "state"
        return f'<td class="{cls}">{safe.html(value)}</td>'
    if col == "lockout_risk":
        cls = f' class="risk-{value}"' if value in ("high", "medium") else ""
        return f"<td{cls}>{safe.html(value)}</td>"
    if col == "source":
        return "<td>" + "".join(source_link_html(r.text, r.as_of) for r in split_sources(value)) + "</td>"
    return f"<td>{_breakable(safe.html(value))}</td>"


def _breakable(escaped: str) -> str:
    """Break opportunities after ``_``, ``@`` and ``/`` (rule ids, e-mail addresses, paths) in escaped text."""
    return escaped.replace("_", "_<wbr>").replace("@", "@<wbr>").replace("/", "/<wbr>")


def render_html(recs: list[dict[str, Any]], columns: tuple[str, ...], title: str = "mfakit export",
                meta: str = "", summary: dict[str, Any] | None = None) -> str:
    """A self-contained page: title, summary (figures and groups), the table, the state legend."""
    known = sum(WIDTHS.get(c, 0) for c in columns)
    rest = [c for c in columns if c not in WIDTHS]
    spare = max(100 - known, 0) / len(rest) if rest else 0
    scale = 100 / (known + spare * len(rest)) if columns else 1
    cols = "".join(f'<col style="width:{(WIDTHS.get(c, spare)) * scale:.2f}%">' for c in columns)
    head = "".join(f"<th>{safe.html(HEADERS.get(c, c))}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(_cell(c, r[c]) for c in columns) + "</tr>" for r in recs)
    stamp = summary["generated"] if summary else ""
    meta_line = " · ".join(x for x in (meta, f"generated {stamp}" if stamp else "") if x)
    legend = " · ".join(f"<b>{s}</b>: {safe.html(m)}" for s, m in STATE_MEANING.items())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{safe.html(title)}</title><style>{_css()}</style></head><body>\n"
        f'<h1>{safe.html(title)}</h1><p class="meta">{safe.html(meta_line)}</p>\n'
        + (_summary_html(summary) + "\n" if summary else "")
        + f'<table class="plan"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>\n{body}\n'
        f'</tbody></table>\n<p class="legend">{legend}</p>\n</body></html>\n'
    )
