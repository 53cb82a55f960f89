"""The audit result as plain data, and its exports (CSV, Markdown, HTML, JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mfakit.aws.audit.checks import Finding
from mfakit.aws.audit.facts import AccountFacts

FORMATS = ("table", "json", "csv", "md", "html")


@dataclass
class AuditReport:
    facts: AccountFacts
    findings: list[Finding]

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "FAIL"]

    def user_rows(self) -> list[dict[str, Any]]:
        rows = []
        for u in self.facts.users:
            rows.append({
                "user": u.name, "console_password": u.console_password,
                "password_reset_required": u.password_reset_required, "access_keys": u.access_keys_active,
                "virtual": len(u.devices.get("virtual", [])), "security_key": len(u.devices.get("security_key", [])),
                "hardware": len(u.devices.get("hardware", [])), "sms": len(u.devices.get("sms", [])),
                "mfa_active": u.mfa_active, "mfa_enforced": u.mfa_enforced, "admin": u.is_admin,
                "policies": ", ".join(u.attached)})
        return rows

    def finding_rows(self, failed_only: bool = False) -> list[dict[str, Any]]:
        return [asdict(f) for f in (self.failed if failed_only else self.findings)]

    def to_dict(self) -> dict[str, Any]:
        return {"account": self.facts.account,
                "root": {"mfa_active": self.facts.root_mfa_active, "virtual_mfa": self.facts.root_virtual_mfa},
                "users": self.user_rows(), "findings": self.finding_rows()}


def render(report: AuditReport, fmt: str) -> str:
    """The report as text in ``fmt`` (json, csv, md, html; csv/md/html hold users then findings)."""
    import pandas as pd

    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    users = pd.DataFrame(report.user_rows())
    findings = pd.DataFrame(report.finding_rows())
    if fmt == "csv":
        findings.insert(0, "account", report.facts.account)
        return findings.to_csv(index=False)
    if fmt == "md":
        return (f"# AWS MFA audit — account {report.facts.account}\n\n## Users\n\n"
                + users.to_markdown(index=False) + "\n\n## Findings\n\n"
                + findings.to_markdown(index=False) + "\n")
    if fmt == "html":
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>AWS MFA audit</title></head><body>"
                f"<h1>AWS MFA audit — account {report.facts.account}</h1><h2>Users</h2>"
                + users.to_html(index=False, escape=True) + "<h2>Findings</h2>"
                + findings.to_html(index=False, escape=True) + "</body></html>\n")
    from mfakit.errors import MfakitError

    raise MfakitError(f"unknown format {fmt!r} (choose one of {', '.join(FORMATS)})")


def write(report: AuditReport, fmt: str, path: Path) -> None:
    from mfakit.fileio import atomic_write as atomic_write_text

    atomic_write_text(path, render(report, fmt))
