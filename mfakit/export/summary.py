"""The summary every shared export carries: how far the migration is, by state and by group, and the risks.

Built from the rows being exported (so a ``--state``/``--group`` filtered export summarises what it holds).
Plain data: each writer lays it out for its medium, escaping names (groups come from the user's data).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, Iterable

from mfakit.plan.states import STATE_MEANING  # noqa: F401  (re-exported for the writers)

#: The states in reading order (done first), for summaries; what each means is the plan's own definition.
STATES: tuple[str, ...] = ("done", "ready", "hybrid", "blocked", "unknown")
#: Background colours of the states (light, readable in print and in grey): HTML and XLSX share them.
STATE_FILL: dict[str, str] = {
    "done": "D8F3DC", "ready": "D6E9FF", "hybrid": "FFF1C2", "blocked": "FFD9D6", "unknown": "ECEEF0",
}
KEY_TYPES = ("security_key", "passkey")


def _record(row: Any) -> dict[str, Any]:
    return row if isinstance(row, dict) else row.as_record()


def _types(factors: Any) -> set[str]:
    """Factor types from the export's ``factors`` text (``"totp:phone, security_key:Titan 1"``)."""
    return {part.split(":", 1)[0].strip() for part in str(factors or "").split(", ") if part.strip()}


def _off_app(rec: dict[str, Any]) -> bool:
    if "off_app" in rec and isinstance(rec["off_app"], bool):
        return rec["off_app"]
    return "totp" not in _types(rec.get("factors"))


def build_summary(rows: Iterable[Any], *, title: str = "", inventory: str = "",
                  generated: datetime | None = None) -> dict[str, Any]:
    """Figures for the rows: total, off the app, on a key, by state, by group (in first-seen order), risks."""
    recs = [_record(r) for r in rows]
    by_state = Counter(str(r.get("state", "")) for r in recs)
    groups: dict[str, dict[str, int]] = {}
    for r in recs:
        g = groups.setdefault(str(r.get("group") or ""), {"accounts": 0, "off_app": 0, **{s: 0 for s in STATES}})
        g["accounts"] += 1
        g["off_app"] += _off_app(r)
        if r.get("state") in STATES:
            g[str(r["state"])] += 1
    risks = Counter(str(r.get("lockout_risk", "")) for r in recs)
    total = len(recs)
    off = sum(_off_app(r) for r in recs)
    return {
        "title": title, "inventory": inventory,
        "generated": (generated or datetime.now()).strftime("%Y-%m-%d %H:%M"),
        "total": total, "off_app": off, "percent_off_app": round(100 * off / total) if total else 0,
        "on_key": sum(1 for r in recs if _types(r.get("factors")) & set(KEY_TYPES)),
        "by_state": {s: by_state.get(s, 0) for s in STATES},
        "by_group": [{"group": g, **v} for g, v in groups.items()],
        "high_risk": risks.get("high", 0), "medium_risk": risks.get("medium", 0),
    }


def headline(s: dict[str, Any]) -> str:
    """One line: ``4 of 12 accounts off the authenticator app (33%), 6 on a key``."""
    return (f"{s['off_app']} of {s['total']} accounts off the authenticator app ({s['percent_off_app']}%), "
            f"{s['on_key']} on a key")


def states_line(s: dict[str, Any]) -> str:
    return " · ".join(f"{state} {s['by_state'][state]}" for state in STATES)


def risk_line(s: dict[str, Any]) -> str:
    return (f"lockout risk: {s['high_risk']} high (one lost phone or key locks you out), "
            f"{s['medium_risk']} medium")
