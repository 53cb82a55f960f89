"""The "What I found" widget: answer the plan's own question about a service, saved to your personal catalog.

For an account the plan marks ``unknown`` or ``hybrid`` it asks the question whose answer settles it
(:func:`mfakit.catalog.questions.questions_for`), saves the answer with
:func:`mfakit.catalog.personal.set_facts` (``data/private/catalog.yaml``, ignored by git) and refreshes every
view of the notebook: the plan changes in place. The equivalent command is shown beside the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mfakit import safe

if TYPE_CHECKING:
    from mfakit.notebook.workspace import Workspace

_OK, _WARN, _ERR = "#1a7f37", "#9a6700", "#cf222e"


class FindingsWidget:
    """Account (unknown or hybrid) → the plan's question → your answer (and where you saw it) → Save."""

    def __init__(self, workspace: "Workspace") -> None:
        import ipywidgets as w

        self.ws = workspace
        self.questions: list[Any] = []
        wide = w.Layout(width="34rem")
        self.account = w.Dropdown(description="Account", layout=wide)
        self.question = w.HTML()
        self.answer = w.RadioButtons(description="Answer", options=[], layout=w.Layout(width="34rem"))
        self.source = w.Text(description="Source", placeholder="a URL, or 'I tried it' (default: you, today)",
                             layout=wide)
        self.save = w.Button(description="Save what I found", button_style="primary", icon="save",
                             layout=w.Layout(width="14rem"))
        self.command = w.HTML()
        self.message = w.HTML()
        self.account.observe(lambda _c: self._ask(), names="value")
        self.answer.observe(lambda _c: self._show_command(), names="value")
        self.save.on_click(lambda _b: self.submit())
        self.box = w.VBox([self.account, self.question, self.answer, self.source, self.save, self.command,
                           self.message])
        self.box.add_class("mfakit-findings")
        self.refresh()

    def _open_rows(self) -> list[Any]:
        return [r for r in self.ws.rows if r.state in ("unknown", "hybrid")]

    def refresh(self) -> None:
        """The accounts with an open question, from the workspace's current plan."""
        current = self.account.value
        options = [(f"{r.label} — {r.state}", r.account_id) for r in self._open_rows()]
        self.account.options = options
        ids = [i for _, i in options]
        self.account.value = current if current in ids else (ids[0] if ids else None)
        self._ask()

    def _ask(self) -> None:
        from mfakit.catalog.questions import questions_for

        row = next((r for r in self.ws.rows if r.account_id == self.account.value), None)
        self.questions = questions_for(row, self.ws.catalog) if row is not None else []
        if row is None:
            self.question.value = "<i>No account is unknown or hybrid: nothing to find out.</i>"
        elif not self.questions:
            self.question.value = (f"<i>{safe.html(row.label)}: nothing the catalog can record settles it "
                                   f"({safe.html(row.reason)}).</i>")
        else:
            self.question.value = f'<b class="mfakit-question">{safe.html(self.questions[0].text)}</b>'
        choices = self.questions[0].choices if self.questions else []
        self.answer.options = [(label, value) for label, value in choices]
        self.answer.value = None
        self.save.disabled = not self.questions
        self._show_command()

    def _show_command(self) -> None:
        if not self.questions or self.answer.value is None:
            self.command.value = ""
            return
        cmd = self.questions[0].command(self.answer.value)
        self.command.value = f'<span class="mfakit-muted">same as: <code>{safe.html(cmd)}</code></span>'

    def submit(self) -> None:
        """Save the chosen answer to the personal catalog, then refresh every view."""
        from mfakit.catalog.personal import add_service, set_facts
        from mfakit.errors import MfakitError

        if not self.questions:
            self.message.value = f'<span style="color:{_WARN}">Choose an account with a question first.</span>'
            return
        if self.answer.value is None:
            self.message.value = f'<span style="color:{_WARN}">Choose an answer first.</span>'
            return
        q, value = self.questions[0], self.answer.value
        label = next((lbl for lbl, v in q.choices if v == value), value)
        account_id = self.account.value
        try:
            sid = add_service(q.service, path=self.ws.personal_catalog) if q.add_first else q.service
            set_facts(sid, {q.fact: value}, source=self.source.value.strip() or None, path=self.ws.personal_catalog)
        except MfakitError as exc:
            self.message.value = f'<span style="color:{_ERR}">{safe.html(exc.one_line())}</span>'
            return
        self.ws.reload_catalog()
        self.ws.refresh()
        row = next((r for r in self.ws.rows if r.account_id == account_id), None)
        now = f" {row.label} is now {row.state}: {row.next_step}" if row else ""
        self.source.value = ""
        self.message.value = (f'<span style="color:{_OK}">Saved to {safe.html(self.ws.personal_catalog_label())}: '
                              f"{safe.html(q.text)} → {safe.html(label)}.{safe.html(now)}</span>")

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.box)
