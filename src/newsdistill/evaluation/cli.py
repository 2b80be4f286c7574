"""`newsdistill eval …`: one Typer sub-app; each evaluation module adds its own command."""

from __future__ import annotations

import typer

eval_app = typer.Typer(
    help="Measure newsdistill on external data, next to baselines run in the same command.",
    no_args_is_help=True,
)
