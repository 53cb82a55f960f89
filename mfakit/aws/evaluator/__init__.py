"""Offline IAM identity-policy evaluator: exact, fast, and able to say why.

>>> res = evaluate([("p", {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*",
...                 "Resource": "*"}})], "s3:GetObject", "arn:aws:s3:::b/k")
>>> res.decision
'allowed'

Decision logic (IAM User Guide, Policy evaluation logic, identity policies in one account): any applicable
Deny → ``explicitDeny``; else any applicable Allow → ``allowed``; else ``implicitDeny``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence, Union

from mfakit.aws.evaluator.cache import cached_compile
from mfakit.aws.evaluator.compile import CompiledPolicySet, compile_policies, compile_policy
from mfakit.aws.evaluator.conditions import ConditionCheck
from mfakit.aws.evaluator.explain import EvalResult, StatementMatch
from mfakit.aws.evaluator.variables import Unresolved
from mfakit.errors import PolicyError

_EMPTY: dict[str, Any] = {}


def evaluate(policies: Union[Sequence[Any], CompiledPolicySet, Any], action: str, resource: str,
             context: Mapping[str, Union[str, list[str]]] | None = None) -> EvalResult:
    """Decide one request against identity policies. Plain policies (dicts, JSON text, (name, document)
    pairs) are compiled once and cached by content (:mod:`mfakit.aws.evaluator.cache`)."""
    cps = policies if isinstance(policies, CompiledPolicySet) else cached_compile(policies, compile_policies)
    if not isinstance(action, str) or not isinstance(resource, str):
        raise PolicyError(f"action and resource must be strings, got {action!r} and {resource!r}")
    a = action.lower()
    lc = {k.lower(): v for k, v in context.items()} if context else _EMPTY
    deny, allow = cps.candidates(a)
    for group, decision in ((deny, "explicitDeny"), (allow, "allowed")):
        for st in group:
            if st.action_match(a) == st.not_action:
                continue
            rm = st.resource
            if not (rm.any and not st.not_resource):
                try:
                    if rm.match(resource, lc) == st.not_resource:
                        continue
                except Unresolved:
                    continue
            for c in st.conditions:
                if not c.held(lc):
                    break
            else:
                return EvalResult(decision, action, resource, context, cps)
    return EvalResult("implicitDeny", action, resource, context, cps)


__all__ = ["evaluate", "compile_policies", "compile_policy", "EvalResult", "StatementMatch", "ConditionCheck",
           "CompiledPolicySet"]
