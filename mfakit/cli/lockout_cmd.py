"""``mfakit lockout``: per device, which accounts one lost phone, phone number or key would cost you."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from mfakit.cli.output import banner, did_you_mean, emit_json, examples, out

EXAMPLES = examples("mfakit lockout", "mfakit lockout --format json",
                    "mfakit lockout --inventory data/example/inventory.yaml")


def lockout(
    inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", help="Inventory YAML (default: "
                                             "$MFAKIT_INVENTORY, data/private/inventory.yaml, else the example)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json"),
) -> None:
    """Per device you could lose (phone app, phone number, key): accounts locked out, accounts needing codes."""
    from rich.table import Table

    from mfakit import safe
    from mfakit.config import describe_inventory, resolve_inventory
    from mfakit.inventory import load_inventory
    from mfakit.plan.lockout import device_losses, second_key_line

    fmt = fmt.lower()
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"--format must be table or json, not '{fmt}'"
                                f"{did_you_mean(fmt, ('table', 'json'))}")
    path = resolve_inventory(inventory)
    inv = load_inventory(path)
    losses = device_losses(inv.accounts)
    if fmt == "json":
        banner(f"inventory: {describe_inventory(path)}", True)
        emit_json([d.as_dict() for d in losses])
        return
    table = Table(title=f"If you lose… — inventory: {safe.terminal(describe_inventory(path))}",
                  title_justify="left", header_style="bold", show_lines=True)
    table.add_column("Device", overflow="fold")
    table.add_column("Locked out", overflow="fold")
    table.add_column("Only with recovery codes", overflow="fold")

    def names(labels: tuple[str, ...]) -> str:
        return ", ".join(safe.terminal(x) for x in labels) or "[dim]none[/dim]"

    for d in losses:
        table.add_row(f"{safe.terminal(d.device)}\n[dim]{d.kind}, {len(d.accounts)} account(s)[/dim]",
                      f"[bold red]{names(d.locked_out)}[/]" if d.locked_out else names(d.locked_out),
                      f"[yellow]{names(d.needs_recovery)}[/]" if d.needs_recovery else names(d.needs_recovery))
    out().print(table)
    out().print(safe.terminal(second_key_line(losses)))


def register(app: typer.Typer) -> None:
    """Add ``lockout`` to the root command."""
    app.command("lockout", epilog=EXAMPLES)(lockout)
