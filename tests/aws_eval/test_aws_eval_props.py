"""Property tests: the glob matcher and the condition operators against simple references; the fast decision
path agrees with the explanation path; malformed policies always raise PolicyError."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfakit.aws.evaluator import compile_policies, evaluate
from mfakit.aws.evaluator.conditions import Condition
from mfakit.aws.evaluator.globs import GlobSet, glob_match
from mfakit.errors import PolicyError

FAST = settings(max_examples=150, deadline=None)


def ref_glob(pattern: str, text: str) -> bool:
    """Reference glob: plain recursion over characters (no regex)."""
    @lru_cache(maxsize=None)
    def m(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(text)
        c = pattern[i]
        if c == "*":
            return m(i + 1, j) or (j < len(text) and m(i, j + 1))
        if j < len(text) and (c == "?" or c == text[j]):
            return m(i + 1, j + 1)
        return False
    return m(0, 0)


pat = st.text(alphabet="ab:/*?.", max_size=8)
txt = st.text(alphabet="ab:/.*?", max_size=8)


@FAST
@given(pat, txt)
def test_glob_matches_reference(pattern: str, text: str) -> None:
    assert glob_match(pattern, text) == ref_glob(pattern, text)
    assert GlobSet([pattern])(text) == ref_glob(pattern, text)


@FAST
@given(st.lists(pat, min_size=1, max_size=4), txt)
def test_globset_is_any_of(patterns: list[str], text: str) -> None:
    assert GlobSet(patterns)(text) == any(ref_glob(p, text) for p in patterns)


@FAST
@given(pat.filter(lambda p: p), st.text(alphabet="abAB:", max_size=6))
def test_action_match_ignores_case(pattern: str, name: str) -> None:
    action = f"svc:{name}"
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": f"svc:{pattern}", "Resource": "*"}]}
    expected = ref_glob(f"svc:{pattern}".lower(), action.lower())
    assert evaluate([doc], action.swapcase(), "*").allowed == expected


# --- condition operators against a reference ---------------------------------------------------------------
ABSENT = object()
STRING_OPS = {"StringEquals": lambda p, x: p == x, "StringEqualsIgnoreCase": lambda p, x: p.lower() == x.lower(),
              "StringLike": ref_glob}
NUM_OPS = {"NumericEquals": lambda p, x: x == p, "NumericLessThan": lambda p, x: x < p,
           "NumericLessThanEquals": lambda p, x: x <= p, "NumericGreaterThan": lambda p, x: x > p,
           "NumericGreaterThanEquals": lambda p, x: x >= p}


def reference(base_match, negated: bool, if_exists: bool, qualifier: str | None, values: list, v: Any) -> bool:
    def op_holds(x: Any) -> bool:
        hit = any(base_match(p, x) for p in values)
        return not hit if negated else hit
    if v is ABSENT:
        if if_exists:
            return True
        return qualifier == "all" or (qualifier is None and negated)
    if qualifier is None:
        return False if isinstance(v, list) else op_holds(v)
    items = v if isinstance(v, list) else [v]
    if not items:
        return qualifier == "all"
    return any(map(op_holds, items)) if qualifier == "any" else all(map(op_holds, items))


ctx_value = st.one_of(st.just(ABSENT), st.text(alphabet="aAb*", max_size=3),
                      st.lists(st.text(alphabet="aAb", max_size=3), max_size=3))


@FAST
@given(st.sampled_from(sorted(STRING_OPS)), st.booleans(), st.booleans(), st.sampled_from([None, "any", "all"]),
       st.lists(st.text(alphabet="aAb*?", max_size=3), min_size=1, max_size=3), ctx_value)
def test_string_operators(base: str, negated: bool, if_exists: bool, qualifier: str | None, values: list[str],
                          v: Any) -> None:
    name = base.replace("String", "StringNot", 1) if negated else base
    op = {None: "", "any": "ForAnyValue:", "all": "ForAllValues:"}[qualifier] + name + ("IfExists" if if_exists
                                                                                      else "")
    cond = Condition(op, "Tag", values, substitute=True)
    ctx = {} if v is ABSENT else {"tag": v}
    assert cond.held(ctx) == reference(STRING_OPS[base], negated, if_exists, qualifier, values, v)
    assert cond.check(ctx).held == cond.held(ctx)


@FAST
@given(st.sampled_from(sorted(NUM_OPS)), st.booleans(), st.lists(st.integers(-5, 5), min_size=1, max_size=3),
       st.one_of(st.just(ABSENT), st.integers(-6, 6)))
def test_numeric_operators(base: str, if_exists: bool, values: list[int], v: Any) -> None:
    op = base + ("IfExists" if if_exists else "")
    cond = Condition(op, "n", [str(x) for x in values], substitute=False)
    ctx = {} if v is ABSENT else {"n": str(v)}  # held() takes the lower-cased context
    assert cond.held(ctx) == reference(lambda p, x: NUM_OPS[base](p, x), False, if_exists, None, values, v)


@FAST
@given(st.lists(st.sampled_from(["true", "false"]), min_size=1, max_size=2),
       st.one_of(st.just(ABSENT), st.sampled_from(["x", ""]), st.just([])))
def test_null_operator(values: list[str], v: Any) -> None:
    absent = v is ABSENT or v == []
    cond = Condition("Null", "k", values, substitute=False)
    assert cond.held({} if v is ABSENT else {"k": v}) == (("true" if absent else "false") in values)


# --- fast path == explanation path -------------------------------------------------------------------------
statement = st.fixed_dictionaries({
    "Effect": st.sampled_from(["Allow", "Deny"]),
    "Action": st.lists(st.sampled_from(["s3:*", "s3:Get*", "ec2:Describe?pcs", "iam:GetUser", "*", "i*:List*"]),
                       min_size=1, max_size=3),
    "Resource": st.sampled_from(["*", "arn:aws:s3:::b/*", "arn:aws:iam::*:user/${aws:username}"]),
    "Condition": st.sampled_from([{}, {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
                                  {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                                  {"StringNotEquals": {"aws:username": "bob"}}]),
})
request = st.tuples(st.sampled_from(["s3:GetObject", "ec2:DescribeVpcs", "iam:GetUser", "iam:ListUsers",
                                     "sts:GetSessionToken"]),
                    st.sampled_from(["*", "arn:aws:s3:::b/k", "arn:aws:iam::1:user/bob"]),
                    st.sampled_from([None, {"aws:MultiFactorAuthPresent": "false"},
                                     {"aws:MultiFactorAuthPresent": "true", "aws:username": "bob"}]))


@FAST
@given(st.lists(statement, min_size=1, max_size=5), request)
def test_decision_agrees_with_explanation(stmts: list[dict], req: tuple) -> None:
    for s in stmts:
        if not s["Condition"]:
            del s["Condition"]
    res = evaluate([{"Version": "2012-10-17", "Statement": stmts}], *req)
    effects = {m.effect for m in res.matched}
    expected = "explicitDeny" if "Deny" in effects else "allowed" if "Allow" in effects else "implicitDeny"
    assert res.decision == expected
    assert res.reason.startswith({"explicitDeny": "explicit deny", "allowed": "allowed",
                                  "implicitDeny": "implicit deny"}[res.decision])


# --- malformed policies -------------------------------------------------------------------------------------
json_value = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
                          lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                  st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                          max_leaves=10)
keys = st.sampled_from(["Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Sid",
                        "Principal", "Foo"])
element = st.one_of(st.sampled_from(["Allow", "Deny", "*", "s3:*", "arn:aws:s3:::b", "2012-10-17"]), json_value,
                    st.dictionaries(st.sampled_from(["StringEquals", "Boool", "ForAnyValue:StringLike",
                                                     "NullIfExists", "NumericLessThan", "IpAddress", "DateEquals"]),
                                    st.dictionaries(st.text(max_size=4), json_value, max_size=2), max_size=2))
fuzzy_policy = st.one_of(
    json_value,
    st.fixed_dictionaries({"Version": st.sampled_from(["2012-10-17", "2008-10-17", "2020-01-01", 1]),
                           "Statement": st.one_of(st.dictionaries(keys, element, max_size=6),
                                                  st.lists(st.dictionaries(keys, element, max_size=6),
                                                           max_size=3))}))


@settings(max_examples=300, deadline=None)
@given(fuzzy_policy)
def test_malformed_policies_raise_policy_error(doc: Any) -> None:
    try:
        cps = compile_policies([("fuzz", doc)])
    except PolicyError as exc:
        assert str(exc).startswith("fuzz: ") and "\n" not in str(exc)
        return
    evaluate(cps, "s3:GetObject", "arn:aws:s3:::b/k", {"aws:MultiFactorAuthPresent": "true"})


@FAST
@given(st.text(max_size=40))
def test_malformed_json_text_raises_policy_error(text: str) -> None:
    try:
        compile_policies([("t.json", text)])
    except PolicyError as exc:
        assert str(exc).startswith("t.json: ")


BAD = [
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                     "Condition": {"StringEqualz": {"a": "b"}}}]}, "unknown condition operator"),
    ({"Statement": [{"Effect": "allow", "Action": "s3:*", "Resource": "*"}]}, "Effect must be"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:x", "Resource": "*"}]},
     "both Action and NotAction"),
    ({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "missing Action"),
    ({"Statement": [{"Action": "s3:*", "Resource": "*"}]}, "missing Effect"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}, "missing Resource"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotResource": "*"}]}, "both Resource"),
    ({"Version": "2012-10-18", "Statement": []}, "Version must be"),
    ({"Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}, "service:Action"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"}]}, "Principal"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                     "Condition": {"NumericLessThan": {"n": "ten"}}}]}, "bad numeric value"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                     "Condition": {"IpAddress": {"aws:SourceIp": "300.1.1.1/8"}}}]}, "bad ip value"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                     "Condition": {"NullIfExists": {"k": "true"}}}]}, "not valid"),
    ("{not json", "malformed JSON"),
]


@pytest.mark.parametrize("doc,problem", BAD)
def test_specific_malformed_policies(doc: Any, problem: str) -> None:
    with pytest.raises(PolicyError) as exc:
        compile_policies([("bad-policy", doc)])
    msg = str(exc.value)
    assert msg.startswith("bad-policy: ") and problem in msg
    if isinstance(doc, dict) and doc.get("Statement"):
        assert "statement 0" in msg


def test_error_names_sid() -> None:
    doc = {"Version": "2012-10-17", "Statement": [{"Sid": "Ok", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                                                  {"Sid": "Broken", "Effect": "Allow", "Action": "s3:*",
                                                   "Resource": "*", "Condition": {"Boool": {"a": "b"}}}]}
    with pytest.raises(PolicyError, match=r"p: statement 1 \(Sid Broken\): unknown condition operator 'Boool'"):
        evaluate([("p", json.dumps(doc))], "s3:GetObject", "*")


def test_evaluate_on_plain_dicts_caches_by_content_not_by_identity():
    """evaluate() with plain dicts reuses a compilation only while the content is equal."""
    from mfakit.aws.evaluator import evaluate as ev
    from mfakit.aws.evaluator import cache

    cache.clear()
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    pols = [("p", doc)]
    assert ev(pols, "s3:GetObject", "*").decision == "allowed"
    first = cache._LAST[2]
    assert ev(pols, "s3:GetObject", "*").decision == "allowed" and cache._LAST[2] is first  # reused
    doc["Statement"][0]["Effect"] = "Deny"  # changed in place: must not answer from the old compilation
    assert ev(pols, "s3:GetObject", "*").decision == "explicitDeny"
    doc["Statement"][0]["Effect"] = "Allow"
    assert ev([("p", doc)], "s3:GetObject", "*").decision == "allowed"  # a new list, equal content
