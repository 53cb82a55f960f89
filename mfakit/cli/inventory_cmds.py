"""``mfakit status | plan | export | record``: the inventory and its migration plan from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from mfakit.cli.output import banner, did_you_mean, emit_json, examples, out

INVENTORY_OPT = typer.Option(None, "--inventory", "-i", help="Inventory YAML (default: $MFAKIT_INVENTORY, "
                             "data/private/inventory.yaml, else the example).")
FORMAT_TABLE = typer.Option("table", "--format", "-f", help="table or json")
_STATE_STYLE = {"done": "green", "ready": "cyan", "hybrid": "yellow", "blocked": "red", "unknown": "dim"}
_RISK_STYLE = {"high": "bold red", "medium": "yellow", "low": "", "none": "dim"}
#: The factor types (mfakit.inventory.model.FACTOR_TYPES, in its order; a test keeps them equal — written out here
#: so that every command's start does not import the inventory package) and what each means, for ``record --help``.
_FACTOR_MEANING = {"security_key": "a FIDO2 key as second factor (WHERE: the key's name)",
                   "passkey": "a passkey sign-in (WHERE: the key or password manager)",
                   "totp": "6-digit codes from an authenticator app (WHERE: the app)",
                   "push": "approve a prompt in the service's app", "sms": "codes by text message",
                   "email": "codes or links by e-mail", "recovery_codes": "one-time backup codes"}
FACTOR_TYPES = tuple(_FACTOR_MEANING)


def _load(inventory: Optional[Path]):  # -> tuple[Inventory, list[PlanRow], str]
    from mfakit.config import describe_inventory, resolve_inventory
    from mfakit.inventory import load_inventory
    from mfakit.plan import build_plan

    path = resolve_inventory(inventory)
    inv = load_inventory(path)
    return inv, build_plan(inv), describe_inventory(path)


def _check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"--format must be table or json, not '{fmt}'"
                                f"{did_you_mean(fmt, ('table', 'json'))}")
    return fmt


def _json_rows(rows) -> list[dict]:
    from mfakit.export import COLUMNS
    return [{"id": r.account_id, **{c: r.as_record()[c] for c in COLUMNS}, "service_id": r.service_id,
             "off_app": r.off_app} for r in rows]


# status, plan and export live in mfakit.cli.report_cmds (their views in mfakit.cli.views).


def record(
    account: str = typer.Argument(..., help="Account id, label or service (e.g. github)."),
    add: list[str] = typer.Option([], "--add", "-a", help='Factor to add, TYPE[:WHERE], e.g. security_key:"Titan 1" '
                                  f"(TYPE: {', '.join(FACTOR_TYPES)}); repeatable."),
    remove: list[str] = typer.Option([], "--remove", "-r", help="Factor to remove, TYPE[:WHERE], e.g. totp; "
                                     "repeatable."),
    when: Optional[str] = typer.Option(None, "--date", help="Date of the change (YYYY-MM-DD, default today)."),
    force: bool = typer.Option(False, "--force", help="Record a removal even when the service requires that "
                                                       "factor or it is the account's last second factor."),
    inventory: Optional[Path] = INVENTORY_OPT,
    fmt: str = FORMAT_TABLE,
) -> None:
    """Record a change (factor added or removed) on one account; saved atomically, under lock, with its date.

    A removal the service forbids (its required backup, TOTP where it cannot go, the last second factor) is
    refused with the fact and its source, unless --force. The bundled example is never written unless named
    with --inventory: run `mfakit init` first.
    """
    from datetime import date

    from mfakit.catalog import load_catalog
    from mfakit.config import describe_inventory, writable_inventory
    from mfakit.errors import InventoryError
    from mfakit.fileio import file_lock
    from mfakit.inventory import load_inventory, record_change
    from mfakit.plan import plan_account
    from mfakit.safe import terminal

    fmt = _check_format(fmt)
    path = writable_inventory(inventory)
    try:
        day = date.fromisoformat(when) if when else None
    except ValueError:
        raise InventoryError(f"--date '{when}' is not a date (YYYY-MM-DD)", path) from None
    if not path.exists():
        load_inventory(path)  # "file not found", before a lock file is made beside it
    with file_lock(path):  # from the read to the save: concurrent records all land
        inv = load_inventory(path)
        made = record_change(inv, account, add=add, remove=remove, when=day, force=force)
    acc = inv.find(account)
    row = plan_account(acc, load_catalog().match(acc.service, account=acc.account))
    result = {"account": acc.id, "changes": [{"date": c.date, "op": c.op, "type": c.type, "where": c.where}
                                             for c in made], "state": row.state, "next_step": row.next_step,
              "inventory": str(path)}
    if fmt == "json":
        banner(f"inventory: {describe_inventory(path)}", True)
        emit_json(result)
        return
    banner(f"inventory: {describe_inventory(path)}", False)
    name = terminal(acc.display)
    if not made:
        out().print(f"{name}: nothing changed (already recorded)")
    for c in made:
        out().print(f"{c.date} {name}: {c.op} {c.type}" + (f" ({terminal(c.where)})" if c.where else ""))
    out().print(f"{name} is now [{_STATE_STYLE[row.state]}]{row.state}[/]: {terminal(row.next_step)}")


#: ``record --help``: the factor types a spec may name, then examples (each run by tests/cli/test_cli_help_examples.py).
RECORD_EPILOG = (
    "\b\nFactor types (--add/--remove TYPE[:WHERE]):\n"
    + "\n".join(f"  {t:<15} {_FACTOR_MEANING.get(t, '')}".rstrip() for t in FACTOR_TYPES) + "\n\n"
    + examples('mfakit record github --add security_key:"Titan 1"',
               "mfakit record github --add passkey --date 2026-11-20",
               'mfakit record x --add security_key:"Titan 1" --format json',
               "mfakit record github --remove totp --force",
               'mfakit record aws --add security_key:"Titan 2" -i data/private/inventory.yaml'))


def register(app: typer.Typer) -> None:
    """Add status, plan, export and record to the root command."""
    from mfakit.cli import report_cmds

    report_cmds.register(app)
    app.command("record", epilog=RECORD_EPILOG)(record)
