"""Progress over time: replay each account's dated history to count who is off the app on any day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from mfakit.inventory.model import KEY_FACTORS, Account, Factor, Inventory
from mfakit.plan.states import STATES, PlanRow

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mfakit.catalog import Catalog


def factor_types_on(account: Account, when: date) -> Counter[str]:
    """The factor types the account had at the end of ``when`` (current factors with later changes undone).

    Factors added after ``when`` (by their ``added`` date or their history) are taken away; factors removed
    after ``when`` are put back.
    """
    have: Counter[str] = Counter(f.type for f in account.factors)
    logged_adds = {(c.type, c.where) for c in account.history if c.op == "add"}
    for f in account.factors:  # hand-entered factors carry only their 'added' date
        if f.added and f.added > when and (f.type, f.where) not in logged_adds:
            have[f.type] -= 1
    for change in sorted((c for c in account.history if c.date > when), key=lambda c: c.date, reverse=True):
        have[change.type] += 1 if change.op == "remove" else -1
    return +have


@dataclass(frozen=True)
class Progress:
    total: int
    off_app: int
    on_key: int
    by_state: dict[str, int]

    @property
    def percent_off_app(self) -> float:
        return 100.0 * self.off_app / self.total if self.total else 0.0

    def line(self) -> str:
        states = " · ".join(f"{s} {self.by_state.get(s, 0)}" for s in ("done", "ready", "hybrid", "blocked", "unknown"))
        return (f"{self.off_app} of {self.total} accounts off the authenticator app "
                f"({self.percent_off_app:.0f}%), {self.on_key} on a key · {states}")


def summarize(rows: list[PlanRow]) -> Progress:
    """Progress figures for the plan as it stands today."""
    by_state = Counter(r.state for r in rows)
    on_key = sum(1 for r in rows if any(t in r.factors for t in KEY_FACTORS))
    return Progress(total=len(rows), off_app=sum(r.off_app for r in rows), on_key=on_key,
                    by_state={s: by_state.get(s, 0) for s in STATES})


def summarize_by_group(rows: list[PlanRow]) -> dict[str, Progress]:
    groups: dict[str, list[PlanRow]] = {}
    for r in rows:
        groups.setdefault(r.group, []).append(r)
    return {g: summarize(rs) for g, rs in groups.items()}


def timeline(inventory: Inventory, until: date | None = None, group: str | None = None) -> list[dict[str, Any]]:
    """One point per day on which something changed (and today): accounts off the app and on a key.

    Overall, or for one ``group`` of the inventory.
    """
    until = until or date.today()
    accounts = [a for a in inventory.accounts if group is None or a.group == group]
    days = {f.added for a in accounts for f in a.factors if f.added} | {c.date for a in accounts for c in a.history}
    days = {d for d in days if d <= until} | {until}
    points = []
    for day in sorted(days):
        have = [factor_types_on(a, day) for a in accounts]
        active = [h for h in have if h]
        points.append({
            "date": day,
            "accounts": len(active),
            "off_app": sum(1 for h in active if not h.get("totp")),
            "on_key": sum(1 for h in active if any(h.get(t) for t in KEY_FACTORS)),
        })
    return points


def plot_timeline(points: list[dict[str, Any]], title: str = "Migration progress") -> "Figure":
    """A step chart of accounts on a key and off the app over time (matplotlib, no display needed)."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.5), dpi=100)
    ax = fig.add_subplot()
    xs = [p["date"] for p in points]
    ax.step(xs, [p["accounts"] for p in points], where="post", label="accounts with MFA", color="#999999")
    ax.step(xs, [p["on_key"] for p in points], where="post", label="on a key or passkey", color="#1f77b4")
    ax.step(xs, [p["off_app"] for p in points], where="post", label="off the authenticator app", color="#2ca02c")
    ax.set_title(title)
    ax.set_ylabel("accounts")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------------------------
# States over time, and the charts of the notebooks' first screen and progress section.

#: One colour per state, shared by the charts and the notebook tables.
STATE_COLOURS: dict[str, str] = {
    "done": "#1a7f37", "ready": "#0969da", "hybrid": "#bf8700", "blocked": "#cf222e", "unknown": "#8c959f",
}
#: States in chart order: finished work at the bottom of a stack.
CHART_STATES: tuple[str, ...] = ("done", "ready", "hybrid", "blocked", "unknown")


def factors_on(account: Account, when: date) -> list[Factor]:
    """The account's factors at the end of ``when``: later changes undone, later hand-entered factors left out."""
    have = list(account.factors)
    logged_adds = {(c.type, c.where) for c in account.history if c.op == "add"}
    have = [f for f in have if not (f.added and f.added > when and (f.type, f.where) not in logged_adds)]
    for change in sorted((c for c in account.history if c.date > when), key=lambda c: c.date, reverse=True):
        if change.op == "remove":
            have.append(Factor(type=change.type, where=change.where))
        else:
            same = [f for f in have if f.type == change.type and (f.where or None) == (change.where or None)]
            if same:
                have.remove(same[0])
    return have


def change_days(inventory: Inventory, until: date | None = None) -> list[date]:
    """Every day on which a factor was added or a change recorded, up to ``until`` (today), and ``until``."""
    until = until or date.today()
    days = {f.added for a in inventory.accounts for f in a.factors if f.added}
    days |= {c.date for a in inventory.accounts for c in a.history}
    return sorted({d for d in days if d <= until} | {until})


def state_timeline(inventory: Inventory, catalog: "Catalog", until: date | None = None,
                   last: int | None = None) -> list[dict[str, Any]]:
    """Per change day: how many accounts were in each state (today's catalog facts on that day's factors).

    Accounts with no second factor yet on a day are not counted that day. ``last`` keeps the latest days only.
    """
    from mfakit.plan.lockout import LockoutRisk
    from mfakit.plan.states import decide

    matches = {a.id: catalog.match(a.service, account=a.account) for a in inventory.accounts}
    days = change_days(inventory, until)
    if last:
        days = days[-last:]
    points = []
    no_risk = LockoutRisk("none", ())
    for day in days:
        counts: Counter[str] = Counter()
        for a in inventory.accounts:
            factors = factors_on(a, day)
            if not factors:
                continue
            then = replace(a, factors=factors, history=[])
            counts[decide(then, matches[a.id], no_risk)[0]] += 1
        points.append({"date": day, **{s: counts.get(s, 0) for s in CHART_STATES}})
    return points


def _figure(width: float, height: float) -> "Figure":
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=100)


def plot_states_over_time(points: list[dict[str, Any]], today: date | None = None,
                          title: str = "Accounts by state, on each day something changed") -> "Figure":
    """Stacked bars, one per change day (evenly spaced, so today's change is as wide as any other).

    The last bar is today's; when it differs from the previous day, the change is written above it.
    """
    today = today or date.today()
    fig = _figure(8, 3.2)
    ax = fig.add_subplot()
    xs = list(range(len(points)))
    bottom = [0] * len(points)
    for state in CHART_STATES:
        vals = [p.get(state, 0) for p in points]
        ax.bar(xs, vals, bottom=bottom, color=STATE_COLOURS[state], label=state, width=0.7)
        bottom = [b + v for b, v in zip(bottom, vals)]
    labels = ["today" if p["date"] == today else p["date"].isoformat() for p in points]
    ax.set_xticks(xs, labels, rotation=30, ha="right", fontsize="small")
    if len(points) >= 2:
        delta = {s: points[-1].get(s, 0) - points[-2].get(s, 0) for s in CHART_STATES}
        moved = ", ".join(f"{'+' if v > 0 else ''}{v} {s}" for s, v in delta.items() if v)
        if moved:
            moved = f"{'today' if points[-1]['date'] == today else points[-1]['date'].isoformat()}: {moved}"
            ax.bar(xs[-1], bottom[-1], width=0.82, fill=False, edgecolor="#24292f", linewidth=1.6)  # outlined
            ax.annotate(moved, (xs[-1], bottom[-1]), xytext=(0, 4), textcoords="offset points",
                        ha="right" if len(points) >= 7 else "center",
                        fontsize="small", fontweight="bold")
    ax.set_xlim(-0.6, max(len(points), 8) - 0.4)  # a few days of history: narrow bars, not two slabs
    ax.set_ylabel("accounts")
    ax.set_ylim(0, max(bottom or [1]) * 1.12 + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize="medium", loc="left", pad=22)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize="small", ncols=5, frameon=False,
              borderaxespad=0.1, handlelength=1)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def plot_states_by_group(rows: list[PlanRow], title: str = "States per group") -> "Figure":
    """Horizontal stacked bars: one bar per group (in inventory order), segments coloured by state."""
    groups: dict[str, Counter[str]] = {}
    for r in rows:
        groups.setdefault(r.group, Counter())[r.state] += 1
    names = list(groups)[::-1]  # first group on top
    fig = _figure(5.2, 0.3 * max(len(names), 2) + 0.9)
    ax = fig.add_subplot()
    left = [0] * len(names)
    for state in CHART_STATES:
        vals = [groups[g].get(state, 0) for g in names]
        ax.barh(names, vals, left=left, color=STATE_COLOURS[state], label=state, height=0.65)
        for i, v in enumerate(vals):
            if v:
                ax.text(left[i] + v / 2, i, str(v), ha="center", va="center", color="white", fontsize="small",
                        fontweight="bold")
        left = [a + v for a, v in zip(left, vals)]
    ax.set_xlabel("accounts")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize="medium", loc="left")
    ax.legend(loc="lower right", fontsize="x-small", frameon=False, ncols=1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max(left or [1]) * 1.35)
    fig.tight_layout()
    return fig


def figure_png(fig: "Figure", dpi: int = 100) -> bytes:
    """A matplotlib Figure as PNG bytes (for an image widget or an HTML ``<img>``)."""
    import io
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
