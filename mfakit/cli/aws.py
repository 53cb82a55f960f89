"""``mfakit aws ...``: policy generation, lint and evaluation; the walkthrough, clean-up and audit."""

from __future__ import annotations

import typer

from mfakit.cli import aws_policy, aws_walkthrough

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
aws_policy.register(app)
aws_walkthrough.register(app)
