"""The notebooks' workspace: one inventory, one catalog, every view — and one :meth:`Workspace.refresh`.

Each view method (first screen, grouped view, tables, lockout, progress, widgets) returns an ipywidget and
registers how to redraw it. A change made through a widget (a recorded factor, a finding, a new inventory)
calls :meth:`Workspace.refresh`, which re-reads the file and redraws every view in place: nothing goes stale,
no Run All needed. Widget values are set directly, so all of it works (and is tested) without a browser.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterable

from mfakit import safe


def user_path(p: str | os.PathLike[str]) -> Path:
    """A path the user gave, relative to the project root (not the notebook's folder).

    With ``$MFAKIT_DATA_DIR`` set, ``data/...`` means that data folder (so ``data/private/inventory.yaml`` is
    always "my private inventory", wherever the data lives).
    """
    from mfakit import config

    path = config.resolve_path(p)
    default = Path(config.PROJ_ROOT) / "data"
    try:
        rest = path.relative_to(default)
    except ValueError:
        return path
    return path if Path(config.DATA_DIR) == default else Path(config.DATA_DIR) / rest


class Workspace:
    """Everything a notebook shows, kept in step with the inventory file and the catalog."""

    def __init__(self, inventory: str | os.PathLike[str] | None = None, start_new: str | os.PathLike[str] | None = None,
                 catalog: Any = None, personal_catalog: str | os.PathLike[str] | None = None) -> None:
        from mfakit.config import resolve_inventory

        self.personal_catalog = Path(personal_catalog) if personal_catalog else None
        self.explicit: Path | None = user_path(inventory) if inventory else None
        self.created: Path | None = None
        if start_new:
            target = user_path(start_new)
            if not target.exists():
                self._create(target, from_example=False)
                self.created = target
            self.explicit = target
        self.path = resolve_inventory(self.explicit)
        self._catalog_given = catalog is not None
        self.catalog = catalog if catalog is not None else self._load_catalog()
        self._renderers: list[Callable[[], None]] = []
        #: The widgets of the views shown so far, by name (for checks, and for the e2e suite's reading).
        self.parts: dict[str, Any] = {}
        self.reload()

    # -- data -----------------------------------------------------------------------------------------------------
    def _load_catalog(self) -> Any:
        from mfakit.catalog import load_catalog
        try:
            return load_catalog(personal_path=self.personal_catalog) if self.personal_catalog else load_catalog()
        except TypeError:  # a catalog without the personal layer
            return load_catalog()

    def reload_catalog(self) -> None:
        """Read the catalog again (after a finding was saved to the personal layer)."""
        self.catalog = self._load_catalog()

    def reload(self) -> None:
        """Read the inventory file again and rebuild the plan and the per-device lockout."""
        from mfakit.inventory import load_inventory
        from mfakit.plan import build_plan
        from mfakit.plan.lockout import device_losses

        self.inventory = load_inventory(self.path)
        self.rows = build_plan(self.inventory, self.catalog)
        self.losses = device_losses(self.inventory.accounts)

    def refresh(self) -> None:
        """Reload, then redraw every view this notebook shows, in place."""
        self.reload()
        for render in self._renderers:
            render()

    def _view(self, render: Callable[[], None]) -> None:
        self._renderers.append(render)
        render()

    # -- where the data lives ---------------------------------------------------------------------------------
    @property
    def where(self) -> str:
        """The inventory file, relative to the project folder when inside it (as the notebooks' paths are)."""
        from mfakit.config import PROJ_ROOT, describe_inventory

        try:
            shown = str(Path(self.path).resolve().relative_to(Path(PROJ_ROOT).resolve()))
        except (ValueError, OSError):
            return describe_inventory(self.path)
        return f"{shown} (example)" if self.is_example else shown

    @property
    def is_example(self) -> bool:
        from mfakit.config import is_example
        return is_example(self.path)

    def writable_path(self) -> Path:
        """The file a widget may write: refuses the bundled example (ReadOnlyExampleError names mfakit init)."""
        from mfakit.config import writable_inventory
        return writable_inventory(self.explicit)

    def use(self, path: Path) -> None:
        self.path = Path(path)

    def _create(self, path: Path, from_example: bool) -> Path:
        try:
            from mfakit.inventory import init_inventory
        except ImportError:  # pragma: no cover - before `mfakit init` existed
            from mfakit.inventory import new_inventory, save_inventory
            save_inventory(new_inventory(path, title="my accounts"))
            return path
        return Path(init_inventory(path, from_example=from_example))

    def start_own(self, from_example: bool = False) -> Path:
        """``mfakit init``: create data/private/inventory.yaml (refuses to overwrite) and switch every view to it."""
        from mfakit.config import PRIVATE_INVENTORY

        path = self._create(Path(PRIVATE_INVENTORY), from_example=from_example)
        self.explicit, self.path = None, path
        self.refresh()
        return path

    def personal_catalog_label(self) -> str:
        if self.personal_catalog is not None:
            return str(self.personal_catalog)
        try:
            from mfakit.catalog.personal import personal_catalog_path
            from mfakit.config import PROJ_ROOT
            p = personal_catalog_path()
            return str(p.relative_to(PROJ_ROOT)) if p.is_relative_to(PROJ_ROOT) else str(p)
        except (ImportError, ValueError):
            return "your personal catalog"

    # -- views ------------------------------------------------------------------------------------------------
    def first_screen(self) -> Any:
        """Where am I? The figures, the states per group as a chart, this week's next steps."""
        import ipywidgets as w

        from mfakit.notebook.views import headline_html, next_steps_html
        from mfakit.plan.progress import figure_png, plot_states_by_group

        banner = w.HTML()
        start = w.Button(description="Start my own inventory", button_style="success", layout=w.Layout(width="auto"))
        start.on_click(lambda _b: self._start_from_banner(banner))
        banner_box = w.HBox([banner, start])
        headline = w.HTML()
        chart = w.Image(format="png", layout=w.Layout(width="470px", height="auto"))
        chart.add_class("mfakit-group-chart")
        steps = w.HTML(layout=w.Layout(flex="1 1 auto", margin="0 0 0 1rem"))

        def render() -> None:
            headline.value = headline_html(self.rows, self.inventory, self.where)
            chart.value = figure_png(plot_states_by_group(self.rows))
            steps.value = next_steps_html(self.rows, self.losses)
            if self.is_example:
                banner.value = ('<div class="mfakit-banner">You are looking at the <b>example</b> (the seed author\'s '
                                "accounts), read-only. To plan your own: <code>mfakit init</code> in a terminal, "
                                "or this button (an empty data/private/inventory.yaml, ignored by git).</div>")
                banner_box.layout.display = "flex"
            else:
                banner_box.layout.display = "none"

        self._view(render)
        self.parts.update(headline=headline, group_chart=chart, steps=steps, banner=banner, start=start)
        box = w.VBox([banner_box, headline, w.HBox([chart, steps])])
        box.add_class("mfakit-first-screen")
        return box

    def _start_from_banner(self, banner: Any) -> None:
        from mfakit.errors import MfakitError
        try:
            path = self.start_own(from_example=False)
        except MfakitError as exc:
            banner.value = f'<div class="mfakit-banner">{safe.html(exc.one_line())}</div>'
            return
        banner.value = f'<div class="mfakit-banner">Created {safe.html(path)}: every view now uses it.</div>'

    def grouped(self) -> Any:
        """The inventory grouped by category, each group collapsible."""
        import ipywidgets as w

        from mfakit.notebook.ui import grouped_view_html

        view = w.HTML()
        self._view(lambda: setattr(view, "value", grouped_view_html(self.rows)))
        self.parts["grouped"] = view
        return view

    def _table(self, records: Callable[[], list[dict[str, Any]]], columns: dict[str, str],
               html_columns: Iterable[str], css: str, widths: dict[str, str] | None = None) -> Any:
        from mfakit.notebook.tables import frame, interactive, update

        html_cols = list(html_columns)
        table = interactive(frame(records(), columns, html_cols), widths=widths)
        table.add_class(css)
        self.parts[css] = table
        self._renderers.append(lambda: update(table, frame(records(), columns, html_cols)))
        return table

    def inventory_table(self) -> Any:
        """Every account as a sortable, filterable, searchable table."""
        from mfakit.notebook.views import INVENTORY_COLUMNS, inventory_records
        return self._table(lambda: inventory_records(self.rows), INVENTORY_COLUMNS, ["state"], "mfakit-inventory-table",
                           {"Group": "9%", "Label": "12%", "Service": "12%", "Account": "17%", "Factors": "30%",
                            "State": "9%"})

    def plan_table(self) -> Any:
        """The plan, most actionable first: state, next step, why, lockout risk, sources as short links."""
        from mfakit.notebook.views import PLAN_COLUMNS, plan_records
        return self._table(lambda: plan_records(self.rows), PLAN_COLUMNS, ["state", "source"], "mfakit-plan-table",
                           {"Account": "10%", "Group": "7%", "State": "8%", "Next step": "29%", "Why": "17%",
                            "Lockout risk": "13%", "Source": "16%"})

    def lockout_view(self) -> Any:
        """Per device: the accounts one lost phone app, phone number or key locks you out of."""
        import ipywidgets as w

        from mfakit.notebook.views import LOCKOUT_COLUMNS, lockout_records
        from mfakit.plan.lockout import second_key_line

        table = self._table(lambda: lockout_records(self.losses), LOCKOUT_COLUMNS, [], "mfakit-lockout-table",
                            {"If you lose": "16%", "Kind": "9%", "Locked out of": "25%",
                             "Only with recovery codes": "20%"})
        line = w.HTML()
        line.add_class("mfakit-second-key")
        self._view(lambda: setattr(line, "value", f"<b>{safe.html(second_key_line(self.losses))}</b>"))
        self.parts["second_key"] = line
        return w.VBox([table, line])

    def progress_view(self, last: int = 14) -> Any:
        """Progress per group, and the states over time (one bar per day something changed; today's last)."""
        import ipywidgets as w

        from mfakit.notebook.views import groups_table_html
        from mfakit.plan.progress import figure_png, plot_states_over_time, state_timeline

        groups = w.HTML()
        chart = w.Image(format="png", layout=w.Layout(width="800px", height="auto"))
        chart.add_class("mfakit-progress-chart")

        def render() -> None:
            groups.value = groups_table_html(self.rows)
            chart.value = figure_png(plot_states_over_time(state_timeline(self.inventory, self.catalog, last=last)))

        self._view(render)
        self.parts.update(progress_chart=chart, groups=groups)
        return w.VBox([chart, groups])

    def record_widget(self) -> Any:
        from mfakit.notebook.record import RecordWidget
        widget = RecordWidget(self)
        self.parts["record"] = widget
        self._renderers.append(widget.refresh)
        return widget.box

    def findings_widget(self) -> Any:
        from mfakit.notebook.findings import FindingsWidget
        widget = FindingsWidget(self)
        self.parts["findings"] = widget
        self._renderers.append(widget.refresh)
        return widget.box

    def catalog_search(self, query: str = "") -> Any:
        from mfakit.notebook.search import CatalogSearch
        search = CatalogSearch(self, query)
        self.parts["search"] = search
        self._renderers.append(search.refresh)
        return search.box

    def import_preview(self, files: Iterable[str | os.PathLike[str]] = (), apply: bool = False) -> Any:
        """What importing ``files`` would change (or did, with ``apply``), as an interactive table."""
        from mfakit.notebook.importing import import_preview
        from mfakit.notebook.tables import frame, interactive

        if apply:
            from mfakit.errors import MfakitError
            try:
                self.writable_path()  # the bundled example is read-only: say how to start your own instead
            except MfakitError as exc:
                print(f"not imported: {exc.one_line()}")
                apply = False
            self.reload()
        preview = import_preview(self.inventory, [user_path(f) for f in files], apply=apply, catalog=self.catalog)
        if preview is None:
            return None
        if apply:
            self.refresh()
        records = preview.to_dict("records")
        table = interactive(frame(records, {c: c.replace("_", " ").capitalize() for c in preview.columns}))
        table.add_class("mfakit-import-table")
        return table

    def exports(self, folder: str | os.PathLike[str] | None = None) -> Any:
        """A button that writes the plan in every format to ``folder`` (default data/private/exports/)."""
        import ipywidgets as w

        button = w.Button(description="Write the exports", icon="download", button_style="info",
                          layout=w.Layout(width="auto"))
        result = w.HTML()
        button.on_click(lambda _b: setattr(result, "value", self.write_exports(folder)))
        box = w.VBox([button, result])
        box.add_class("mfakit-exports")
        return box

    def write_exports(self, folder: str | os.PathLike[str] | None = None) -> str:
        """Write CSV, Markdown, HTML, XLSX and JSON; return an HTML list of the files written."""
        from mfakit.errors import MfakitError
        from mfakit.export import FORMATS, default_export_dir, export_rows
        from mfakit.plan import sort_for_plan

        self.reload()
        try:
            out = user_path(folder) if folder else default_export_dir()
            items = []
            for fmt in FORMATS:
                target = out / f"mfakit-status.{fmt}"
                export_rows(sort_for_plan(self.rows), fmt, target, title=self.inventory.title or "mfakit status",
                            meta=f"inventory: {self.where}")
                items.append(f"<li><code>{safe.html(target)}</code> ({target.stat().st_size:,} bytes)</li>")
        except (MfakitError, OSError) as exc:
            msg = exc.one_line() if isinstance(exc, MfakitError) else str(exc)
            return f'<span style="color:#cf222e">{safe.html(msg)}</span>'
        return f"<ul>{''.join(items)}</ul>"
