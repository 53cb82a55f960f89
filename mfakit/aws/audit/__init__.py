"""AWS MFA audit: per user console access, keys, MFA devices by type, whether MFA is ENFORCED (simulation),
root MFA; findings from small Prowler-style checks (see :mod:`mfakit.aws.audit.checks`)."""

from __future__ import annotations

from typing import Any, Callable

from mfakit.aws.audit.checks import Check, Finding, all_checks
from mfakit.aws.audit.devices import device_type
from mfakit.aws.audit.report import FORMATS, AuditReport, render, write


def audit_account(session: Any, progress: Callable[[str], None] | None = None) -> AuditReport:
    """Audit the account behind ``session`` (an administrator boto3 session, embedded or live; read-only)."""
    from mfakit.aws.audit.facts import collect

    facts = collect(session, progress)
    findings: list[Finding] = []
    for check in all_checks():
        findings.extend(check.run(facts, check))
    return AuditReport(facts, findings)


__all__ = ["audit_account", "AuditReport", "Check", "Finding", "all_checks", "device_type", "render", "write",
           "FORMATS"]
