"""Audit checks, Prowler-style: each check is a small unit with its metadata beside its code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mfakit.aws.audit.facts import AccountFacts

SEVERITIES = ("critical", "high", "medium", "low", "informational")


@dataclass(frozen=True)
class Finding:
    check_id: str
    severity: str
    status: str  # FAIL | PASS
    resource: str
    message: str
    remediation: str


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    description: str
    remediation: str
    run: Callable[[AccountFacts, "Check"], list[Finding]]

    def finding(self, status: str, resource: str, message: str) -> Finding:
        return Finding(self.id, self.severity, status, resource, message, self.remediation if status == "FAIL" else "")


def all_checks() -> list[Check]:
    from mfakit.aws.audit.checks import enforcement, root, users

    return [*root.CHECKS, *users.CHECKS, *enforcement.CHECKS]
