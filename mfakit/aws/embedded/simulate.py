"""SimulatePrincipalPolicy / SimulateCustomPolicy answered by the kit's evaluator, in AWS's response shape."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mfakit.aws.embedded.policies import as_document, user_policy_sources
from mfakit.aws.embedded.responses import error, ok

if TYPE_CHECKING:
    from mfakit.aws.embedded.enforce import Enforcer

_LIST_TYPES = {"stringList", "numericList", "booleanList", "dateList", "ipList", "binaryList"}


def context_from_entries(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """ContextEntries -> evaluator context: one value per key, or a list for the ``...List`` types."""
    ctx: dict[str, Any] = {}
    for entry in entries or []:
        values = [str(v) for v in entry.get("ContextKeyValues", [])]
        if entry.get("ContextKeyType") in _LIST_TYPES or len(values) != 1:
            ctx[entry["ContextKeyName"]] = values
        else:
            ctx[entry["ContextKeyName"]] = values[0]
    return ctx


def _results(compiled: Any, types: dict[str, str], api: dict[str, Any], ctx: dict[str, Any]) -> list[dict]:
    from mfakit.aws.evaluator import evaluate

    out = []
    for action in api.get("ActionNames", []):
        for resource in api.get("ResourceArns") or ["*"]:
            res = evaluate(compiled, action, resource, ctx)
            want = "Deny" if res.decision == "explicitDeny" else "Allow"
            matched = [{"SourcePolicyId": m.policy, "SourcePolicyType": types.get(m.policy, "user")}
                       for m in res.matched if m.effect == want and res.decision != "implicitDeny"]
            out.append({"EvalActionName": action, "EvalResourceName": resource, "EvalDecision": res.decision,
                        "MatchedStatements": matched, "MissingContextValues": [], "EvalDecisionDetails": {}})
    return out


def simulate_principal(e: "Enforcer", api: dict[str, Any]) -> Any:
    """Simulate a user's policies. ``aws:username``/``aws:userid``/``aws:PrincipalArn`` come from the user
    unless ContextEntries set them; everything else (e.g. MFA) only from ContextEntries."""
    from mfakit.aws.evaluator import compile_policies

    arn = str(api.get("PolicySourceArn", ""))
    name = arn.rsplit("/", 1)[-1]
    if ":user/" not in arn or name not in e.backend.users:
        return error("NoSuchEntity", f"The user with name {name} cannot be found.", 404)
    user = e.backend.users[name]
    sources = user_policy_sources(e.backend, name)
    extra = [(f"PolicyInputList.{i + 1}", json.loads(doc)) for i, doc in enumerate(api.get("PolicyInputList", []))]
    compiled = compile_policies([(s[0], as_document(s[2])) for s in sources] + extra)
    types = {s[0]: s[3] for s in sources}
    ctx = {"aws:username": name, "aws:userid": user.id, "aws:PrincipalArn": arn}
    ctx.update(context_from_entries(api.get("ContextEntries", [])))
    return ok({"EvaluationResults": _results(compiled, types, api, ctx), "IsTruncated": False})


def simulate_custom(e: "Enforcer", api: dict[str, Any]) -> Any:
    from mfakit.aws.evaluator import compile_policies

    docs = [(f"PolicyInputList.{i + 1}", json.loads(doc)) for i, doc in enumerate(api.get("PolicyInputList", []))]
    compiled = compile_policies(docs)
    ctx = context_from_entries(api.get("ContextEntries", []))
    types = {name: "IAM Policy" for name, _ in docs}
    return ok({"EvaluationResults": _results(compiled, types, api, ctx), "IsTruncated": False})
