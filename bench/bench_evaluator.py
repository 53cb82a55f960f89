"""IAM evaluator throughput on the seed's four policies, side by side with PMapper's local simulation.

Policies: forced-mfa-self-manage (the seed's variant) + AmazonVPCFullAccess, AmazonEC2FullAccess,
IAMReadOnlyAccess (AWS managed, by name). Requests: ec2/iam/sts/s3 actions x the user's own and other users'
ARNs x the three MFA contexts (absent, "false", "true"). The kit compiles the policies once and decides every
request from scratch (no decision cache). PMapper (`pip install principalmapper`, only for this benchmark)
decides the same requests with a Deny pass then an Allow pass of `policy_has_matching_statement`.
"""

from __future__ import annotations

import collections
import collections.abc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mfakit.aws.evaluator import compile_policies, evaluate  # noqa: E402
from mfakit.aws.managed import managed_policy  # noqa: E402
from mfakit.aws.policygen import forced_mfa_policy  # noqa: E402

ACCT = "123456789012"
USER = "s-takahashi"
MANAGED = ("AmazonVPCFullAccess", "AmazonEC2FullAccess", "IAMReadOnlyAccess")
TARGET_RATE = 150_000
TARGET_RATIO = 5.0

ACTIONS = {
    "ec2": ["DescribeVpcs", "DescribeInstances", "DescribeSubnets", "CreateVpc", "DeleteSubnet", "RunInstances",
            "TerminateInstances", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "DescribeRouteTables"],
    "iam": ["ListUsers", "GetUser", "ChangePassword", "CreateVirtualMFADevice", "EnableMFADevice", "DeleteUser",
            "CreateAccessKey", "ListAccessKeys", "ListMFADevices", "GetMFADevice", "ResyncMFADevice",
            "GetAccountPasswordPolicy", "ListVirtualMFADevices", "CreateUser", "AttachUserPolicy",
            "GetAccessKeyLastUsed", "UploadSSHPublicKey", "CreateServiceLinkedRole"],
    "sts": ["GetSessionToken", "GetCallerIdentity", "AssumeRole"],
    "s3": ["GetObject", "PutObject", "ListBucket", "DeleteObject"],
}


def resources(service: str, action: str) -> list[str]:
    if service == "iam":
        if "VirtualMFADevice" in action:
            return [f"arn:aws:iam::{ACCT}:mfa/{USER}-AuthenticatorApp", f"arn:aws:iam::{ACCT}:mfa/other-App"]
        return [f"arn:aws:iam::{ACCT}:user/{USER}", f"arn:aws:iam::{ACCT}:user/other-user", "*"]
    if service == "s3":
        return ["arn:aws:s3:::team-bucket/reports/2024.csv", "arn:aws:s3:::team-bucket"]
    if service == "ec2":
        return ["*", f"arn:aws:ec2:ap-northeast-1:{ACCT}:vpc/vpc-0abc"]
    return ["*", f"arn:aws:iam::{ACCT}:role/admin"]


CONTEXTS = [{"aws:username": USER},
            {"aws:username": USER, "aws:MultiFactorAuthPresent": "false"},
            {"aws:username": USER, "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "120"}]


def request_set() -> list[tuple[str, str, dict]]:
    reqs = [(f"{svc}:{a}", r, c) for svc, names in ACTIONS.items() for a in names for r in resources(svc, a)
            for c in CONTEXTS]
    random.Random(7).shuffle(reqs)
    return reqs


def seed_policies() -> list[tuple[str, dict]]:
    return [("forced-mfa-self-manage", forced_mfa_policy("seed"))] + [(n, managed_policy(n)) for n in MANAGED]


def rate(fn, reqs, min_seconds: float = 1.5) -> tuple[float, list[str]]:
    """Decisions per second (best of a few timed passes over the whole request set)."""
    decisions = [fn(*r) for r in reqs]  # warm-up and the answers
    best, elapsed, rounds = 0.0, 0.0, 0
    while elapsed < min_seconds or rounds < 3:
        t = time.perf_counter()
        for a, r, c in reqs:
            fn(a, r, c)
        dt = time.perf_counter() - t
        elapsed += dt
        rounds += 1
        best = max(best, len(reqs) / dt)
    return best, decisions


def load_pmapper():
    for name in ("Mapping", "MutableMapping", "Iterable", "Sequence"):
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    try:
        from principalmapper.querying.local_policy_simulation import policy_has_matching_statement
        from principalmapper.util.case_insensitive_dict import CaseInsensitiveDict
    except ImportError as exc:
        return None, str(exc)
    return (policy_has_matching_statement, CaseInsensitiveDict), ""


def main() -> int:
    policies = seed_policies()
    cps = compile_policies(policies)
    reqs = request_set()
    kit = lambda a, r, c: evaluate(cps, a, r, c).decision  # noqa: E731
    kit_rate, kit_dec = rate(kit, reqs)
    print(f"requests: {len(reqs)} distinct (ec2/iam/sts/s3 x own/other ARNs x MFA absent/false/true)")
    print(f"mfakit evaluator: {kit_rate:,.0f} decisions/s (target >= {TARGET_RATE:,}) "
          f"{'OK' if kit_rate >= TARGET_RATE else 'BELOW TARGET'}")
    aws_cps = compile_policies([("forced-mfa-aws", forced_mfa_policy("aws"))] + policies[1:])
    aws_rate, _ = rate(lambda a, r, c: evaluate(aws_cps, a, r, c).decision, reqs, 0.5)
    print(f"mfakit evaluator, AWS example (${{aws:username}} variables): {aws_rate:,.0f} decisions/s")
    dict_rate, dict_dec = rate(lambda a, r, c: evaluate(policies, a, r, c).decision, reqs)
    assert dict_dec == kit_dec, "evaluate() on plain dicts must decide as the compiled path does"
    print(f"evaluate() on plain policy dicts (compiled policies cached by content): {dict_rate:,.0f} decisions/s; "
          f"compiled path {kit_rate:,.0f}/s; ratio {kit_rate / dict_rate:.2f}x (target <= 2x) "
          f"{'OK' if kit_rate / dict_rate <= 2 else 'OVER'}")

    pm, why = load_pmapper()
    if pm is None:
        print(f"PMapper is not importable ({why}); install it for the comparison: "
              f"{sys.executable} -m pip install principalmapper")
        return 0
    has_match, CID = pm
    docs = [doc for _, doc in policies]

    pmapper = _pmapper_decider(has_match, CID, docs)
    pm_rate, pm_dec = rate(pmapper, reqs, 1.0)
    ratio = kit_rate / pm_rate
    print(f"PMapper local simulation: {pm_rate:,.0f} decisions/s")
    print(f"ratio mfakit / PMapper: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x) "
          f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")
    diffs = [(req, k, p) for req, k, p in zip(reqs, kit_dec, pm_dec) if k != p]
    print(f"disagreements: {len(diffs)} of {len(reqs)}")
    for (a, r, c), k, p in diffs[:20]:
        res = evaluate(cps, a, r, c)
        print(f"  {a} on {r} with {c}: mfakit={k}, PMapper={p}")
        print(f"    mfakit's reason: {res.reason}")
    if len(diffs) > 20:
        print(f"  ... {len(diffs) - 20} more")
    corpus_check(pmapper_for=lambda docs_: _pmapper_decider(has_match, CID, docs_))
    return 0


def _pmapper_decider(has_match, CID, docs):
    def decide(a: str, r: str, c: dict) -> str:
        ctx = CID(c)
        if any(has_match(d, "Deny", a, r, ctx) for d in docs):
            return "explicitDeny"
        if any(has_match(d, "Allow", a, r, ctx) for d in docs):
            return "allowed"
        return "implicitDeny"
    return decide


def corpus_check(pmapper_for) -> None:
    """Who is right: both on the politest corpus, whose answers come from AWS's own simulator."""
    import json

    path = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "iam-corpus" / "politest" / \
        "identity_only_cases.json"
    if not path.is_file():
        print("politest corpus absent (../shared): no ground-truth comparison")
        return
    words = {"Allowed": "allowed", "ExplicitlyDenied": "explicitDeny", "ImplicitlyDenied": "implicitDeny"}
    kit_ok = pm_ok = 0
    wrong = []
    cases = json.loads(path.read_text())
    for case in cases:
        req, want = case["request"], words[case["expected"]["response"]]
        a, r, c = req["action"], req["resource"]["resource"], req["context"] or {}
        k = evaluate(case["identityPolicies"], a, r, c or None).decision
        try:
            p = pmapper_for(case["identityPolicies"])(a, r, c)
        except Exception as exc:  # PMapper may choke on shapes it does not know
            p = f"error: {type(exc).__name__}"
        kit_ok += k == want
        pm_ok += p == want
        if k != p:
            wrong.append((case["name"], want, k, p))
    print(f"politest corpus (answers from AWS's simulator): mfakit {kit_ok}/{len(cases)}, "
          f"PMapper {pm_ok}/{len(cases)}")
    for name, want, k, p in wrong:
        right = "mfakit" if k == want else "PMapper" if p == want else "neither"
        print(f"  {name}: AWS={want}, mfakit={k}, PMapper={p} -> {right} is right")


if __name__ == "__main__":
    sys.exit(main())
