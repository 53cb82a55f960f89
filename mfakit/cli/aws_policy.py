"""``mfakit aws policy|lint|eval``: generate the forced-MFA policy, lint MFA policies, evaluate a request.

Heavy or slow imports (the evaluator, moto's managed policies) happen inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import typer

from mfakit.cli.output import examples
from mfakit.errors import PolicyError


def load_policy_arg(arg: str) -> tuple[str, Any]:
    """``FILE`` or ``managed:NAME`` → (name, document); the file's JSON is parsed by the evaluator's compiler."""
    if arg.startswith("managed:"):
        from mfakit.aws.managed import managed_policy, managed_policy_names
        from mfakit.suggest import did_you_mean

        name = arg.split(":", 1)[1]
        try:
            return name, managed_policy(name)
        except PolicyError as exc:
            hint = "" if "did you mean" in str(exc) else did_you_mean(name, managed_policy_names())
            if not hint:
                raise
            raise PolicyError(f"unknown AWS managed policy {name!r}{hint}", f"managed:{name}") from None
    from mfakit.aws.evaluator.compile import MAX_POLICY_CHARS
    from mfakit.fileio import read_regular

    path = Path(arg)
    try:  # a device, pipe or socket is refused before a byte is read; a huge file is read only to the cap
        text = read_regular(path, 4 * MAX_POLICY_CHARS).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy file: {getattr(exc, 'strerror', None) or exc}", path) from None
    return str(path), text


def parse_context(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs → context; a repeated key or a JSON list value (``KEY=["a"]``) is multi-valued."""
    ctx: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise PolicyError(f"--context expects KEY=VALUE, got {pair!r}")
        if value.startswith("["):
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError:
                raise PolicyError(f"--context {key}: not a JSON list: {value!r}") from None
            if not isinstance(parsed, list):
                raise PolicyError(f"--context {key}: not a JSON list: {value!r}")
            ctx[key] = [str(v) for v in parsed]
        elif key in ctx:
            prev = ctx[key]
            ctx[key] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            ctx[key] = value
    return ctx


def register(app: typer.Typer) -> None:
    """Add ``policy``, ``lint`` and ``eval`` to the ``mfakit aws`` app."""

    @app.command("policy", epilog=examples("mfakit aws policy", "mfakit aws policy --variant seed",
                                           "mfakit aws policy --user alice --allow-password-change -o alice.json",
                                           "mfakit aws policy --write-all"))
    def policy_cmd(
        variant: str = typer.Option("aws", "--variant", help="aws (AWS's example) or seed (the seed's variant)."),
        user: Optional[str] = typer.Option(None, "--user", help="User name to hard-code, or '${aws:username}'."),
        allow_password_change: Optional[bool] = typer.Option(
            None, "--allow-password-change/--no-password-change",
            help="Let users change their password at first sign-in without MFA (AWS's caveat applies)."),
        allow_users_page: bool = typer.Option(False, "--allow-users-page", help="Allow iam:ListUsers."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the JSON to FILE."),
        write_all: bool = typer.Option(False, "--write-all", help="Regenerate the copies in data/policies/."),
    ) -> None:
        """Print the forced-MFA policy as pretty JSON (the AWS example or the seed's variant)."""
        from mfakit.aws import policygen
        from mfakit.cli.output import err

        if write_all:
            for path in policygen.write_all():
                err().print(f"wrote {path}")
            return
        if variant not in ("aws", "seed"):
            from mfakit.suggest import did_you_mean

            raise PolicyError(f"unknown variant {variant!r}{did_you_mean(variant, ('aws', 'seed'))} "
                              "(choose aws or seed)")
        doc = policygen.forced_mfa_policy(variant=variant, user=user, allow_password_change=allow_password_change,
                                          allow_users_page=allow_users_page)
        if allow_password_change:
            err().print(f"[yellow]caveat:[/yellow] {policygen.PASSWORD_CHANGE_CAVEAT}")
        text = policygen.dump_policy(doc)
        if output is not None:
            from mfakit.fileio import atomic_write as atomic_write_text

            atomic_write_text(output, text)
            from mfakit.safe import terminal as _t

            err().print(f"wrote {_t(str(output))}")
        else:
            typer.echo(text, nl=False)

    @app.command("lint", epilog=examples(
        "mfakit aws lint data/policies/forced-mfa-self-manage.json",
        "mfakit aws lint data/policies/forced-mfa-self-manage.json managed:IAMReadOnlyAccess --format json"))
    def lint_cmd(
        files: List[str] = typer.Argument(..., help="Policy files (JSON) or managed:NAME, linted as one set."),
        fmt: str = typer.Option("text", "--format", help="text or json."),
    ) -> None:
        """Lint MFA-enforcement policies. Exit 1 when an error-severity finding exists, 2 on a bad file."""
        from mfakit.aws.lint import lint_policies
        from mfakit.cli.output import emit_json, out

        findings = lint_policies([load_policy_arg(f) for f in files])
        if fmt == "json":
            emit_json([f.to_dict() for f in findings])
        else:
            colours = {"error": "red", "warning": "yellow", "info": "cyan"}
            if not findings:
                out().print("no findings")
            from mfakit.safe import plain, terminal

            for f in findings:  # statement ids come from the file: escaped for rich and the terminal
                out().print(f"[{colours[f.severity]}]{f.severity:7}[/] {f.id} "
                            f"{terminal(f.statement) if f.statement else '(policy set)'}",
                            markup=True, soft_wrap=True)
                out().print(f"        {plain(f.message)}", markup=False, soft_wrap=True)
                out().print(f"        fix: {plain(f.fix)}", markup=False, soft_wrap=True)
        if any(f.severity == "error" for f in findings):
            raise typer.Exit(1)

    @app.command("eval", epilog=examples(
        "mfakit aws eval -p data/policies/forced-mfa-self-manage.json -p managed:AmazonVPCFullAccess "
        "-a ec2:DescribeVpcs -c aws:MultiFactorAuthPresent=false",
        "mfakit aws eval -p data/policies/forced-mfa-self-manage.json -a iam:ListMFADevices "
        "-r 'arn:aws:iam::123456789012:mfa/alice' --format json"))
    def eval_cmd(
        policy: List[str] = typer.Option(..., "--policy", "-p", help="Policy file or managed:NAME (repeat)."),
        action: str = typer.Option(..., "--action", "-a", help="e.g. ec2:DescribeVpcs"),
        resource: str = typer.Option("*", "--resource", "-r", help="Resource ARN (default *)."),
        context: List[str] = typer.Option([], "--context", "-c", help="KEY=VALUE condition key (repeat)."),
        fmt: str = typer.Option("text", "--format", help="text or json."),
    ) -> None:
        """Decide one request offline and explain it (which statement decided, and why)."""
        from mfakit.aws.evaluator import evaluate
        from mfakit.cli.output import emit_json, out

        res = evaluate([load_policy_arg(p) for p in policy], action, resource, parse_context(context) or None)
        if fmt == "json":
            emit_json(res.to_dict())
            return
        colour = {"allowed": "green", "explicitDeny": "red", "implicitDeny": "yellow"}[res.decision]
        out().print(f"[bold {colour}]{res.decision}[/]")
        from mfakit.safe import plain

        for line in res.explain():  # explanations quote the policy's Sids and values: controls made visible
            out().print(plain(line), markup=False, soft_wrap=True)
