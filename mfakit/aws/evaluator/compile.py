"""Validate IAM identity policies and compile them once into fast matchers.

Every problem IAM would refuse when the policy is written (malformed JSON, unknown element or operator,
bad Effect or Version, both Action and NotAction, missing Effect/Action/Resource, a Principal in an identity
policy ...) raises :class:`mfakit.errors.PolicyError` naming the policy, the statement and the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence, Union

from mfakit.aws.evaluator.conditions import BadValue, Condition
from mfakit.aws.evaluator.globs import GlobSet, has_glob
from mfakit.aws.evaluator.variables import Unresolved, parse_template, substitute_glob
from mfakit.errors import PolicyError

VERSIONS = ("2012-10-17", "2008-10-17")
STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
POLICY_KEYS = {"Version", "Id", "Statement"}

#: Far above IAM's own limits (6,144 characters for a managed policy), low enough to refuse huge input fast.
MAX_POLICY_CHARS = 1_000_000

PolicyInput = Union[Mapping[str, Any], str, bytes, tuple]


class ResourceMatcher:
    """Resource / NotResource patterns: case-sensitive globs; templates with variables resolved per request."""

    __slots__ = ("patterns", "static", "templates", "any")

    def __init__(self, patterns: list[str], substitute: bool) -> None:
        self.patterns = patterns
        static, templates = [], []
        for p in patterns:
            t = parse_template(p, substitute)
            (templates.append((p, t)) if t is not None else static.append(p))
        self.static = GlobSet(static)
        self.templates = tuple(templates)
        self.any = self.static.match_all

    def match(self, resource: str, ctx: Mapping[str, Any]) -> bool:
        """Any pattern matches? Raises Unresolved when a needed variable has no value."""
        if self.static(resource):
            return True
        hit = False
        for _, t in self.templates:  # resolve all: one unresolved variable invalidates the statement
            if substitute_glob(t, ctx)(resource) is not None:
                hit = True
        return hit


@dataclass
class Statement:
    """One compiled statement. ``order`` is its global position across the policy set."""
    policy: str
    index: int
    sid: str | None
    effect: str
    not_action: bool
    actions: list[str]
    action_match: GlobSet
    services: frozenset[str] | None   # None: the statement may match any service (NotAction, '*', 'i*:x')
    not_resource: bool
    resource: ResourceMatcher
    conditions: tuple[Condition, ...]
    order: int = 0
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return f"{self.policy} / {self.sid}" if self.sid else f"{self.policy} / statement {self.index}"


@dataclass
class Policy:
    name: str
    version: str | None
    document: dict
    statements: list[Statement]


class CompiledPolicySet:
    """Policies compiled once; per service, the deny and allow statements that can match its actions."""

    def __init__(self, policies: list[Policy]) -> None:
        self.policies = policies
        self.statements = [s for p in policies for s in p.statements]
        for i, s in enumerate(self.statements):
            s.order = i
        generic = [s for s in self.statements if s.services is None]
        services = {svc for s in self.statements if s.services for svc in s.services}
        self._generic = (tuple(s for s in generic if s.effect == "Deny"),
                         tuple(s for s in generic if s.effect == "Allow"))
        self._by_service: dict[str, tuple[tuple[Statement, ...], tuple[Statement, ...]]] = {}
        for svc in services:
            cands = [s for s in self.statements if s.services is None or svc in s.services]
            self._by_service[svc] = (tuple(s for s in cands if s.effect == "Deny"),
                                     tuple(s for s in cands if s.effect == "Allow"))

    def candidates(self, action_lower: str) -> tuple[tuple[Statement, ...], tuple[Statement, ...]]:
        """(deny, allow) statements whose Action/NotAction could concern this action's service."""
        return self._by_service.get(action_lower.partition(":")[0], self._generic)

    def __len__(self) -> int:
        return len(self.policies)

    def __repr__(self) -> str:
        return f"CompiledPolicySet({[p.name for p in self.policies]!r}, statements={len(self.statements)})"


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _strings(value: Any, what: str, err) -> list[str]:
    items = _as_list(value)
    if not items:
        raise err(f"{what} is empty")
    for v in items:
        if not isinstance(v, str):
            raise err(f"{what} must be a string or a list of strings, got {json.dumps(v)}")
    return items


def _load_document(doc: Any, name: str) -> dict:
    if isinstance(doc, bytes):
        doc = doc.decode("utf-8", errors="replace")
    if isinstance(doc, str):
        if len(doc) > MAX_POLICY_CHARS:
            raise PolicyError(f"policy is too large ({len(doc)} characters; IAM's limit is far lower)", name)
        try:
            doc = json.loads(doc)
        except json.JSONDecodeError as exc:
            raise PolicyError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", name) from None
        except RecursionError:
            raise PolicyError("JSON nested too deeply (IAM refuses such a policy)", name) from None
        except ValueError as exc:  # e.g. an integer of thousands of digits (Python's int-conversion limit)
            raise PolicyError(f"a number IAM would refuse: {str(exc).split(';')[0]}", name) from None
    if not isinstance(doc, dict):
        raise PolicyError(f"a policy must be a JSON object, got {type(doc).__name__}", name)
    return doc


def compile_policy(doc: Any, name: str) -> Policy:
    """Validate and compile one policy document (dict or JSON text)."""
    doc = _load_document(doc, name)
    unknown = set(doc) - POLICY_KEYS
    if unknown:
        raise PolicyError(f"unknown top-level element(s) {sorted(unknown)}", name)
    version = doc.get("Version")
    if version is not None and version not in VERSIONS:
        raise PolicyError(f"Version must be one of {list(VERSIONS)}, got {json.dumps(version)}", name)
    if "Statement" not in doc:
        raise PolicyError("the policy has no Statement", name)
    raw_statements = _as_list(doc["Statement"])
    if not raw_statements:
        raise PolicyError("Statement is empty", name)
    substitute = version == "2012-10-17"
    out = [_compile_statement(st, i, name, substitute) for i, st in enumerate(raw_statements)]
    return Policy(name, version, doc, out)


def _compile_statement(st: Any, index: int, policy: str, substitute: bool) -> Statement:
    where = f"statement {index}"
    if isinstance(st, dict) and isinstance(st.get("Sid"), str):
        where += f" (Sid {st['Sid']})"

    def err(problem: str) -> PolicyError:
        return PolicyError(f"{where}: {problem}", policy)

    if not isinstance(st, dict):
        raise err(f"a statement must be a JSON object, got {json.dumps(st)[:60]}")
    if "Principal" in st or "NotPrincipal" in st:
        raise err("Principal/NotPrincipal is not allowed in an identity policy")
    unknown = set(st) - STATEMENT_KEYS
    if unknown:
        raise err(f"unknown element(s) {sorted(unknown)}")
    sid = st.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise err("Sid must be a string")
    effect = st.get("Effect")
    if effect is None:
        raise err("missing Effect")
    if effect not in ("Allow", "Deny"):
        raise err(f"Effect must be \"Allow\" or \"Deny\", got {json.dumps(effect)}")
    if "Action" in st and "NotAction" in st:
        raise err("has both Action and NotAction")
    if "Action" not in st and "NotAction" not in st:
        raise err("missing Action (or NotAction)")
    if "Resource" in st and "NotResource" in st:
        raise err("has both Resource and NotResource")
    if "Resource" not in st and "NotResource" not in st:
        raise err("missing Resource (or NotResource)")
    not_action = "NotAction" in st
    actions = _strings(st["NotAction" if not_action else "Action"], "NotAction" if not_action else "Action", err)
    for a in actions:
        if a != "*" and ":" not in a:
            raise err(f"action {json.dumps(a)} must be \"*\" or \"service:Action\"")
    lowered = [a.lower() for a in actions]
    services: set[str] | None = set()
    for a in lowered:
        svc = a.partition(":")[0]
        if a == "*" or has_glob(svc):
            services = None
            break
        services.add(svc)
    not_resource = "NotResource" in st
    resources = _strings(st["NotResource" if not_resource else "Resource"],
                         "NotResource" if not_resource else "Resource", err)
    conditions = _compile_conditions(st.get("Condition"), substitute, err)
    return Statement(policy=policy, index=index, sid=sid, effect=effect, not_action=not_action, actions=actions,
                     action_match=GlobSet(lowered),
                     services=None if (not_action or services is None) else frozenset(services),
                     not_resource=not_resource, resource=ResourceMatcher(resources, substitute),
                     conditions=conditions, raw=st)


def _compile_conditions(block: Any, substitute: bool, err) -> tuple[Condition, ...]:
    if block is None:
        return ()
    if not isinstance(block, dict):
        raise err("Condition must be an object of operator → {key: value(s)}")
    out: list[Condition] = []
    for operator, keys in block.items():
        if not isinstance(keys, dict) or not keys:
            raise err(f"condition operator {operator!r} must map condition keys to values")
        for key, values in keys.items():
            items = _as_list(values)
            if not items:
                raise err(f"condition {operator} {key} has no values")
            try:
                texts = [_text(v) for v in items]
                out.append(Condition(operator, key, texts, substitute))
            except BadValue as exc:
                raise err(str(exc)) from None
    return tuple(out)


def _text(v: Any) -> str:
    """A condition value as IAM reads it: JSON booleans and numbers become their text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return str(v)
    raise BadValue(f"condition value {json.dumps(v)} is not a string, number or boolean")


def _named(policies: Iterable[PolicyInput]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for i, p in enumerate(policies):
        if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str):
            out.append((p[0], p[1]))
        else:
            out.append((f"policy[{i}]", p))
    return out


def compile_policies(policies: Union[Sequence[PolicyInput], PolicyInput, CompiledPolicySet]) -> CompiledPolicySet:
    """Compile policies once (dicts, JSON text, or (name, document) pairs) for many evaluations."""
    if isinstance(policies, CompiledPolicySet):
        return policies
    if isinstance(policies, (dict, str, bytes)) or (isinstance(policies, tuple) and len(policies) == 2
                                                     and isinstance(policies[0], str)):
        policies = [policies]
    return CompiledPolicySet([compile_policy(doc, name) for name, doc in _named(policies)])


__all__ = ["CompiledPolicySet", "Statement", "Policy", "compile_policies", "compile_policy", "Unresolved"]
