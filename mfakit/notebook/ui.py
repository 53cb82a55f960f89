"""HTML views that need no JavaScript: the grouped, collapsible inventory and a static plan table.

``<details>`` groups collapse natively in JupyterLab. The interactive workspace (tables, widgets, charts,
one refresh for all) is :mod:`mfakit.notebook.workspace`; the record widget is :mod:`mfakit.notebook.record`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from mfakit import safe
from mfakit.notebook.record import NOTHING, RecordWidget  # noqa: F401 - kept where it used to live
from mfakit.plan.progress import STATE_COLOURS as _STATE_COLOUR
from mfakit.plan.states import PlanRow

if TYPE_CHECKING:
    from mfakit.catalog import Catalog

_STYLE = """<style>
.mfakit-group{margin:.3rem 0;border:1px solid #ddd;border-radius:6px;padding:.2rem .6rem}
.mfakit-group>summary{cursor:pointer;font-weight:600;padding:.2rem 0}
.mfakit-group table,table.mfakit-plan{border-collapse:collapse;margin:.3rem 0;font-size:13px;table-layout:auto}
.jp-RenderedHTMLCommon .mfakit-group td,.jp-RenderedHTMLCommon .mfakit-group th,
.jp-RenderedHTMLCommon table.mfakit-plan td,.jp-RenderedHTMLCommon table.mfakit-plan th,
.mfakit-group td,.mfakit-group th,table.mfakit-plan td,table.mfakit-plan th
{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left!important;vertical-align:top}
table.mfakit-plan td.step{min-width:16em} table.mfakit-plan td.source{max-width:24em;word-break:break-word;color:#666;font-size:11px}
td.state{font-weight:600}
</style>"""


def _e(value: Any) -> str:
    return safe.html(value)


def _state_cell(state: str) -> str:
    return f'<td class="state" style="color:{_STATE_COLOUR.get(state, "#000")}">{_e(state)}</td>'


def grouped_view_html(rows: Iterable[PlanRow], open_groups: bool = True) -> str:
    """The inventory grouped by category in collapsible ``<details class="mfakit-group">`` blocks."""
    groups: dict[str, list[PlanRow]] = {}
    for r in rows:
        groups.setdefault(r.group, []).append(r)
    parts = [_STYLE]
    for group, members in groups.items():
        off = sum(r.off_app for r in members)
        body = "".join(
            f'<tr data-account="{_e(r.account_id)}"><td>{_e(r.label)}</td><td>{_e(r.account)}</td>'
            f"<td>{_e(r.factors)}</td>{_state_cell(r.state)}</tr>" for r in members)
        parts.append(
            f'<details class="mfakit-group" data-group="{_e(group)}"{" open" if open_groups else ""}>'
            f"<summary>{_e(group)} — {len(members)} account(s), {off} off the app</summary>"
            f"<table><thead><tr><th>Label</th><th>Account</th><th>Factors</th><th>State</th></tr></thead>"
            f"<tbody>{body}</tbody></table></details>")
    return "\n".join(parts)


def plan_table_html(rows: Iterable[PlanRow]) -> str:
    """The plan as ``table.mfakit-plan``: one row per account (``data-account``), state, next step, risk, source."""
    body = "".join(
        f'<tr data-account="{_e(r.account_id)}"><td>{_e(r.label)}</td><td>{_e(r.group)}</td>{_state_cell(r.state)}'
        f'<td class="step">{_e(r.next_step)}</td><td>{_e(r.reason)}</td>'
        f'<td class="risk">{_e(r.lockout.summary())}</td><td class="source">{_e(r.source)}</td></tr>'
        for r in rows)
    return (_STYLE + '<table class="mfakit-plan"><thead><tr><th>Account</th><th>Group</th><th>State</th>'
            "<th>Next step</th><th>Why</th><th>Lockout risk</th><th>Source</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def show(html_text: str) -> None:
    """Display an HTML string in the notebook."""
    from IPython.display import HTML, display
    display(HTML(html_text))


def catalog_facts(catalog: "Catalog", name: str) -> list[dict[str, Any]]:
    """Every fact the catalog holds on one service, with origin, source and date (for a table)."""
    match = catalog.match(name)
    if match.service is None:
        hint = f" (candidates: {', '.join(match.candidates)})" if match.candidates else ""
        return [{"service": name, "fact": "match", "value": f"not found{hint}", "origin": "", "source": "", "as_of": ""}]
    s = match.service
    rows = [{"service": s.name, "fact": cap, "value": fact.value, "origin": fact.origin, "source": fact.source,
             "as_of": fact.as_of} for cap, fact in s.supports.items()]
    for label, fact in (("key_only", s.key_only), ("backups_required", s.backups_required)):
        if fact is not None:
            rows.append({"service": s.name, "fact": label, "value": fact.value, "origin": fact.origin,
                         "source": fact.source, "as_of": fact.as_of})
    return rows


def show_figure(fig: Any) -> None:
    """Display a matplotlib Figure as a PNG image output (works headless and in JupyterLab alike)."""
    import io

    from IPython.display import Image, display

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    display(Image(data=buf.getvalue(), format="png"))
