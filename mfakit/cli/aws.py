"""``mfakit aws ...``: policy generation, lint and evaluation; the walkthrough, clean-up and audit; the local
endpoint (``serve``)."""

from __future__ import annotations

import typer

from mfakit.cli import aws_policy, aws_walkthrough

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
aws_policy.register(app)
aws_walkthrough.register(app)


@app.command("serve", epilog=__import__("mfakit.cli.output", fromlist=["examples"]).examples(
    "mfakit aws serve", "mfakit aws serve --port 4566",
    "aws --endpoint-url http://127.0.0.1:4566 iam list-users"))
def serve(
    port: int = typer.Option(0, "--port", help="TCP port (default: a free one; the JSON line says which)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    region: str = typer.Option("us-east-1", "--region", help="Region the endpoint reports."),
) -> None:
    """Serve the embedded AWS (moto + the kit's MFA enforcement) as a local endpoint until Ctrl-C/SIGTERM.

    Prints one JSON line on stdout: {"endpoint", "region", "admin": {"aws_access_key_id",
    "aws_secret_access_key"}} (the embedded AWS's fixed FAKE admin key). Point any client at the endpoint,
    e.g. aws --endpoint-url URL iam list-users.
    """
    import sys

    from mfakit.aws.embedded.server import is_loopback, serve_forever
    from mfakit.cli.output import err
    from mfakit.errors import AwsError

    if not 0 <= port <= 65535:
        raise AwsError(f"--port must be 0..65535, not {port}")
    if not is_loopback(host):
        err().print(f"[yellow]warning:[/yellow] listening on {host}, not loopback: anyone who can reach it can use "
                    "the fake admin key printed below")

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    try:
        serve_forever(host, port, region, emit,
                      ready=lambda info: err().print(f"[dim]serving {info['endpoint']} — Ctrl-C to stop[/dim]"))
    except OSError as exc:
        raise AwsError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    err().print("[dim]stopped[/dim]")
