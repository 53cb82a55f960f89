"""``mfakit import FILE...``: read authenticator exports (metadata only) and merge them into the inventory."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Callable, List, Optional

import typer

from mfakit.errors import ImportFormatError, MfakitError


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def _target_inventory(explicit: Optional[Path], dry_run: bool = False) -> tuple[Path, bool]:
    """The inventory to merge into, and whether it is new. Never the bundled example unless asked for it.

    A dry run without an inventory of one's own plans against a new, empty one (nothing is written).
    """
    from mfakit import config
    from mfakit.errors import ReadOnlyExampleError

    try:
        path = config.writable_inventory(explicit)  # the example is read-only: without one's own, `mfakit init`
    except ReadOnlyExampleError:
        if not dry_run:
            raise
        path = config.PRIVATE_INVENTORY
    return path, not path.exists()


def _password_provider(from_stdin: bool) -> tuple[Callable[[Path], str], Callable[[], None]]:
    """A provider that asks only when an encrypted file needs it (hidden prompt or one stdin line), and a wipe."""
    held: list[str] = []

    def provide(path: Path) -> str:
        if held:
            return held[0]
        if from_stdin:
            line = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            import getpass

            line = getpass.getpass(f"Password for {path.name}: ")
        else:
            raise ImportFormatError("the export is encrypted: give its password with --password-stdin "
                                    "(or run in a terminal to be asked)", path)
        if not line:
            raise ImportFormatError("the export is encrypted and no password was given", path)
        held.append(line)
        return line

    return provide, held.clear


def _load_catalog() -> object | None:
    from mfakit.cli.output import err
    from mfakit.importers.merge import _load_catalog as load

    try:
        return load()
    except MfakitError as exc:
        err().print(f"warning: catalog unavailable ({exc.one_line()}); services are not matched")
        return None


def import_cmd(
    files: List[Path] = typer.Argument(..., help="Export files: QR screenshots, otpauth(-migration) text, "
                                                 "Aegis, 2FAS, Bitwarden, andOTP, Ente Auth, LastPass, Proton "
                                                 "Authenticator / Pass, FreeOTP / FreeOTP+, Stratum, TOTP "
                                                 "Authenticator, WinAuth, KeePass (see docs/import.md)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, or json (pure JSON on stdout)."),
    inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", help="Inventory file to merge into."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password of encrypted exports from the first line of stdin."),
    app: Optional[str] = typer.Option(None, "--app", help="Name of the app the codes are in (default: from the "
                                                          "export, e.g. 'Google Authenticator')."),
    strict: bool = typer.Option(False, "--strict", help="Refuse a file with a malformed entry (default: skip that "
                                                        "entry with a warning and import the others)."),
) -> None:
    """Import accounts from authenticator exports (metadata only: no secret is kept), merging into the inventory."""
    from mfakit.cli.output import banner, err, out
    from mfakit.config import describe_inventory
    from mfakit.importers import apply_merge, plan_merge, read_exports
    from mfakit.inventory import load_inventory, new_inventory, save_inventory

    json_mode = fmt == OutputFormat.json
    path, is_new = _target_inventory(inventory, dry_run)
    banner(f"inventory: {describe_inventory(path)}{' (new)' if is_new else ''}", json_mode)
    provider, wipe = _password_provider(password_stdin)
    try:
        from mfakit.importers.common import locate_export

        result = read_exports([locate_export(f) for f in files], password_provider=provider, strict=strict)
    finally:
        wipe()
    catalog = _load_catalog()  # before the lock: the lock is held only for the read-merge-save cycle
    from contextlib import nullcontext

    from mfakit.fileio import file_lock

    saved = None
    # The whole read-merge-save holds the inventory's lock (re-entrant: save_inventory takes it again), so
    # concurrent imports and records all land; nothing is printed while it is held.
    with (nullcontext() if dry_run else file_lock(path)):
        is_new = not path.exists()  # checked again under the lock: another run may have created it meanwhile
        inv = new_inventory(path) if is_new else load_inventory(path)
        plan = plan_merge(inv, result.records, catalog=catalog, app=app)
        counts = plan.counts()
        if not dry_run and (counts["added"] or counts["updated"]):
            apply_merge(inv, plan)
            saved = save_inventory(inv, path)
    _report(plan, result, json_mode)
    say = err() if json_mode else out()
    if dry_run:
        say.print("dry run: nothing written", markup=False)
    elif saved is not None:
        say.print(f"saved {saved}", markup=False, highlight=False)
    else:
        say.print("nothing to change", markup=False)


def _report(plan: object, result: object, json_mode: bool) -> None:
    """The warnings, the planned merge (a table, or JSON on stdout) and the one-line summary."""
    from mfakit.cli.output import emit_json, err, out
    from mfakit.safe import plain

    for w in result.warnings:  # type: ignore[attr-defined]
        err().print(f"warning: {plain(w)}", markup=False, highlight=False, soft_wrap=True)
    counts = plan.counts()  # type: ignore[attr-defined]
    if json_mode:
        emit_json(plan.to_list())  # type: ignore[attr-defined]
    else:
        _print_table(plan, result.format)  # type: ignore[attr-defined]
    summary = (f"{len(result.records)} account(s) read ({result.format or 'nothing'}): "  # type: ignore[attr-defined]
               f"{counts['added']} to add, {counts['updated']} to update, {counts['skipped']} skipped; "
               f"{counts['unmatched']} not in the catalog")
    (err() if json_mode else out()).print(summary, markup=False, highlight=False, soft_wrap=True)
    if plan.unmatched and not json_mode:  # type: ignore[attr-defined]
        names = ", ".join(sorted({i.record.issuer or i.record.account or "?"
                                  for i in plan.unmatched}))  # type: ignore[attr-defined]
        out().print(f"not in the catalog: {plain(names)}", markup=False, highlight=False)


def _print_table(plan: object, fmt: str) -> None:
    from rich.table import Table

    from mfakit.cli.output import out

    table = Table(title=None, show_lines=False)
    for col in ("action", "issuer", "account", "kind", "service", "id", "group"):
        table.add_column(col)
    from mfakit.safe import terminal

    for item in plan.items:  # type: ignore[attr-defined]
        r = item.record
        table.add_row(item.action, terminal(r.issuer or "-"), terminal(r.account or "-"), terminal(r.type),
                      terminal(item.service or "(unmatched)"), terminal(item.account.id),
                      terminal(item.account.group))
    out().print(table)


def register(app: typer.Typer) -> None:
    """Add the top-level ``import`` command."""
    from mfakit.cli.output import examples

    app.command("import", help="Import accounts from authenticator exports (metadata only).",
                epilog=examples("mfakit import --dry-run codes.txt", "mfakit import codes.txt",
                                'mfakit import codes.txt --app "Google Authenticator" --strict',
                                "mfakit import --dry-run --format json codes.txt",
                                "mfakit import --password-stdin aegis-export.json < password.txt",
                                "mfakit import codes.txt -i data/private/work.yaml"))(import_cmd)
