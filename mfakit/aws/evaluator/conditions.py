"""Condition operators: every IAM family (String*, Numeric*, Date*, Bool, Binary, IpAddress, Arn*, Null),
``...IfExists`` and the set qualifiers ``ForAnyValue:`` / ``ForAllValues:``.

Semantics (IAM User Guide, Condition operators and multivalued context keys):
- values of one key are ORed; a negated operator holds when *no* policy value matches;
- key absent: positive operator false, negated true, ``IfExists`` true, ``Null: true`` true;
  ``ForAnyValue:`` false (unless IfExists), ``ForAllValues:`` true when absent or empty;
- a single-valued operator against a multi-valued key (a list in the context) does not match.
"""

from __future__ import annotations

import ipaddress
import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from mfakit.aws.evaluator.globs import GlobSet
from mfakit.aws.evaluator.variables import (Unresolved, UNRESOLVED_READING, parse_template,
                                            substitute_glob, substitute_literal)

_MISSING = object()


@dataclass(frozen=True)
class ConditionCheck:
    """One condition's outcome for one request: did it hold, and why (a human sentence)."""
    operator: str
    key: str
    held: bool
    why: str


class BadValue(ValueError):
    """A policy value the operator cannot use (reported as a PolicyError by the compiler)."""


def _num(text: str) -> float:
    v = float(text)
    if not math.isfinite(v):
        raise ValueError(text)
    return v


def parse_date(text: str) -> float:
    """ISO 8601 (date or date-time, ``Z`` or offset; naive = UTC) or epoch seconds → epoch seconds."""
    t = text.strip()
    try:
        return _num(t)
    except ValueError:
        pass
    dt = datetime.fromisoformat(t.replace("z", "Z").replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


_CMP: dict[str, Callable[[float, float], bool]] = {
    "equals": lambda a, b: a == b,
    "lessthan": lambda a, b: a < b,
    "lessthanequals": lambda a, b: a <= b,
    "greaterthan": lambda a, b: a > b,
    "greaterthanequals": lambda a, b: a >= b,
}

# lower-cased base operator -> (family, negated, comparison)
OPERATORS: dict[str, tuple[str, bool, str]] = {
    "stringequals": ("string", False, "eq"), "stringnotequals": ("string", True, "eq"),
    "stringequalsignorecase": ("string", False, "eqi"), "stringnotequalsignorecase": ("string", True, "eqi"),
    "stringlike": ("string", False, "like"), "stringnotlike": ("string", True, "like"),
    "bool": ("bool", False, "eq"), "binaryequals": ("binary", False, "eq"),
    "ipaddress": ("ip", False, "in"), "notipaddress": ("ip", True, "in"),
    "arnequals": ("arn", False, "like"), "arnlike": ("arn", False, "like"),
    "arnnotequals": ("arn", True, "like"), "arnnotlike": ("arn", True, "like"),
    "null": ("null", False, "null"),
}
for _fam in ("numeric", "date"):
    OPERATORS[f"{_fam}equals"] = (_fam, False, "equals")
    OPERATORS[f"{_fam}notequals"] = (_fam, True, "equals")
    for _c in ("lessthan", "lessthanequals", "greaterthan", "greaterthanequals"):
        OPERATORS[f"{_fam}{_c}"] = (_fam, False, _c)

#: Families whose values may hold policy variables.
VARIABLE_FAMILIES = frozenset({"string", "arn"})


def _split_arn(text: str) -> list[str] | None:
    parts = text.split(":", 5)
    return parts if len(parts) == 6 else None


class Matcher:
    """Does a single request value match any of the operator's policy values? (one family)."""

    def __init__(self, family: str, comparison: str, values: list[str], substitute: bool) -> None:
        self.family, self.comparison, self.values = family, comparison, values
        self.templates = []
        static: list[str] = []
        if family in VARIABLE_FAMILIES:
            for v in values:
                t = parse_template(v, substitute)
                (self.templates.append(t) if t is not None else static.append(v))
        else:
            static = list(values)
        self.static = static
        try:
            self._prepare(static)
        except (ValueError, TypeError) as exc:
            raise BadValue(f"bad {family} value in {values!r}: {exc}") from None

    def _prepare(self, static: list[str]) -> None:
        fam, cmp = self.family, self.comparison
        if fam == "string" and cmp == "eq" or fam == "binary":
            self.set = frozenset(static)
        elif fam == "string" and cmp == "eqi":
            self.set = frozenset(s.lower() for s in static)
        elif fam == "string":
            self.globs = GlobSet(static)
        elif fam == "bool":
            self.set = frozenset(s.lower() for s in static)
        elif fam == "numeric":
            self.nums = [_num(s) for s in static]
        elif fam == "date":
            self.nums = [parse_date(s) for s in static]
        elif fam == "ip":
            self.nets = [ipaddress.ip_network(s.strip(), strict=False) for s in static]
        elif fam == "arn":
            self.arns = []
            for s in static:
                parts = _split_arn(s)
                self.arns.append(("parts", [GlobSet([p]) for p in parts]) if parts else ("whole", GlobSet([s])))
        elif fam == "null":
            for s in static:
                if s.lower() not in ("true", "false"):
                    raise ValueError(f"Null takes true or false, not {s!r}")
            self.set = frozenset(s.lower() for s in static)

    def any_match(self, x: str, ctx: Mapping[str, Any]) -> bool:
        """True when ``x`` matches one of the policy values (raises Unresolved for a needed variable)."""
        fam, cmp = self.family, self.comparison
        if fam == "string":
            if cmp == "eq":
                if x in self.set:
                    return True
                return any(substitute_literal(t, ctx) == x for t in self.templates)
            if cmp == "eqi":
                xl = x.lower()
                if xl in self.set:
                    return True
                return any(substitute_literal(t, ctx).lower() == xl for t in self.templates)
            if self.globs(x):
                return True
            return any(substitute_glob(t, ctx)(x) is not None for t in self.templates)
        if fam == "bool":
            return x.lower() in self.set
        if fam == "binary":
            return x in self.set
        if fam in ("numeric", "date"):
            try:
                n = _num(x) if fam == "numeric" else parse_date(x)
            except (ValueError, TypeError):
                return False
            f = _CMP[cmp]
            return any(f(n, v) for v in self.nums)
        if fam == "ip":
            try:
                addr = ipaddress.ip_address(x.strip())
            except ValueError:
                try:
                    net = ipaddress.ip_network(x.strip(), strict=False)
                except ValueError:
                    return False
                return any(net.version == n.version and net.subnet_of(n) for n in self.nets)
            return any(addr.version == n.version and addr in n for n in self.nets)
        if fam == "arn":
            req = _split_arn(x)
            for kind, m in self.arns:
                if kind == "whole":
                    if m(x):
                        return True
                elif req is not None and all(g(p) for g, p in zip(m, req)):
                    return True
            for t in self.templates:
                if substitute_glob(t, ctx)(x) is not None:  # variables: whole-ARN glob
                    return True
            return False
        raise AssertionError(fam)


class Condition:
    """One (operator, key, values) triple of a statement's Condition block, compiled."""

    __slots__ = ("operator", "key", "lkey", "family", "negated", "if_exists", "qualifier", "matcher", "values")

    def __init__(self, operator: str, key: str, values: list[str], substitute: bool) -> None:
        self.operator, self.key, self.lkey, self.values = operator, key, key.lower(), values
        qualifier, base = None, operator
        low = operator.lower()
        if low.startswith("foranyvalue:"):
            qualifier, base = "any", operator[len("ForAnyValue:"):]
        elif low.startswith("forallvalues:"):
            qualifier, base = "all", operator[len("ForAllValues:"):]
        lbase = base.lower()
        self.if_exists = lbase.endswith("ifexists") and lbase[:-8] in OPERATORS
        if self.if_exists:
            lbase = lbase[:-8]
        if lbase not in OPERATORS:
            raise BadValue(f"unknown condition operator {operator!r}")
        family, negated, comparison = OPERATORS[lbase]
        if family == "null" and (self.if_exists or qualifier):
            raise BadValue(f"condition operator {operator!r} is not valid (Null takes no IfExists or set qualifier)")
        self.family, self.negated, self.qualifier = family, negated, qualifier
        self.matcher = Matcher(family, comparison, values, substitute)

    # -- evaluation -------------------------------------------------------------------------------------------
    def held(self, ctx: Mapping[str, Any]) -> bool:
        """Fast path: does the condition hold? (an unresolved variable makes the statement invalid → False)."""
        try:
            return self._run(ctx, False)[0]
        except Unresolved:
            return False

    def check(self, ctx: Mapping[str, Any]) -> ConditionCheck:
        """Slow path with the reason, for explanations."""
        try:
            held, why = self._run(ctx, True)
        except Unresolved as u:
            held, why = False, f"{u.why} → {UNRESOLVED_READING}"
        return ConditionCheck(self.operator, self.key, held, why)

    def _vals(self) -> str:
        return json.dumps(self.values[0]) if len(self.values) == 1 else json.dumps(self.values)

    def _run(self, ctx: Mapping[str, Any], detail: bool) -> tuple[bool, str]:
        op, key = self.operator, self.key
        v = ctx.get(self.lkey, _MISSING)
        if self.family == "null":
            absent = v is _MISSING or v == []
            res = ("true" if absent else "false") in self.matcher.set
            return res, (f"{key} {'absent' if absent else 'present'} → {op} {self._vals()} is "
                         f"{str(res).lower()}") if detail else ""
        if v is _MISSING:
            if self.if_exists:
                return True, f"{key} absent → {op} is true" if detail else ""
            res = self.qualifier == "all" or (self.qualifier is None and self.negated)
            return res, f"{key} absent → {op} is {str(res).lower()}" if detail else ""
        m = self.matcher
        if self.qualifier is None:
            if isinstance(v, list):
                return False, (f"{key} is multi-valued {json.dumps(v)}; a single-valued operator does not match "
                               f"it → {op} is false") if detail else ""
            hit = m.any_match(str(v), ctx)
            res = hit != self.negated
            if not detail:
                return res, ""
            what = f"matches {self._vals()}" if hit else f"matches none of {self._vals()}"
            return res, f"{key} = {json.dumps(str(v))} {what} → {op} is {str(res).lower()}"
        items = [str(x) for x in v] if isinstance(v, list) else [str(v)]
        if not items:
            res = self.qualifier == "all"
            return res, f"{key} is empty → {op} is {str(res).lower()}" if detail else ""
        ok = [m.any_match(x, ctx) != self.negated for x in items]
        res = any(ok) if self.qualifier == "any" else all(ok)
        if not detail:
            return res, ""
        if self.qualifier == "any":
            what = "some value satisfies" if res else "no value satisfies"
        else:
            what = "every value satisfies" if res else "not every value satisfies"
        return res, f"{key} = {json.dumps(items)}: {what} {self._vals()} → {op} is {str(res).lower()}"
