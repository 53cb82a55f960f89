from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add status, plan, export and record."""
