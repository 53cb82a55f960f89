"""The audit's findings on the seeded embedded account."""

from __future__ import annotations

import json

import pytest

from mfakit.aws.audit import audit_account, render
from mfakit.aws.audit.devices import device_type
from mfakit.aws.audit.seeded import seed_account
from mfakit.aws.embedded import embedded


@pytest.fixture(scope="module")
def report():
    with embedded() as aws:
        seed_account(aws)
        yield audit_account(aws.admin)


def _fails(report, check):
    return sorted(f.resource for f in report.findings if f.check_id == check and f.status == "FAIL")


def test_device_types_by_serial():
    assert device_type("arn:aws:iam::123456789012:mfa/alice") == "virtual"
    assert device_type("arn:aws:iam::123456789012:u2f/user/carol/carol-SecurityKey-AB") == "security_key"
    assert device_type("arn:aws:iam::123456789012:sms-mfa/heidi") == "sms"
    assert device_type("GAHT12345678") == "hardware"


def test_users_table(report):
    rows = {r["user"]: r for r in report.user_rows()}
    assert rows["carol-key"]["security_key"] == 1 and rows["grace-hardware"]["hardware"] == 1
    assert rows["heidi-sms"]["sms"] == 1 and rows["alice-enforced"]["virtual"] == 1
    assert rows["bob-no-mfa"]["mfa_active"] is False and rows["alice-enforced"]["mfa_active"] is True
    assert {u: rows[u]["mfa_enforced"] for u in rows} == {
        "alice-enforced": "yes", "bob-no-mfa": "no", "carol-key": "yes", "dave-admin": "no",
        "erin-new-hire": "yes", "frank-bool": "partial", "grace-hardware": "yes", "heidi-sms": "no", "svc-ci": "no"}


def test_findings(report):
    assert _fails(report, "iam_root_mfa_enabled") == []
    assert _fails(report, "iam_root_hardware_mfa_enabled") == ["<root_account>"]
    assert _fails(report, "iam_user_mfa_enabled_console_access") == ["bob-no-mfa", "erin-new-hire"]
    # Prowler's logic: no MFA at all fails too; an app or SMS device fails
    assert _fails(report, "iam_user_hardware_mfa_enabled") == ["alice-enforced", "bob-no-mfa", "dave-admin",
                                                              "erin-new-hire", "frank-bool", "heidi-sms", "svc-ci"]
    assert _fails(report, "iam_administrator_access_with_mfa") == []  # Prowler looks at groups only
    assert _fails(report, "mfakit_iam_user_administrator_without_mfa") == ["dave-admin"]
    assert _fails(report, "mfakit_iam_mfa_not_enforced_by_policy") == ["bob-no-mfa", "dave-admin", "heidi-sms",
                                                                       "svc-ci"]
    assert _fails(report, "mfakit_iam_mfa_enforcement_access_key_bypass") == ["frank-bool"]
    deadlock = [f for f in report.findings if f.check_id == "mfakit_iam_first_sign_in_deadlock"
                and f.resource == "erin-new-hire"]
    assert deadlock[0].status == "FAIL" and "DEADLOCKED NOW" in deadlock[0].message
    assert all(f.remediation for f in report.failed)


def test_exports(report):
    data = json.loads(render(report, "json"))
    assert data["root"]["mfa_active"] is True and len(data["users"]) == 9
    csv = render(report, "csv")
    assert csv.splitlines()[0].startswith("account,check_id,severity,status")
    assert "| bob-no-mfa" in render(report, "md")
    html = render(report, "html")
    assert html.startswith("<!doctype html>") and "<table" in html
    text = json.dumps(data) + csv + html
    assert "Seeded-Pass" not in text and "Base32" not in text  # no secrets in exports
