"""Every migration state, every lockout rule, and progress over time, on hand-built catalog facts."""

from __future__ import annotations

from datetime import date

import pytest

from mfakit.catalog.model import Fact, Match, Service
from mfakit.inventory import Account, Change, Factor, Inventory
from mfakit.plan import assess, factor_types_on, plan_account, summarize, timeline


def fact(value) -> Fact:
    return Fact(value, "https://example.test/doc", "2026-01-01")


def service(key_only: str | None, sk: bool | None = True, pk: bool | None = None, backups=None) -> Service:
    supports = {"totp": fact(True)}
    if sk is not None:
        supports["security_key"] = fact(sk)
    if pk is not None:
        supports["passkey_login"] = fact(pk)
        supports["passkey_2fa"] = fact(pk)
    return Service(id="svc", name="Svc", supports=supports,
                   key_only=fact(key_only) if key_only else None,
                   backups_required=fact(backups) if backups else None)


def acc(*factors: str) -> Account:
    fs = [Factor(*f.split(":", 1)) if ":" in f else Factor(f) for f in factors]
    return Account(id="a", service="svc", label="A", factors=fs)


def state(account: Account, svc: Service | None, how: str = "id") -> tuple[str, str]:
    row = plan_account(account, Match(svc, how if svc else "none"))
    return row.state, row.next_step


def test_done_when_on_key_and_no_totp_or_sms_left() -> None:
    assert state(acc("security_key:Titan 1", "recovery_codes:paper"), service("yes"))[0] == "done"
    # done does not depend on the catalog knowing the service
    assert state(acc("passkey:Titan 1"), None)[0] == "done"


def test_ready_when_key_only_possible() -> None:
    s, step = state(acc("totp:phone"), service("yes"))
    assert s == "ready" and step.startswith("Register your key as a security key at Svc")
    s, step = state(acc("totp:phone", "security_key:Titan 1"), service("yes"))
    assert s == "ready" and step == "Remove totp from Svc: the key is enough."
    s, step = state(acc("totp:phone"), service("yes", sk=False, pk=True))
    assert "a passkey on your key" in step


def test_hybrid_when_totp_must_stay_and_backups_named() -> None:
    s, step = state(acc("totp:phone", "security_key:Titan 1"), service("no", backups=["totp or sms"]))
    assert s == "hybrid" and "Keep TOTP for Svc (Svc requires: totp or sms)" in step
    s, step = state(acc("totp:phone"), service("no"))
    assert s == "hybrid" and step.startswith("Register your key as a security key at Svc beside TOTP")


def test_blocked_when_no_key_support() -> None:
    s, step = state(acc("totp:phone"), service(None, sk=False, pk=False))
    assert s == "blocked" and "Keep TOTP" in step


def test_unknown_cases_never_guess() -> None:
    assert state(acc("totp:phone"), None)[0] == "unknown"
    assert state(acc("totp:phone"), service(None, sk=None, pk=None))[0] == "unknown"  # support unknown
    s, step = state(acc("totp:phone"), service(None, sk=True))  # key_only unknown
    assert s == "unknown" and "turn TOTP off" in step
    row = plan_account(acc("totp"), Match(None, "ambiguous", ("amazon", "amazon-jp")))
    assert row.state == "unknown" and "amazon, amazon-jp" in row.reason


def test_sms_left_is_not_done() -> None:
    assert state(acc("security_key:Titan 1", "sms:phone"), service("yes"))[0] == "ready"


def test_source_names_the_fact_origin() -> None:
    row = plan_account(acc("totp"), Match(service("yes"), "id"))
    assert "https://example.test/doc (curated, 2026-01-01)" in row.source


@pytest.mark.parametrize("factors,level,rules", [
    (["totp:phone"], "high", ("totp_one_phone", "no_recovery_codes")),
    (["totp:phone", "recovery_codes:paper"], "medium", ("totp_one_phone",)),
    (["totp:phone", "totp:tablet", "recovery_codes:paper"], "none", ()),
    (["security_key:Titan 1", "passkey:Titan 1"], "high", ("single_key", "no_recovery_codes")),
    (["security_key:Titan 1", "security_key:Titan 2", "recovery_codes:x"], "none", ()),
    (["security_key:Titan 1", "totp:phone", "recovery_codes:x"], "none", ()),
    (["sms:phone"], "medium", ("sms_only_fallback", "no_recovery_codes")),
    (["totp:phone", "sms:phone"], "medium", ("sms_only_fallback", "no_recovery_codes")),
    (["security_key:Titan 1", "security_key:Titan 2"], "low", ("no_recovery_codes",)),
])
def test_lockout_rules(factors: list[str], level: str, rules: tuple[str, ...]) -> None:
    risk = assess(acc(*factors))
    assert (risk.level, risk.rules) == (level, rules)
    assert len(risk.reasons) == len(rules)


def test_factor_history_replay() -> None:
    a = Account(id="g", service="google", factors=[Factor("security_key", "Titan 1", date(2024, 6, 1))],
                history=[Change(date(2024, 6, 2), "remove", "totp", "phone")])
    assert factor_types_on(a, date(2024, 5, 31)) == {"totp": 1}
    assert factor_types_on(a, date(2024, 6, 1)) == {"totp": 1, "security_key": 1}
    assert factor_types_on(a, date(2024, 6, 2)) == {"security_key": 1}
    # a factor added then removed later is absent before it was added
    b = Account(id="b", service="x", factors=[Factor("totp", "phone", date(2020, 1, 1))],
                history=[Change(date(2024, 1, 1), "add", "security_key", "K"),
                         Change(date(2024, 2, 1), "remove", "security_key", "K")])
    assert factor_types_on(b, date(2023, 12, 31)) == {"totp": 1}
    assert factor_types_on(b, date(2024, 1, 15)) == {"totp": 1, "security_key": 1}
    assert factor_types_on(b, date(2024, 3, 1)) == {"totp": 1}


def test_timeline_counts_accounts_off_the_app() -> None:
    inv = Inventory(accounts=[
        Account(id="g", service="google", factors=[Factor("security_key", "Titan 1", date(2024, 6, 1))],
                history=[Change(date(2024, 6, 2), "remove", "totp", "phone")]),
        Account(id="x", service="x", factors=[Factor("totp", "phone", date(2021, 1, 1))]),
    ])
    points = {p["date"]: p for p in timeline(inv, until=date(2024, 7, 1))}
    assert points[date(2024, 6, 1)]["off_app"] == 0 and points[date(2024, 6, 1)]["on_key"] == 1
    assert points[date(2024, 6, 2)]["off_app"] == 1
    assert points[date(2024, 7, 1)] == {"date": date(2024, 7, 1), "accounts": 2, "off_app": 1, "on_key": 1}
    inv.accounts[1].group = "Social"
    social = timeline(inv, until=date(2024, 7, 1), group="Social")
    assert [p["date"] for p in social] == [date(2021, 1, 1), date(2024, 7, 1)]
    assert social[-1] == {"date": date(2024, 7, 1), "accounts": 1, "off_app": 0, "on_key": 0}


def test_summary_line() -> None:
    rows = [plan_account(acc("security_key:K"), Match(service("yes"), "id")),
            plan_account(acc("totp:phone"), Match(None, "none"))]
    prog = summarize(rows)
    assert (prog.total, prog.off_app, prog.on_key) == (2, 1, 1)
    assert prog.line().startswith("1 of 2 accounts off the authenticator app (50%), 1 on a key")
