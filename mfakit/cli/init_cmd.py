"""``mfakit init``: create your own inventory in data/private/ (ignored by git); never overwrites a file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def init(
    from_example: bool = typer.Option(False, "--from-example", help="Start from a copy of the example inventory."),
    inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", help="File to create (default: "
                                             "data/private/inventory.yaml; relative to the project root)."),
) -> None:
    """Create your own inventory (empty, or a copy of the example); refuses to overwrite an existing file."""
    from mfakit.cli.output import out
    from mfakit.config import describe_inventory
    from mfakit.inventory import init_inventory

    path = init_inventory(inventory, from_example=from_example)
    what = "a copy of the example" if from_example else "empty"
    out().print(f"created {describe_inventory(path)} ({what})", markup=False, highlight=False, soft_wrap=True)
    out().print("next: mfakit import EXPORT-FILE... (or mfakit record ACCOUNT --add ...), then mfakit status",
                markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the top-level ``init`` command."""
    from mfakit.cli.output import examples

    app.command("init", epilog=examples("mfakit init", "mfakit init --from-example",
                                        "mfakit init -i data/private/work.yaml"))(init)
