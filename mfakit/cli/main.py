"""The ``mfakit`` command: one sub-command per main job. Heavy libraries are imported inside commands."""

from __future__ import annotations

import sys
from typing import Optional

import typer

try:  # typer >= 0.29 vendors click (its exceptions module has no Abort/Exit: those live in typer itself)
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer with click as a dependency
    from click import exceptions as click_exc  # type: ignore[no-redef]

#: Abort/Exit as this typer raises them (typer.Abort/typer.Exit; click's own in older typer versions).
_ABORT: tuple[type[BaseException], ...] = tuple({typer.Abort, getattr(click_exc, "Abort", typer.Abort)})
_EXIT: tuple[type[BaseException], ...] = tuple({typer.Exit, getattr(click_exc, "Exit", typer.Exit)})

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


def _version(value: bool) -> None:
    """``mfakit --version``: the installed version, then exit 0."""
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("mfakit")
        except PackageNotFoundError:  # run from a source tree that is not installed
            number = "unknown (not installed)"
        print(f"mfakit {number}")
        raise typer.Exit(0)


@app.callback(epilog="\b\nExamples:\n  mfakit status\n  mfakit plan --state ready,hybrid\n"
              "  mfakit record github --add security_key:\"Titan 1\" --remove totp\n"
              "  mfakit export -o status.xlsx\n  mfakit COMMAND --help")
def _main(debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors."),
          version: bool = typer.Option(False, "--version", help="Show the version and exit.",
                                       callback=_version, is_eager=True)) -> None:
    _state["debug"] = debug


def _register() -> None:
    from mfakit.cli import aws, catalog, importer, init_cmd, inventory_cmds, keys

    init_cmd.register(app)
    inventory_cmds.register(app)
    __import__("mfakit.cli.lockout_cmd", fromlist=["register"]).register(app)  # mfakit lockout
    importer.register(app)
    from mfakit.cli.output import examples

    app.add_typer(catalog.app, name="catalog", help="Show the service catalog; refresh it from public catalogs.",
                  epilog=examples("mfakit catalog show github", "mfakit catalog match 'Amazon.co.jp'",
                                  "mfakit catalog set acme-vpn key_support=none --source 'tried it'",
                                  "mfakit catalog COMMAND --help"))
    app.add_typer(keys.app, name="key", help="Inspect FIDO2 security keys; WebAuthn demo; reconcile passkeys.",
                  epilog=examples("mfakit key info", "mfakit key demo", "mfakit key info --hardware",
                                  "mfakit key COMMAND --help"))
    app.add_typer(aws.app, name="aws", help="Forced-MFA policies, IAM evaluation, the walkthrough and the audit.",
                  epilog=examples("mfakit aws demo", "mfakit aws demo --cli --dry-run", "mfakit aws audit",
                                  "mfakit aws serve", "mfakit aws COMMAND --help"))


_register()


def _where(exc: BaseException) -> str:
    """The innermost frame of the kit's own code in a traceback (``mfakit/x.py:12``): a pointer, never data."""
    import traceback

    spot = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename.replace("\\", "/")
        if "/mfakit/" in name:
            spot = f"{name[name.rindex('/mfakit/') + 1:]}:{frame.lineno}"
    return spot


def _os_error_line(exc: OSError) -> str:
    """An environment failure (full disk, permission, a file where a folder should be) as one line."""
    import errno

    what = {errno.ENOSPC: "the disk is full", errno.EFBIG: "the disk is full (file size limit)",
            errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EROFS: "read-only file system", errno.ENOTDIR: "a part of the path is a file, not a folder",
            errno.EISDIR: "is a folder, not a file", errno.ENOENT: "no such file or folder"}.get(
        exc.errno or 0, exc.strerror or type(exc).__name__)
    name = exc.filename if exc.filename is not None else None
    return f"{name}: {what}" if name else what


def run(argv: Optional[list[str]] = None) -> None:
    """Entry point: one-line errors on stderr with exit status 2; a traceback only with --debug.

    Bad input and environment failures (full disk, permissions) exit 2; ``Ctrl-C`` exits 130; anything else
    is a bug in the kit: one line saying so and how to see the traceback, exit 1.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    for stream in (sys.stdout, sys.stderr):  # a name the terminal cannot encode is shown escaped, never a crash
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass
    if not [a for a in args if a != "--debug"]:  # bare `mfakit`: the help, and success
        args = [*args, "--help"]
    try:
        rv = app(args=args, prog_name="mfakit", standalone_mode=False)
    except SystemExit:
        raise
    except MfakitError as exc:
        if debug:
            raise
        _fail(exc.one_line(), 2)
    except click_exc.NoArgsIsHelpError as exc:  # a group alone (`mfakit aws`): its help, and success
        print(exc.format_message())
        sys.exit(0)
    except click_exc.UsageError as exc:
        _fail(exc.format_message() + _command_hint(exc), 2)
    except click_exc.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code or 2)
    except _EXIT as exc:
        sys.exit(getattr(exc, "exit_code", 0) or 0)
    except (*_ABORT, KeyboardInterrupt, EOFError):
        print("mfakit: aborted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # `mfakit status | head`: the reader went away
        import os

        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        sys.exit(1)
    except OSError as exc:
        if debug:
            raise
        _fail(_os_error_line(exc), 2)
    except RecursionError:
        if debug:
            raise
        _fail("the input is nested too deeply", 2)
    except Exception as exc:  # noqa: BLE001 - the last guard: never a raw traceback without --debug
        if debug:
            raise
        spot = _where(exc)
        _fail(f"unexpected {type(exc).__name__}{' in ' + spot if spot else ''}: this is a bug in mfakit; "
              "rerun with --debug for the traceback and report it", 1)
    if rv == 130:  # typer turns Ctrl-C into Exit(130), returned as the result outside standalone mode
        print("mfakit: aborted", file=sys.stderr)
    sys.exit(rv if isinstance(rv, int) else 0)


def _command_hint(exc: BaseException) -> str:
    """For ``No such command 'recrod'``: the closest command of that group, or where a sub-command of that name
    lives (``mfakit unset`` → ``'mfakit catalog unset'``); else ``""``."""
    import re

    from mfakit.suggest import did_you_mean

    m = re.fullmatch(r"No such command '(.+)'\.", str(getattr(exc, "message", "")))
    group = getattr(getattr(exc, "ctx", None), "command", None)
    commands = getattr(group, "commands", None)
    if not m or not commands:
        return ""
    word = m.group(1)
    hint = did_you_mean(word, commands)  # click suggests close names itself; this is for the rest
    if hint:
        return hint
    path = getattr(getattr(exc, "ctx", None), "command_path", "mfakit")
    elsewhere = [f"{path} {name} {word}" for name, sub in commands.items()
                 if word in (getattr(sub, "commands", None) or {})]
    return f" Did you mean {' or '.join(repr(e) for e in elsewhere)}?" if elsewhere else ""  # as click words it


def _fail(message: str, code: int) -> None:
    """Print ``mfakit: error: MESSAGE`` as one line on stderr and exit with ``code``."""
    line = " ".join(str(message).split())
    try:
        from mfakit.safe import plain

        line = plain(line)  # printed as is (not through rich): controls from data made visible
    except Exception:  # noqa: BLE001 - safe.py missing or failing must not hide the error itself
        line = "".join(ch if ch.isprintable() else "?" for ch in line)
    print(f"mfakit: error: {line}", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    run()
