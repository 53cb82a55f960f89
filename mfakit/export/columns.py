"""The export columns: one list, the same order in every format."""

from __future__ import annotations

from typing import Any, Iterable, Protocol

COLUMNS: tuple[str, ...] = (
    "group", "label", "service", "account", "state", "factors", "next_step", "reason",
    "lockout_risk", "lockout_reasons", "source",
)
HEADERS: dict[str, str] = {
    "group": "Group", "label": "Label", "service": "Service", "account": "Account", "state": "State",
    "factors": "Factors", "next_step": "Next step", "reason": "Reason", "lockout_risk": "Lockout risk",
    "lockout_reasons": "Lockout reasons", "source": "Source",
}


class HasRecord(Protocol):
    def as_record(self) -> dict[str, Any]: ...


def records(rows: Iterable[HasRecord | dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> list[dict[str, Any]]:
    """Rows (PlanRow or dicts) as plain dicts holding exactly ``columns``, in that order."""
    out = []
    for r in rows:
        d = r if isinstance(r, dict) else r.as_record()
        out.append({c: ("" if d.get(c) is None else d.get(c)) for c in columns})
    return out


def to_frame(rows: Iterable[HasRecord | dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Any:
    """The rows as a pandas DataFrame (pandas imported only here)."""
    import pandas as pd
    return pd.DataFrame(records(rows, columns), columns=list(columns))
