"""The ``mfakit`` command: one sub-command per main job. Heavy libraries are imported inside commands."""

from __future__ import annotations

import sys
from typing import Optional

import typer

try:  # typer >= 0.29 vendors click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer with click as a dependency
    from click import exceptions as click_exc  # type: ignore[no-redef]

from mfakit.errors import MfakitError

app = typer.Typer(
    name="mfakit",
    help="Move accounts off a phone authenticator app onto FIDO2 keys and passkeys; enforce MFA on AWS.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors.")) -> None:
    _state["debug"] = debug


def _register() -> None:
    from mfakit.cli import aws, catalog, importer, inventory_cmds, keys

    inventory_cmds.register(app)
    importer.register(app)
    app.add_typer(catalog.app, name="catalog", help="Show the service catalog; refresh it from public catalogs.")
    app.add_typer(keys.app, name="key", help="Inspect FIDO2 security keys; WebAuthn demo; reconcile passkeys.")
    app.add_typer(aws.app, name="aws", help="Forced-MFA policies, IAM evaluation, the walkthrough and the audit.")


_register()


def run(argv: Optional[list[str]] = None) -> None:
    """Entry point: one-line errors on stderr with exit status 2; a traceback only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        rv = app(args=args, prog_name="mfakit", standalone_mode=False)
    except MfakitError as exc:
        if debug:
            raise
        print(f"mfakit: error: {exc.one_line()}", file=sys.stderr)
        sys.exit(2)
    except click_exc.UsageError as exc:
        print(f"mfakit: error: {exc.format_message()}", file=sys.stderr)
        sys.exit(2)
    except click_exc.ClickException as exc:
        print(f"mfakit: error: {exc.format_message()}", file=sys.stderr)
        sys.exit(exc.exit_code or 2)
    except (click_exc.Abort, KeyboardInterrupt, EOFError):
        print("mfakit: aborted", file=sys.stderr)
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":
    run()
