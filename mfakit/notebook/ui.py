"""The notebooks' views and widgets: grouped collapsible inventory, plan table, record-a-change widget, chart.

Views are HTML strings (``<details>`` groups collapse natively in JupyterLab, no JavaScript); the widget is
ipywidgets and calls the same library function as ``mfakit record``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from mfakit.inventory.model import FACTOR_TYPES, Inventory
from mfakit.plan.states import PlanRow

if TYPE_CHECKING:
    from mfakit.catalog import Catalog

NOTHING = "—"
_STATE_COLOUR = {"done": "#1a7f37", "ready": "#0969da", "hybrid": "#9a6700", "blocked": "#cf222e", "unknown": "#6e7781"}
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
    return html.escape("" if value is None else str(value))


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


class RecordWidget:
    """Choose an account, a factor to add (and where), a factor to remove, press "Record change".

    It reloads the inventory from disk, records through :func:`mfakit.inventory.record_change` (atomic save,
    comments kept) and re-renders the plan table below itself.
    """

    def __init__(self, path: str | Path, catalog: "Catalog | None" = None,
                 on_change: Callable[[Inventory], None] | None = None) -> None:
        import ipywidgets as w

        from mfakit.inventory import load_inventory

        self.path = Path(path)
        self._catalog = catalog
        self._on_change = on_change
        inv = load_inventory(self.path)
        self.account = w.Dropdown(description="Account", options=[(a.display, a.id) for a in inv.accounts])
        self.add = w.Dropdown(description="Add", options=[NOTHING, *FACTOR_TYPES], value=NOTHING)
        self.where = w.Text(description="Where", placeholder="e.g. Titan 2")
        self.remove = w.Dropdown(description="Remove", options=[NOTHING])
        self.button = w.Button(description="Record change", button_style="primary", icon="check")
        self.output = w.Output()
        self.message = w.HTML()
        self.account.observe(lambda _change: self._refresh_remove(), names="value")
        self.button.on_click(lambda _b: self.submit())
        self.box = w.VBox([self.account, w.HBox([self.add, self.where]), self.remove, self.button, self.message,
                           self.output])
        self.box.add_class("mfakit-record")
        self._refresh_remove(inv)

    def _catalog_or_load(self) -> "Catalog":
        if self._catalog is None:
            from mfakit.catalog import load_catalog
            self._catalog = load_catalog()
        return self._catalog

    def _refresh_remove(self, inv: Inventory | None = None) -> None:
        from mfakit.inventory import load_inventory
        inv = inv or load_inventory(self.path)
        if self.account.value is None:
            return
        acc = inv.find(self.account.value)
        self.remove.options = [NOTHING, *[f.spec() for f in acc.factors]]
        self.remove.value = NOTHING

    def submit(self) -> None:
        """Record the chosen change; show the result or a one-line error."""
        from mfakit.errors import MfakitError
        from mfakit.inventory import load_inventory, record_change
        from mfakit.plan import build_plan

        adds = [] if self.add.value == NOTHING else [
            f"{self.add.value}:{self.where.value.strip()}" if self.where.value.strip() else self.add.value]
        removes = [] if self.remove.value == NOTHING else [self.remove.value]
        try:
            inv = load_inventory(self.path)
            made = record_change(inv, self.account.value, add=adds, remove=removes)
        except MfakitError as exc:
            self.message.value = f'<span style="color:#cf222e">{_e(exc.one_line())}</span>'
            return
        acc = inv.find(self.account.value)
        what = ", ".join(f"{c.op} {c.type}" + (f" ({c.where})" if c.where else "") for c in made) or "nothing new"
        self.message.value = f"<b>{_e(acc.display)}</b>: {_e(what)} — saved to {_e(self.path.name)}"
        rows = build_plan(inv, self._catalog_or_load())
        from IPython.display import HTML
        self.output.outputs = ()  # replace, not append: one plan table under the widget
        self.output.append_display_data(HTML(plan_table_html(rows)))
        self._refresh_remove(inv)
        self.add.value = NOTHING
        self.where.value = ""
        if self._on_change:
            self._on_change(inv)

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.box)


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
