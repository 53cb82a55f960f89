"""``mfakit status | plan | export | record``: the inventory and its migration plan from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from mfakit.cli.output import banner, emit_json, err, out

INVENTORY_OPT = typer.Option(None, "--inventory", "-i", help="Inventory YAML (default: $MFAKIT_INVENTORY, "
                             "data/private/inventory.yaml, else the example).")
FORMAT_TABLE = typer.Option("table", "--format", "-f", help="table or json")
_STATE_STYLE = {"done": "green", "ready": "cyan", "hybrid": "yellow", "blocked": "red", "unknown": "dim"}
_RISK_STYLE = {"high": "bold red", "medium": "yellow", "low": "", "none": "dim"}


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
        raise typer.BadParameter(f"--format must be table or json, not '{fmt}'")
    return fmt


def _json_rows(rows) -> list[dict]:
    from mfakit.export import COLUMNS
    return [{"id": r.account_id, **{c: r.as_record()[c] for c in COLUMNS}, "service_id": r.service_id,
             "off_app": r.off_app} for r in rows]


def status(inventory: Optional[Path] = INVENTORY_OPT, fmt: str = FORMAT_TABLE) -> None:
    """Grouped status table: short labels, state, next step, and a one-line progress summary."""
    from rich.table import Table

    from mfakit.plan import summarize

    fmt = _check_format(fmt)
    inv, rows, where = _load(inventory)
    if fmt == "json":
        banner(f"inventory: {where}", True)
        emit_json(_json_rows(rows))
        return
    table = Table(title=f"mfakit status — inventory: {where}", title_justify="left", show_lines=False,
                  header_style="bold", expand=False)
    table.add_column("Account")
    table.add_column("State")
    table.add_column("Risk")
    table.add_column("Next step", overflow="fold")
    for group in inv.groups():
        members = [r for r in rows if r.group == group]
        off = sum(r.off_app for r in members)
        table.add_row(f"[bold]▾ {group}[/bold] [dim]({off}/{len(members)} off the app)[/dim]", "", "", "",
                      end_section=False)
        for r in members:
            table.add_row(f"  {r.label}", f"[{_STATE_STYLE[r.state]}]{r.state}[/]",
                          f"[{_RISK_STYLE[r.lockout_risk]}]{r.lockout_risk}[/]" if _RISK_STYLE[r.lockout_risk] else r.lockout_risk,
                          r.next_step)
    out().print(table)
    out().print(summarize(rows).line())


def plan(inventory: Optional[Path] = INVENTORY_OPT, fmt: str = FORMAT_TABLE) -> None:
    """The migration plan: what to do first, why, and the source of each fact."""
    from rich.table import Table

    from mfakit.plan import STATE_MEANING, sort_for_plan, summarize

    fmt = _check_format(fmt)
    inv, rows, where = _load(inventory)
    ordered = sort_for_plan(rows)
    if fmt == "json":
        banner(f"inventory: {where}", True)
        emit_json(_json_rows(ordered))
        return
    table = Table(title=f"mfakit plan — inventory: {where}", title_justify="left", show_lines=True,
                  header_style="bold")
    for col in ("Account", "State", "Next step", "Why", "Lockout risk", "Source"):
        table.add_column(col, overflow="fold")
    for r in ordered:
        risk = r.lockout_risk + (f" ({', '.join(r.lockout.rules)})" if r.lockout.rules else "")
        table.add_row(f"{r.label}\n[dim]{r.group}[/dim]", f"[{_STATE_STYLE[r.state]}]{r.state}[/]",
                      r.next_step, r.reason, risk, f"[dim]{r.source}[/dim]")
    out().print(table)
    out().print(summarize(rows).line())
    out().print("[dim]" + " · ".join(f"{k}: {v}" for k, v in STATE_MEANING.items()) + "[/dim]")


def export(
    output: Path = typer.Option(..., "--output", "-o", help="File to write (its folder is created)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="csv, md, html, xlsx or json (default: from the file name)."),
    inventory: Optional[Path] = INVENTORY_OPT,
) -> None:
    """Export the status table and plan (same columns in every format)."""
    from mfakit.export import FORMATS, export_rows, format_from_path
    from mfakit.plan import sort_for_plan

    chosen = (fmt or format_from_path(output) or "").lower()
    if chosen == "markdown":
        chosen = "md"
    if chosen not in FORMATS:
        raise typer.BadParameter(f"give --format (one of {', '.join(FORMATS)}); '{output.name}' does not say")
    inv, rows, where = _load(inventory)
    title = inv.title or "mfakit status"
    export_rows(sort_for_plan(rows), chosen, output, title=title, meta=f"inventory: {where}")
    err().print(f"wrote {len(rows)} accounts as {chosen} to {output} (inventory: {where})")


def record(
    account: str = typer.Argument(..., help="Account id, label or service (e.g. github)."),
    add: list[str] = typer.Option([], "--add", "-a", help='Factor to add, type[:where], e.g. security_key:"Titan 1".'),
    remove: list[str] = typer.Option([], "--remove", "-r", help="Factor to remove, type[:where], e.g. totp."),
    when: Optional[str] = typer.Option(None, "--date", help="Date of the change (YYYY-MM-DD, default today)."),
    inventory: Optional[Path] = INVENTORY_OPT,
    fmt: str = FORMAT_TABLE,
) -> None:
    """Record a change (factor added or removed) on one account; saved atomically with its date."""
    from datetime import date

    from mfakit.catalog import load_catalog
    from mfakit.config import describe_inventory, resolve_inventory
    from mfakit.errors import InventoryError
    from mfakit.inventory import load_inventory, record_change
    from mfakit.plan import plan_account

    fmt = _check_format(fmt)
    path = resolve_inventory(inventory)
    inv = load_inventory(path)
    try:
        day = date.fromisoformat(when) if when else None
    except ValueError:
        raise InventoryError(f"--date '{when}' is not a date (YYYY-MM-DD)", path) from None
    made = record_change(inv, account, add=add, remove=remove, when=day)
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
    if not made:
        out().print(f"{acc.display}: nothing changed (already recorded)")
    for c in made:
        out().print(f"{c.date} {acc.display}: {c.op} {c.type}" + (f" ({c.where})" if c.where else ""))
    out().print(f"{acc.display} is now [{_STATE_STYLE[row.state]}]{row.state}[/]: {row.next_step}")


def register(app: typer.Typer) -> None:
    """Add status, plan, export and record to the root command."""
    app.command("status")(status)
    app.command("plan")(plan)
    app.command("export")(export)
    app.command("record")(record)
