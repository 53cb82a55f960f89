"""The migration plan: states and next steps, lockout risk, progress over time."""

from mfakit.plan.lockout import RULES as LOCKOUT_RULES
from mfakit.plan.lockout import LockoutRisk, assess
from mfakit.plan.progress import Progress, factor_types_on, plot_timeline, summarize, summarize_by_group, timeline
from mfakit.plan.states import STATE_MEANING, STATES, PlanRow, build_plan, decide, plan_account, sort_for_plan

__all__ = [
    "LOCKOUT_RULES", "STATES", "STATE_MEANING", "LockoutRisk", "PlanRow", "Progress", "assess", "build_plan",
    "decide", "factor_types_on", "plan_account", "plot_timeline", "sort_for_plan", "summarize",
    "summarize_by_group", "timeline",
]
