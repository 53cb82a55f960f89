"""The terminal views of ``status`` and ``plan``, and the ``--state`` / ``--group`` filters they share with ``export``.

Every name from data goes through :func:`mfakit.safe.terminal` before it meets rich markup. Sources are short
(``docs.github.com · 2026-11``), numbered once per table and listed below it; ``--sources`` lists them in full.
A short source is a terminal hyperlink only for a safe http(s) URL, and only when rich writes to a terminal.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from mfakit import safe
from mfakit.errors import MfakitError

STATE_STYLE = {"done": "green", "ready": "cyan", "hybrid": "yellow", "blocked": "red", "unknown": "dim"}
RISK_STYLE = {"high": "bold red", "medium": "yellow", "low": "", "none": "dim"}


def _split_values(values: Iterable[str] | None) -> list[str]:
    """``["ready,hybrid", "done"]`` → ``["ready", "hybrid", "done"]`` (a filter may be repeated or comma-separated)."""
    out: list[str] = []
    for v in values or ():
        out += [p.strip() for p in str(v).split(",") if p.strip()]
    return out


def check_states(values: Iterable[str] | None) -> set[str]:
    """The states asked for with ``--state``; an unknown one is an error with a suggestion."""
    from mfakit.suggest import did_you_mean
    from mfakit.plan import STATES

    wanted = set()
    for v in _split_values(values):
        if v.lower() not in STATES:
            raise MfakitError(f"--state '{safe.plain(v)}' is not a state{did_you_mean(v, STATES)}; "
                              f"use {', '.join(STATES)}")
        wanted.add(v.lower())
    return wanted


def check_groups(values: Iterable[str] | None, groups: Sequence[str]) -> set[str]:
    """The groups asked for with ``--group`` (case-insensitive), as the inventory spells them."""
    from mfakit.suggest import did_you_mean

    by_fold = {g.casefold(): g for g in groups}
    wanted = set()
    for v in _split_values(values):
        if v.casefold() not in by_fold:
            listed = ", ".join(safe.plain(g) for g in groups[:12]) + (", …" if len(groups) > 12 else "")
            raise MfakitError(f"--group '{safe.plain(v)}' is not a group of this inventory"
                              f"{did_you_mean(v, groups)}; groups: {listed}")
        wanted.add(by_fold[v.casefold()])
    return wanted


def filter_rows(rows: list[Any], states: set[str], groups: set[str]) -> list[Any]:
    """Rows in one of ``states`` and one of ``groups`` (an empty set keeps all)."""
    return [r for r in rows if (not states or r.state in states) and (not groups or r.group in groups)]


def filter_note(states: set[str], groups: set[str], shown: int, total: int) -> str:
    """``" (filtered: state ready, hybrid; 3 of 12 accounts)"`` or ``""``."""
    parts = []
    if states:
        from mfakit.plan import STATES
        parts.append("state " + ", ".join(s for s in STATES if s in states))
    if groups:
        parts.append("group " + ", ".join(safe.plain(g) for g in sorted(groups)))
    return f" (filtered: {'; '.join(parts)}; {shown} of {total} accounts)" if parts else ""


def _styled(value: str, style_map: dict[str, str]) -> str:
    style = style_map.get(value, "")
    return f"[{style}]{safe.terminal(value)}[/]" if style else safe.terminal(value)


def status_table(groups: Sequence[str], rows: list[Any], title: str) -> Any:
    """The grouped status table: a header line per group with its progress, then its accounts."""
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold", expand=False)
    table.add_column("Account", overflow="fold")
    table.add_column("State")
    table.add_column("Risk")
    table.add_column("Next step", overflow="fold")
    for group in groups:
        members = [r for r in rows if r.group == group]
        if not members:
            continue
        off = sum(r.off_app for r in members)
        table.add_row(f"[bold]▾ {safe.terminal(group)}[/bold] [dim]({off}/{len(members)} off the app)[/dim]",
                      "", "", "")
        for r in members:
            table.add_row(f"  {safe.terminal(r.label)}", _styled(r.state, STATE_STYLE),
                          _styled(r.lockout_risk, RISK_STYLE), safe.terminal(r.next_step))
    return table


def _link(href: str) -> Any:
    """A rich style linking to ``href`` (already checked by :func:`mfakit.plan.sources.safe_href`)."""
    from rich.style import Style

    return Style(link=href)


def _sources_cell(nums: list[int], notes: Any, links: bool) -> Any:
    from rich.text import Text

    cell = Text()
    for i, n in enumerate(nums):
        ref = notes.refs[n - 1]
        if i:
            cell.append(" ")
        cell.append(f"[{n}]", style=_link(ref.href) if links and ref.href else "dim")
    return cell


def plan_table(rows: list[Any], title: str, notes: Any, *, links: bool = False) -> Any:
    """The plan, most actionable first: account and group, state and risk, next step and why, source numbers."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold", show_lines=True, box=box.SQUARE,
                  expand=False)
    table.add_column("Account", overflow="fold", ratio=2, min_width=10)
    table.add_column("State\nrisk", no_wrap=True)
    table.add_column("Next step · why", overflow="fold", ratio=7)
    table.add_column("Src", overflow="fold", max_width=9)
    for r in rows:
        risk = _styled(r.lockout_risk, RISK_STYLE)
        why = safe.terminal(r.reason)
        if r.lockout.rules:
            why += f"; risk: {safe.terminal(', '.join(r.lockout.rules))}"
        table.add_row(f"{safe.terminal(r.label)}\n[dim]{safe.terminal(r.group)}[/dim]",
                      f"{_styled(r.state, STATE_STYLE)}\n{risk}",
                      f"{safe.terminal(r.next_step)}\n[dim]{why}[/dim]",
                      _sources_cell(notes.add(r.source), notes, links))
    return table


def source_lines(notes: Any, *, full: bool, links: bool = False) -> list[Any]:
    """The numbered sources under the plan: short labels (several per line), or one full reference per line."""
    from rich.text import Text

    if not len(notes):
        return []
    if full:
        lines = []
        for n, ref in notes:
            line = Text(f"[{n}] ", style="bold")
            line.append(safe.plain(ref.text), style=_link(ref.href) if links and ref.href else "")
            extra = ", ".join(x for x in (ref.origin, f"checked {ref.as_of}" if ref.as_of else "") if x)
            if extra:
                line.append(f" ({safe.plain(extra)})", style="dim")
            lines.append(line)
        return lines
    from rich.columns import Columns

    items = []
    for n, ref in notes:
        item = Text(f"[{n}] ", style="dim")
        item.append(safe.plain(ref.label), style=_link(ref.href) if links and ref.href else "")
        items.append(item)
    return [Text("Sources (mfakit plan --sources lists them in full):", style="bold"),
            Columns(items, padding=(0, 2), column_first=True)]


def links_allowed(console: Any) -> bool:
    """Hyperlinks only for a real terminal that rich writes styles to (never into a file, a pipe or TERM=dumb)."""
    return bool(console.is_terminal and console.color_system is not None and not console.is_dumb_terminal)
