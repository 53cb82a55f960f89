"""Evaluation results and their explanations (built lazily: deciding is fast, explaining is on demand)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from mfakit.aws.evaluator.conditions import ConditionCheck
from mfakit.aws.evaluator.variables import UNRESOLVED_READING, Unresolved

if TYPE_CHECKING:  # pragma: no cover
    from mfakit.aws.evaluator.compile import CompiledPolicySet, Statement

DECISIONS = ("allowed", "explicitDeny", "implicitDeny")


@dataclass(frozen=True)
class StatementMatch:
    """A statement whose Action and Resource matched the request, with its condition checks.

    ``applied`` is True when every condition held too (the statement took part in the decision).
    """
    policy: str
    sid: str | None
    index: int
    effect: str
    conditions: list[ConditionCheck] = field(default_factory=list)
    applied: bool = True
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.policy} / {self.sid}" if self.sid else f"{self.policy} / statement {self.index}"


def lower_context(context: Mapping[str, Any] | None) -> dict[str, Any]:
    """Condition keys are case-insensitive: look them up lower-cased (values untouched, no key added)."""
    if not context:
        return {}
    return {k.lower(): v for k, v in context.items()}


def inspect_statement(st: "Statement", action_lower: str, resource: str,
                      lc: Mapping[str, Any]) -> StatementMatch | None:
    """The detailed check of one statement, or None when its Action/Resource do not concern the request."""
    if st.action_match(action_lower) == st.not_action:
        return None
    try:
        hit = st.resource.match(resource, lc)
    except Unresolved as u:
        return StatementMatch(st.policy, st.sid, st.index, st.effect, [], False, f"{u.why} → {UNRESOLVED_READING}")
    if hit == st.not_resource:
        return None
    checks = [c.check(lc) for c in st.conditions]
    applied = all(c.held for c in checks)
    return StatementMatch(st.policy, st.sid, st.index, st.effect, checks, applied,
                          _element_note(st))


def _element_note(st: "Statement") -> str:
    act = "NotAction does not list the action" if st.not_action else "Action matches"
    res = "NotResource does not list the resource" if st.not_resource else "Resource matches"
    return f"{act}; {res}"


class EvalResult:
    """The decision for one request; ``matched``, ``reason`` and ``explain()`` are computed when first used."""

    __slots__ = ("decision", "action", "resource", "context", "_cps", "_details")

    def __init__(self, decision: str, action: str, resource: str, context: Mapping[str, Any] | None,
                 cps: "CompiledPolicySet") -> None:
        self.decision = decision
        self.action = action
        self.resource = resource
        self.context = context
        self._cps = cps
        self._details: list[StatementMatch] | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"

    def _walk(self) -> list[StatementMatch]:
        if self._details is None:
            lc = lower_context(self.context)
            a = self.action.lower()
            found = (inspect_statement(st, a, self.resource, lc) for st in self._cps.statements)
            self._details = [m for m in found if m is not None]
        return self._details

    @property
    def considered(self) -> list[StatementMatch]:
        """Every statement whose Action and Resource matched, applied or not (conditions say why)."""
        return list(self._walk())

    @property
    def matched(self) -> list[StatementMatch]:
        """The statements that matched completely (Action, Resource and every condition)."""
        return [m for m in self._walk() if m.applied]

    @property
    def reason(self) -> str:
        """One line: the decision and the statement that decided it, with its conditions."""
        matched = self.matched
        if self.decision == "explicitDeny":
            m = next(m for m in matched if m.effect == "Deny")
            return f"explicit deny: {m.label}{_why(m)}"
        if self.decision == "allowed":
            m = next(m for m in matched if m.effect == "Allow")
            return f"allowed: {m.label}{_why(m)}"
        near = [m for m in self._walk() if m.effect == "Allow" and not m.applied]
        base = f"implicit deny: no statement allows {self.action} on {self.resource}"
        if near:
            failed = "; ".join(f"{m.label}: " + ("; ".join(c.why for c in m.conditions if not c.held) or m.note)
                               for m in near)
            return f"{base} (allow statements that did not apply: {failed})"
        return base

    def explain(self) -> list[str]:
        """Human lines: the request, the decision, and every statement considered with each condition."""
        lines = [f"request: {self.action} on {self.resource}"
                 + (f" with {dict(self.context)}" if self.context else " with no context keys"),
                 f"decision: {self.decision} — {self.reason}"]
        details = self._walk()
        if not details:
            lines.append("no statement's Action and Resource match this request")
        for m in details:
            state = "applies" if m.applied else "does not apply"
            lines.append(f"- {m.effect} {m.label}: {state} ({m.note})")
            for c in m.conditions:
                lines.append(f"    {'✓' if c.held else '✗'} {c.operator} {c.key}: {c.why}")
        lines.append("rule: any applicable Deny → explicitDeny; else any applicable Allow → allowed; "
                     "else implicitDeny")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"decision": self.decision, "allowed": self.allowed, "action": self.action,
                "resource": self.resource, "context": dict(self.context or {}), "reason": self.reason,
                "matched": [asdict(m) for m in self.matched],
                "considered": [asdict(m) for m in self._walk()]}

    def __repr__(self) -> str:
        return f"EvalResult({self.decision!r}, {self.action!r}, {self.resource!r})"


def _why(m: StatementMatch) -> str:
    if not m.conditions:
        return ""
    return " (" + "; ".join(c.why for c in m.conditions) + ")"
