"""The notebooks' views as plain data → HTML / DataFrames: headline figures, next steps, the tables' rows.

Every name from data goes through :func:`mfakit.safe.html`; these functions need no kernel and no browser.
"""

from __future__ import annotations

from typing import Any, Iterable

from mfakit import safe
from mfakit.inventory.model import KEY_FACTORS, Inventory
from mfakit.plan.lockout import DeviceLoss, devices, second_key_line
from mfakit.plan.progress import CHART_STATES, STATE_COLOURS, summarize, summarize_by_group
from mfakit.plan.states import PlanRow, sort_for_plan

STYLE = """<style>
.mfakit-figures{display:flex;flex-wrap:wrap;gap:.6rem;margin:.2rem 0 .4rem 0}
.mfakit-figure{border:1px solid #d0d7de;border-radius:8px;padding:.35rem .8rem;min-width:8.5rem;background:#fff}
.mfakit-figure .n{font-size:1.7rem;font-weight:700;line-height:1.1}
.mfakit-figure .t{font-size:.8rem;color:#57606a}
.mfakit-states{display:flex;gap:.35rem;flex-wrap:wrap;margin:.2rem 0}
.mfakit-chip{border-radius:10px;padding:.05rem .55rem;color:#fff;font-size:.8rem;font-weight:600}
.mfakit-steps{margin:.1rem 0;padding-left:1.2rem;font-size:.9rem}
.mfakit-steps li{margin:.15rem 0}
.mfakit-muted{color:#57606a;font-size:.8rem}
.mfakit-banner{border-left:4px solid #bf8700;background:#fff8c5;padding:.3rem .7rem;margin:.2rem 0;font-size:.9rem}
table.mfakit-small{border-collapse:collapse;font-size:12.5px}
table.mfakit-small td,table.mfakit-small th{border-bottom:1px solid #eee;padding:.15rem .6rem;text-align:left}
table.mfakit-small td.num,table.mfakit-small th.num{text-align:right}
.mfakit-itable td,.mfakit-itable th{text-align:left!important;vertical-align:top}
</style>"""


def state_chip(state: str, count: int | None = None) -> str:
    """A coloured state label (with a count when given)."""
    label = state if count is None else f"{state} {count}"
    return (f'<span class="mfakit-chip" data-state="{safe.html(state)}" '
            f'style="background:{STATE_COLOURS.get(state, "#57606a")}">{safe.html(label)}</span>')


def source_link(source: str) -> str:
    """A plan row's sources as short links (domain and date), each opening in a new tab."""
    try:
        from mfakit.plan.sources import sources_html
    except ImportError:  # pragma: no cover - the short-source helper is not there
        return safe.html(source)
    return str(sources_html(source))


def devices_in_use(inventory: Inventory) -> dict[str, list[str]]:
    """The keys, phone apps and phone numbers the inventory names (as :func:`mfakit.plan.lockout.devices` sees
    them: one entry per name in any case; a factor with no ``where`` counts as one unnamed device)."""
    found: dict[str, list[str]] = {"key": [], "phone app": [], "phone number": []}
    for name, kind in devices(inventory.accounts):
        found[kind].append(name)
    return found


def headline_html(rows: list[PlanRow], inventory: Inventory, where: str) -> str:
    """The figures of the first screen: off the app, on a key, states, keys and apps in use."""
    p = summarize(rows)
    used = devices_in_use(inventory)
    figures = [
        ("off-app", f"{p.off_app} of {p.total}", f"accounts off the app ({p.percent_off_app:.0f}%)"),
        ("on-key", str(p.on_key), "accounts on a key or passkey"),
        ("keys", str(len(used["key"])), "keys in use: " + (", ".join(used["key"]) or "none yet")),
        ("apps", str(len(used["phone app"])), "authenticator apps: " + (", ".join(used["phone app"]) or "none")),
    ]
    tiles = "".join(f'<div class="mfakit-figure" data-figure="{k}"><div class="n">{safe.html(n)}</div>'
                    f'<div class="t">{safe.html(t)}</div></div>' for k, n, t in figures)
    chips = "".join(state_chip(s, p.by_state.get(s, 0)) for s in CHART_STATES)
    return (f'{STYLE}<div class="mfakit-headline" data-off-app="{p.off_app}" data-total="{p.total}" '
            f'data-on-key="{p.on_key}"><div class="mfakit-figures">{tiles}</div>'
            f'<div class="mfakit-states">{chips}</div>'
            f'<div class="mfakit-muted">inventory: {safe.html(where)}</div></div>')


def next_steps(rows: list[PlanRow], limit: int = 5) -> list[PlanRow]:
    """The steps that matter most this week: ready first, then a key to register, then what to find out."""
    def todo(r: PlanRow) -> bool:
        if r.state in ("done", "blocked"):
            return False
        on_key = any(t in r.factors for t in KEY_FACTORS)
        return not (r.state == "hybrid" and on_key)  # hybrid on a key: nothing more to move
    return [r for r in sort_for_plan(rows) if todo(r)][:limit]


def next_steps_html(rows: list[PlanRow], losses: list[DeviceLoss], limit: int = 5) -> str:
    """An ordered list of this week's steps, and one line on what a second key would protect."""
    steps = next_steps(rows, limit)
    items = "".join(f'<li data-account="{safe.html(r.account_id)}">{state_chip(r.state)} '
                    f"<b>{safe.html(r.label)}</b>: {safe.html(r.next_step)}</li>" for r in steps)
    if not items:
        items = "<li>Nothing to move this week: every account is done, blocked or waiting on its service.</li>"
    return (f'{STYLE}<div class="mfakit-next"><b>Next steps this week</b><ol class="mfakit-steps">{items}</ol>'
            f'<div class="mfakit-muted">{safe.html(second_key_line(losses))}</div></div>')


PLAN_COLUMNS = {"label": "Account", "group": "Group", "state": "State", "next_step": "Next step",
                "reason": "Why", "lockout": "Lockout risk", "source": "Source"}


def plan_records(rows: Iterable[PlanRow]) -> list[dict[str, Any]]:
    """The plan's rows for the interactive table (State and Source are HTML the kit built)."""
    return [{"label": r.label, "group": r.group, "state": state_chip(r.state), "next_step": r.next_step,
             "reason": r.reason, "lockout": r.lockout.level + (f" ({', '.join(r.lockout.rules)})" if r.lockout.rules else ""),
             "source": source_link(r.source)} for r in sort_for_plan(list(rows))]


INVENTORY_COLUMNS = {"group": "Group", "label": "Label", "service": "Service", "account": "Account",
                     "factors": "Factors", "state": "State", "risk": "Lockout risk"}


def inventory_records(rows: Iterable[PlanRow]) -> list[dict[str, Any]]:
    return [{"group": r.group, "label": r.label, "service": r.service, "account": r.account, "factors": r.factors,
             "state": state_chip(r.state), "risk": r.lockout.level} for r in rows]


LOCKOUT_COLUMNS = {"device": "If you lose", "kind": "Kind", "locked_out": "Locked out of",
                   "needs_recovery": "Only with recovery codes", "accounts": "Used by"}


def lockout_records(losses: Iterable[DeviceLoss]) -> list[dict[str, Any]]:
    return [{"device": d.device, "kind": d.kind, "locked_out": ", ".join(d.locked_out) or "none",
             "needs_recovery": ", ".join(d.needs_recovery) or "none", "accounts": ", ".join(d.accounts)}
            for d in losses]


def groups_table_html(rows: list[PlanRow]) -> str:
    """Progress per group as a small table (no index column; counts right-aligned)."""
    head = ("<tr><th>Group</th><th class='num'>Accounts</th><th class='num'>Off the app</th>"
            "<th class='num'>On a key</th><th class='num'>% off</th></tr>")
    body = "".join(
        f"<tr><td>{safe.html(g)}</td><td class='num'>{p.total}</td><td class='num'>{p.off_app}</td>"
        f"<td class='num'>{p.on_key}</td><td class='num'>{p.percent_off_app:.0f}%</td></tr>"
        for g, p in summarize_by_group(rows).items())
    return f'{STYLE}<table class="mfakit-small mfakit-groups">{head}{body}</table>'
