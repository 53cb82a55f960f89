"""``mfakit aws demo | cleanup | audit``: the walkthrough, the clean-up and the MFA audit.

Embedded AWS by default; a real account only with ``--live --profile NAME`` (and a typed confirmation before
anything is created). boto3/moto/pandas are imported inside the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import typer

from mfakit.aws.live import aws_errors
from mfakit.cli.output import did_you_mean, emit_json, err, examples, out
from mfakit.errors import AwsError, MfakitError

_POLICY_HELP = "Forced-MFA policy: 'seed' (the seed's variant, default) or 'aws' (AWS's example: shows the deadlock)."


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise AwsError("refusing to change a real AWS account without a typed confirmation (stdin is not a "
                       "terminal); pass --yes to confirm non-interactively")
    return typer.prompt(prompt, default="", show_default=False)


def _confirm_profile(profile: str, what: str, yes: bool) -> None:
    """Typed confirmation BEFORE any AWS call: the profile name must be typed back."""
    if yes:
        return
    answer = _ask(f"{what} in the account of profile '{profile}'. Type the profile name to go on")
    if answer.strip() != profile:
        raise AwsError("confirmation did not match the profile name: nothing was called")


def _show_plan(variant: str) -> None:
    from mfakit.aws.live import TAG_KEY, demo_plan

    err().print(f"[bold]The walkthrough will create (every resource tagged {TAG_KEY}):[/bold]")
    for item in demo_plan(variant):
        err().print(f"  - {item['kind']}: {item['name']} — {item['detail']}")
    err().print("  and remove all of it at the end (or later with: mfakit aws cleanup --live --profile NAME)")


def _print_steps(results: list[Any]) -> None:
    from rich.table import Table

    table = Table(title="AWS MFA enforcement walkthrough", show_lines=False, header_style="bold", expand=True)
    table.add_column("#", justify="right")
    table.add_column("Step (IAM action)", ratio=6, overflow="fold")
    table.add_column("Who", ratio=3, overflow="fold")
    table.add_column("MFA", no_wrap=True)
    table.add_column("Result", ratio=3, overflow="fold")
    style = {"allowed": "green", "explicitDeny": "red", "implicitDeny": "yellow"}
    for r in results:
        title = ("[bold][console][/bold] " if r.console else "") + r.title
        colour = style.get(r.decision, "")
        decision = f"[{colour}]{r.decision}[/]" if colour else r.decision
        result = f"✓ {decision}" if r.ok else f"✗ {decision} [dim](expected {r.expected})[/dim]"
        table.add_row(str(r.step), f"{title}\n[dim]{r.action}[/dim]", r.principal, r.mfa, result)
    out().print(table)
    out().print("[bold]Why[/bold] (the kit's evaluator on the same policies and request context):")
    for r in results:
        out().print(f"  {r.step:>2}. {r.title}: {r.reason}", soft_wrap=True)


def demo(
    policy: str = typer.Option("seed", "--policy", help=_POLICY_HELP),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    live: bool = typer.Option(False, "--live", help="Run against a REAL account (needs --profile)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="AWS profile for --live."),
    region: Optional[str] = typer.Option(None, "--region", help="Region for --live (default: the profile's)."),
    yes: bool = typer.Option(False, "--yes", help="Skip the typed confirmation (live only)."),
    keep: bool = typer.Option(False, "--keep", help="Do not clean up at the end."),
    cli: bool = typer.Option(False, "--cli", help="Show the AWS CLI command of each step and run them with the "
                             "real 'aws' program against a local endpoint (mfakit aws serve)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="With --cli: print the commands only (to replay by hand)."),
) -> None:
    """Run the seed's walkthrough: forced-MFA policy, user, deny before MFA, MFA device, allow after MFA."""
    if policy not in ("seed", "aws"):
        raise MfakitError(f"--policy must be seed or aws, not {policy!r}{did_you_mean(policy, ('seed', 'aws'))}")
    if fmt not in ("table", "json"):
        raise MfakitError(f"--format must be table or json, not {fmt!r}{did_you_mean(fmt, ('table', 'json'))}")
    if cli:
        if live:
            raise AwsError("--cli runs against a local endpoint; to replay in your account, run the commands "
                           "printed by --cli --dry-run yourself")
        _cli_demo(fmt, dry_run, policy)
        return
    from mfakit.aws.steps import rows
    from mfakit.aws.walkthrough import run_walkthrough

    progress = (lambda r: err().print(f"[dim]step {r.step}: {r.name} → {r.decision}[/dim]")) if fmt == "table" \
        else None
    if not live:
        from mfakit.aws.embedded import embedded

        err().print("[dim]embedded AWS (moto + the kit's enforcement layer); nothing real is called[/dim]")
        # The table repeats every step, so progress is one transient status line on a terminal, nothing in a log.
        with embedded() as aws, _transient_progress(fmt == "table") as show:
            results = run_walkthrough(aws, variant=policy, clean=not keep, progress=show)
    else:
        results = _live_demo(policy, profile, region, yes, keep, progress)
    if fmt == "json":
        emit_json(rows(results))
    else:
        _print_steps(results)
    if not all(r.ok for r in results):
        raise MfakitError("some steps did not give the expected outcome (see the table)")


def _cli_demo(fmt: str, dry_run: bool, variant: str = "seed") -> None:
    """The walkthrough as AWS CLI commands; run with the real AWS CLI against a local endpoint."""
    from mfakit.aws.cli_commands import Replay, command_line, require_aws, steps

    if dry_run:
        rows = [{"step": s.step, "command": command_line(s), "expected": s.expect} for s in steps(variant=variant)]
        if fmt == "json":
            emit_json(rows)
            return
        last = None
        for row in rows:
            if row["step"] != last:
                out().print(f"# {row['step']}", markup=False)
                last = row["step"]
            out().print(row["command"] + ("" if row["expected"] == "ok" else f"   # AWS answers {row['expected']}"),
                        markup=False, soft_wrap=True)
        return
    exe = require_aws()
    from mfakit.aws.embedded.server import local_endpoint

    def show(r: Any) -> None:
        if fmt == "json":
            return
        mark = "✓" if r.ok else "✗"
        got = r.result if not r.aws_error_code else f"{r.aws_error_code}: {r.aws_error_message}"
        out().print(f"$ {r.command}", markup=False, soft_wrap=True)
        out().print(f"  {mark} {got}" + ("" if r.ok else f" (expected {r.expected})"), markup=False,
                    soft_wrap=True)

    with local_endpoint() as info:
        err().print(f"[dim]local endpoint {info['endpoint']} (embedded AWS); AWS CLI: {exe}[/dim]")
        admin = (info["admin"]["aws_access_key_id"], info["admin"]["aws_secret_access_key"])
        results = Replay(info["endpoint"], info["region"], admin, exe, progress=show, variant=variant).run()
    if fmt == "json":
        emit_json([r.to_dict() for r in results])
    if not results or not all(r.ok for r in results):
        raise MfakitError("some AWS CLI commands did not give the expected answer (see above)")



@contextmanager
def _transient_progress(enabled: bool) -> Iterator[Callable[[Any], None] | None]:
    """One status line that each step overwrites (on a terminal only); it disappears when the table prints."""
    con = err()
    if not enabled or not con.is_terminal:
        yield None
        return
    from mfakit import safe

    with con.status("starting the walkthrough…") as status:
        yield lambda r: status.update(f"step {r.step}: {safe.terminal(r.name)} → {safe.terminal(r.decision)}")


def _live_demo(policy: str, profile: Optional[str], region: Optional[str], yes: bool, keep: bool,
               progress: Any) -> list[Any]:
    from mfakit.aws.live import Ledger, LiveTarget, default_ledger_path, preflight
    from mfakit.aws.walkthrough import run_walkthrough

    if not profile:
        raise AwsError("--live needs --profile NAME (the kit never guesses which account to change)")
    _show_plan(policy)
    _confirm_profile(profile, "Create the resources above", yes)

    def guide(text: str) -> bool:
        if sys.stdin.isatty():
            typer.prompt(text, default="", show_default=False)
            return True
        err().print(text + " (not interactive: skipped)")
        return False

    with aws_errors(f"profile {profile}"):
        target = LiveTarget(profile, region, guide=guide)
        account = target.admin.client("sts").get_caller_identity()["Account"]
        err().print(f"account {account} (profile {profile}, endpoint {target.endpoint})", markup=False)
        problems = preflight(target.admin)
    if problems:
        raise AwsError("; ".join(problems))
    ledger = Ledger.load(default_ledger_path(account))
    try:
        return run_walkthrough(target, variant=policy, ledger=ledger, clean=not keep, progress=progress)
    except Exception as exc:
        raise AwsError(f"the walkthrough stopped ({exc}); remove what it created with: "
                       f"mfakit aws cleanup --live --profile {profile}") from exc


def cleanup_cmd(
    live: bool = typer.Option(False, "--live", help="Clean up a REAL account (needs --profile)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="AWS profile for --live."),
    yes: bool = typer.Option(False, "--yes", help="Skip the typed confirmation."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Remove exactly what the walkthrough created (tag mfakit:demo); idempotent."""
    from mfakit.aws.live import Ledger, cleanup, default_ledger_path

    if not live:
        from mfakit.aws.embedded import embedded

        err().print("[dim]embedded AWS: it is discarded after every run, so there is nothing to clean[/dim]")
        with embedded() as aws:
            removed = cleanup(aws.admin)
    else:
        if not profile:
            raise AwsError("--live needs --profile NAME")
        _confirm_profile(profile, "Delete every resource tagged mfakit:demo", yes)
        import boto3

        with aws_errors(f"profile {profile}"):
            admin = boto3.Session(profile_name=profile)
            account = admin.client("sts").get_caller_identity()["Account"]
            removed = cleanup(admin, Ledger.load(default_ledger_path(account)))
    if fmt == "json":
        emit_json({"removed": removed})
    else:
        for line in removed or ["nothing left to remove"]:
            out().print(line)


def audit(
    live: bool = typer.Option(False, "--live", help="Audit a REAL account (read-only; needs --profile)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="AWS profile for --live."),
    fmt: str = typer.Option("table", "--format", help="table, json, csv, md or html"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the report to this file."),
) -> None:
    """MFA audit: per user console password, keys, MFA devices by type, MFA ENFORCED by policy, root MFA."""
    from mfakit.aws.audit import FORMATS, audit_account, render, write

    if fmt not in FORMATS:
        raise MfakitError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}{did_you_mean(fmt, FORMATS)}")
    if live:
        if not profile:
            raise AwsError("--live needs --profile NAME")
        import boto3

        with aws_errors(f"profile {profile}"):
            report = audit_account(boto3.Session(profile_name=profile),
                                   progress=lambda u: err().print(f"[dim]auditing {u}[/dim]"))
    else:
        from mfakit.aws.audit.seeded import seed_account
        from mfakit.aws.embedded import embedded

        err().print("[dim]embedded AWS with a seeded account (users in every MFA state)[/dim]")
        with embedded() as aws:
            seed_account(aws)
            report = audit_account(aws.admin)
    if output is not None:
        write(report, "md" if fmt == "table" else fmt, output)
        err().print(f"wrote {output}", markup=False)
        return
    if fmt == "json":
        emit_json(report.to_dict())
    elif fmt == "table":
        _print_audit(report)
    else:
        sys.stdout.write(render(report, fmt))


def _print_audit(report: Any) -> None:
    from rich.table import Table

    users = Table(title=f"IAM users — account {report.facts.account}")
    rows = report.user_rows()
    for col in ("user", "console_password", "access_keys", "virtual", "security_key", "hardware", "sms",
                "mfa_active", "mfa_enforced", "admin"):
        users.add_column(col)
    for r in rows:
        users.add_row(*[str(r[c]) for c in ("user", "console_password", "access_keys", "virtual", "security_key",
                                             "hardware", "sms", "mfa_active", "mfa_enforced", "admin")])
    out().print(users)
    root = report.facts
    out().print(f"root MFA: {'yes' if root.root_mfa_active else 'NO'}; "
                f"root MFA is virtual: {'yes' if root.root_virtual_mfa else 'no'}")
    findings = Table(title=f"Failed checks ({len(report.failed)} of {len(report.findings)})")
    for col in ("severity", "check", "resource", "message", "remediation"):
        findings.add_column(col, overflow="fold")
    for f in report.failed:
        findings.add_row(f.severity, f.check_id, f.resource, f.message, f.remediation)
    out().print(findings)


def register(app: typer.Typer) -> None:
    """Add ``demo``, ``cleanup`` and ``audit`` to the ``mfakit aws`` app."""
    app.command("demo", epilog=examples("mfakit aws demo", "mfakit aws demo --policy aws --format json",
                                        "mfakit aws demo --cli --dry-run",
                                        "mfakit aws demo --live --profile admin"))(demo)
    app.command("cleanup", epilog=examples("mfakit aws cleanup", "mfakit aws cleanup --format json",
                                           "mfakit aws cleanup --live --profile admin"))(cleanup_cmd)
    app.command("audit", epilog=examples(
        "mfakit aws audit", "mfakit aws audit --format csv --output audit.csv",
        "mfakit aws audit --live --profile admin --format html --output audit.html"))(audit)
