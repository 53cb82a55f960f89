"""The "Record a change" widget: the same library call as ``mfakit record``, then every view refreshed in place.

Friendly on purpose: an empty submit says what to fill; "Where" offers the keys and apps already in the
inventory; a change the plan warns against (removing what the service requires, or the last second factor) is
refused with the one-line reason and a "Record anyway" confirmation; with no private inventory the widget
says how to start one and offers the button that does it (``mfakit init``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from mfakit import safe
from mfakit.inventory.model import FACTOR_TYPES

if TYPE_CHECKING:
    from mfakit.notebook.workspace import Workspace

NOTHING = "—"
_OK, _WARN, _ERR = "#1a7f37", "#9a6700", "#cf222e"


def _say(colour: str, text: str) -> str:
    return f'<span style="color:{colour}">{safe.html(text)}</span>'


def _with_links(text: str) -> str:
    """Escaped text whose http(s) URLs become short links (the domain), so a cited source stays readable."""
    import re

    from mfakit.plan.sources import source_link_html

    parts = re.split(r"(https?://[^\s,;)]+)", text)
    return "".join(source_link_html(p) if i % 2 else safe.html(p) for i, p in enumerate(parts))


def _error_classes() -> tuple[type[BaseException] | None, type[BaseException] | None]:
    """(ReadOnlyExampleError, RecordRefused) when the kit defines them."""
    from mfakit import errors
    return getattr(errors, "ReadOnlyExampleError", None), getattr(errors, "RecordRefused", None)


class RecordWidget:
    """Account, factor to add (and where), factor to remove, date → "Record change"."""

    def __init__(self, workspace: "Workspace") -> None:
        import ipywidgets as w

        self.ws = workspace
        wide = w.Layout(width="26rem")
        self.account = w.Dropdown(description="Account", layout=wide)
        self.add = w.Dropdown(description="Add", options=[NOTHING, *FACTOR_TYPES], value=NOTHING, layout=wide)
        self.where = w.Combobox(description="Where", placeholder="a key or app you use, or a new name",
                                ensure_option=False, layout=wide)
        self.remove = w.Dropdown(description="Remove", options=[NOTHING], layout=wide)
        self.when = w.DatePicker(description="Date", value=date.today(), layout=wide)
        self.button = w.Button(description="Record change", button_style="primary", icon="check")
        self.message = w.HTML()
        self.force = w.Button(description="Record anyway", button_style="warning")
        self.cancel = w.Button(description="Cancel")
        self.confirm = w.HBox([self.force, self.cancel], layout=w.Layout(display="none"))
        self.init_example = w.Button(description="Start from the example", button_style="success",
                                     layout=w.Layout(width="auto"))
        self.init_empty = w.Button(description="Start empty", layout=w.Layout(width="auto"))
        self.init_box = w.HBox([self.init_example, self.init_empty], layout=w.Layout(display="none"))
        self._pending: tuple[list[str], list[str], date | None] | None = None
        self.account.observe(lambda _c: self._refresh_remove(), names="value")
        self.button.on_click(lambda _b: self.submit())
        self.force.on_click(lambda _b: self.submit(force=True))
        self.cancel.on_click(lambda _b: self._clear_confirm("Not recorded."))
        self.init_example.on_click(lambda _b: self.start_own(from_example=True))
        self.init_empty.on_click(lambda _b: self.start_own(from_example=False))
        self.box = w.VBox([self.account, w.HBox([self.add, self.where]), self.remove, self.when, self.button,
                           self.message, self.confirm, self.init_box])
        self.box.add_class("mfakit-record")
        self.refresh()

    # -- keeping the choices in step with the inventory -------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the choices from the workspace's inventory (after any change, by anyone)."""
        from mfakit.notebook.views import devices_in_use

        inv = self.ws.inventory
        current = self.account.value
        options = [(a.display, a.id) for a in inv.accounts]
        self.account.options = options
        ids = [i for _, i in options]
        self.account.value = current if current in ids else (ids[0] if ids else None)
        used = devices_in_use(inv)
        self.where.options = [n for n in (*used["key"], *used["phone app"], *used["phone number"])
                              if not n.startswith("(unnamed")]
        self._refresh_remove()

    def _refresh_remove(self) -> None:
        if self.account.value is None:
            self.remove.options = [NOTHING]
            return
        acc = self.ws.inventory.find(self.account.value)
        self.remove.options = [NOTHING, *[f.spec() for f in acc.factors]]
        self.remove.value = NOTHING

    def _clear_confirm(self, message: str | None = None) -> None:
        self._pending = None
        self.confirm.layout.display = "none"
        if message is not None:
            self.message.value = _say(_WARN, message)

    # -- recording ----------------------------------------------------------------------------------------------
    def _form(self) -> tuple[list[str], list[str], date | None] | None:
        if self.account.value is None:
            self.message.value = _say(_WARN, "Choose an account first (the inventory has none yet: import or "
                                             "add accounts in notebook 01).")
            return None
        where = (self.where.value or "").strip()
        adds = [] if self.add.value == NOTHING else [f"{self.add.value}:{where}" if where else self.add.value]
        removes = [] if self.remove.value == NOTHING else [self.remove.value]
        if where and self.add.value == NOTHING:
            self.message.value = _say(_WARN, f"'Where' ({where}) goes with a factor to Add: choose its type.")
            return None
        if not adds and not removes:
            self.message.value = _say(_WARN, "Nothing to record yet: choose a factor to Add (and Where it "
                                             "lives) or one to Remove, then press Record change.")
            return None
        return adds, removes, self.when.value

    def submit(self, force: bool = False) -> None:
        """Record the form's change (or the pending one, with ``force``); show the result in one line."""
        from mfakit.errors import MfakitError
        from mfakit.inventory import load_inventory, record_change

        read_only, refused = _error_classes()
        form = self._pending if force and self._pending else self._form()
        if form is None:
            return
        adds, removes, when = form
        kwargs: dict[str, Any] = {"force": force, "catalog": self.ws.catalog}
        try:
            path = self.ws.writable_path()
            inv = load_inventory(path)
            made = record_change(inv, self.account.value, add=adds, remove=removes, when=when, **kwargs)
        except MfakitError as exc:
            if read_only is not None and isinstance(exc, read_only):
                self.message.value = _say(_WARN, exc.one_line())
                self.init_box.layout.display = "flex"
                return
            if refused is not None and isinstance(exc, refused):
                self._pending = form
                reason = exc.message.replace(" (add --force to record it anyway)", "")
                self.message.value = (f'<span style="color:{_ERR}">{_with_links(reason)}</span><br>' + _say(
                    _WARN, "Record it anyway? Only if you are sure the plan's fact is out of date."))
                self.confirm.layout.display = "flex"
                return
            self.message.value = _say(_ERR, exc.one_line())
            return
        self._clear_confirm()
        acc = inv.find(self.account.value)
        what = ", ".join(f"{c.op} {c.type}" + (f" ({c.where})" if c.where else "") for c in made) or "nothing new"
        day = made[0].date.isoformat() if made else ""
        self.ws.use(path)
        self.ws.refresh()
        row = next((r for r in self.ws.rows if r.account_id == acc.id), None)
        state = f" {acc.display} is now {row.state}." if row else ""
        self.message.value = (f'<span style="color:{_OK}"><b>{safe.html(acc.display)}</b>: {safe.html(what)}'
                              f"{' on ' + day if day else ''} — saved to {safe.html(path.name)}."
                              f"{safe.html(state)}</span>")
        self.add.value = NOTHING
        self.where.value = ""

    def start_own(self, from_example: bool) -> None:
        """``mfakit init`` from the widget: create data/private/inventory.yaml and work on it from now on."""
        from mfakit.errors import MfakitError

        try:
            path = self.ws.start_own(from_example=from_example)
        except MfakitError as exc:
            self.message.value = _say(_ERR, exc.one_line())
            return
        self.init_box.layout.display = "none"
        how = "a copy of the example" if from_example else "an empty inventory"
        self.message.value = _say(_OK, f"Created {path} ({how}); the widgets and views now use it. "
                                       "Press Record change again to save your change there.")

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.box)
