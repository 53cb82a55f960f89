"""A catalog search box: type a name, domain or alias; see what each matching service supports, with sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mfakit import safe

if TYPE_CHECKING:
    from mfakit.catalog import Catalog, Service
    from mfakit.notebook.workspace import Workspace

_YES, _NO = "✔", "✘"


def search_catalog(catalog: "Catalog", query: str, limit: int = 8) -> list["Service"]:
    """Services for ``query``: the catalog's own match first, then names, domains and aliases containing it.

    Matching ignores case, full/half width, accents and punctuation (the catalog's :func:`normalize_name`).
    """
    from mfakit.catalog import normalize_name

    q = (query or "").strip()
    if not q:
        return []
    found: dict[str, Service] = {}
    m = catalog.match(q)
    for sid in ([m.service.id] if m.service else []) + list(m.candidates):
        svc = catalog.get(sid)
        if svc is not None:
            found.setdefault(svc.id, svc)
    key = normalize_name(q)
    if key:
        ranked = []
        for svc in catalog.services.values():
            names = [svc.name, svc.id, *svc.aliases]
            if any(key in normalize_name(n) for n in names) or any(key in d.replace(".", "") for d in svc.domains):
                starts = any(normalize_name(n).startswith(key) for n in names)
                ranked.append((0 if svc.origin in ("curated", "personal") else 1, 0 if starts else 1,
                               len(svc.name), svc.name.casefold(), svc))
        for *_, svc in sorted(ranked, key=lambda t: t[:4]):
            found.setdefault(svc.id, svc)
    return list(found.values())[:limit]


def _mark(svc: "Service", cap: str) -> str:
    v = svc.supports_value(cap)
    return "?" if v is None else (_YES if v else _NO)


def results_html(services: list["Service"], query: str) -> str:
    """The matches as a small table: what each supports, key-only, backups required, and the sources."""
    from mfakit.notebook.views import STYLE, source_link

    if not query.strip():
        return '<span class="mfakit-muted">Type a service name, a domain or an alias (e.g. github, じゃらん).</span>'
    if not services:
        return (f'<span class="mfakit-muted">No service in the catalog matches “{safe.html(query)}”. Found it '
                "yourself? <code>mfakit catalog add NAME</code>, then the What-I-found widget.</span>")
    head = ("<tr><th>Service</th><th>Domains</th><th>Security key</th><th>Passkey</th><th>TOTP</th><th>SMS</th>"
            "<th>Key-only</th><th>Backups required</th><th>Sources</th></tr>")
    body = []
    for s in services:
        facts = [*s.supports.values(), *(f for f in (s.key_only, s.backups_required) if f is not None)]
        sources = "; ".join(dict.fromkeys(f"{f.source} ({f.origin}, {f.as_of})" for f in facts))
        passkey = _YES if (s.supports_value("passkey_login") or s.supports_value("passkey_2fa")) else (
            "?" if s.supports_value("passkey_login") is None and s.supports_value("passkey_2fa") is None else _NO)
        backups = s.backups_required.value if s.backups_required else ""
        if isinstance(backups, (list, tuple)):
            backups = ", ".join(map(str, backups))
        body.append(
            f'<tr data-service="{safe.html(s.id)}"><td><b>{safe.html(s.name)}</b></td>'
            f"<td>{safe.html(', '.join(s.domains[:3]))}</td><td>{_mark(s, 'security_key')}</td><td>{passkey}</td>"
            f"<td>{_mark(s, 'totp')}</td><td>{_mark(s, 'sms')}</td><td>{safe.html(s.key_only_value)}</td>"
            f"<td>{safe.html(backups)}</td><td>{source_link(sources)}</td></tr>")
    return f'{STYLE}<table class="mfakit-small mfakit-search-results">{head}{"".join(body)}</table>'


class CatalogSearch:
    """A search box over the catalog (curated, personal and imported layers) with results below it."""

    def __init__(self, workspace: "Workspace", query: str = "") -> None:
        import ipywidgets as w

        self.ws = workspace
        self.box_input = w.Text(value=query, placeholder="Search the catalog: name, domain or alias",
                                description="Service", continuous_update=True, layout=w.Layout(width="30rem"))
        self.results = w.HTML()
        self.box_input.observe(lambda _c: self.refresh(), names="value")
        self.box = w.VBox([self.box_input, self.results])
        self.box.add_class("mfakit-search")
        self.refresh()

    def refresh(self) -> None:
        q = self.box_input.value
        self.results.value = results_html(search_catalog(self.ws.catalog, q), q)

    def _ipython_display_(self) -> Any:
        from IPython.display import display
        display(self.box)
