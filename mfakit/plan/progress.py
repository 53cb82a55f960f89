"""Progress over time: replay each account's dated history to count who is off the app on any day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from mfakit.inventory.model import KEY_FACTORS, Account, Inventory
from mfakit.plan.states import STATES, PlanRow

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
