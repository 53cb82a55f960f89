"""States over time and the charts: the range follows the data, today's change is visible."""

from __future__ import annotations

from datetime import date

from mfakit.catalog import load_catalog
from mfakit.inventory import Account, Change, Factor, load_inventory
from mfakit.plan import build_plan
from mfakit.plan.progress import (
    factors_on, figure_png, plot_states_by_group, plot_states_over_time, state_timeline,
)

TODAY = date(2026, 11, 30)


def test_factors_on_undoes_later_changes() -> None:
    a = Account(id="a", service="github", factors=[Factor("security_key", "Titan 1", date(2024, 6, 1))],
                history=[Change(date(2024, 6, 1), "add", "security_key", "Titan 1"),
                         Change(date(2024, 6, 2), "remove", "totp", "phone")])
    a.factors.append(Factor("recovery_codes", "paper", date(2025, 1, 1)))
    assert {f.type for f in factors_on(a, date(2024, 5, 31))} == {"totp"}
    assert {f.type for f in factors_on(a, date(2024, 6, 1))} == {"totp", "security_key"}
    assert {f.type for f in factors_on(a, date(2024, 6, 2))} == {"security_key"}
    assert {f.type for f in factors_on(a, TODAY)} == {"security_key", "recovery_codes"}


def test_state_timeline_on_the_example(example_copy) -> None:
    inv, cat = load_inventory(example_copy), load_catalog()
    points = state_timeline(inv, cat, until=TODAY)
    assert points[-1]["date"] == TODAY
    now = {s: sum(r.state == s for r in build_plan(inv, cat)) for s in ("done", "ready", "hybrid", "blocked", "unknown")}
    assert {k: v for k, v in points[-1].items() if k != "date"} == now  # today's bar is today's plan
    before = next(p for p in points if p["date"] == date(2024, 6, 1))
    assert before["done"] == 0 and points[-1]["done"] == 4  # the seed's four moved in June 2024
    assert points[0]["date"] == min(f.added for a in inv.accounts for f in a.factors if f.added)
    assert len(state_timeline(inv, cat, until=TODAY, last=5)) == 5


def test_chart_ticks_follow_the_data_and_mark_today() -> None:
    pts = [{"date": date(2024, 6, 1), "done": 0, "ready": 3, "hybrid": 1, "blocked": 0, "unknown": 0},
           {"date": TODAY, "done": 1, "ready": 2, "hybrid": 1, "blocked": 0, "unknown": 0}]
    fig = plot_states_over_time(pts, today=TODAY)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-06-01", "today"]
    notes = [t.get_text() for t in ax.texts]
    assert any(n.startswith("today:") and "+1 done" in n and "-1 ready" in n for n in notes), notes
    assert figure_png(fig).startswith(b"\x89PNG")


def test_states_by_group_chart(example_copy) -> None:
    rows = build_plan(load_inventory(example_copy), load_catalog())
    fig = plot_states_by_group(rows)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][::-1] == list(dict.fromkeys(r.group for r in rows))
    assert sum(int(t.get_text()) for t in ax.texts) == len(rows)
