"""`newsdistill eval …`: one Typer sub-app; each evaluation module adds its own command."""

from __future__ import annotations

import typer

eval_app = typer.Typer(
    help="Measure newsdistill on external data, next to baselines run in the same command.",
    no_args_is_help=True,
)

# The modules register their commands on eval_app when imported.
from newsdistill.evaluation import cluster, factcheck, summarize  # noqa: E402

__all__ = ["cluster", "eval_app", "factcheck", "summarize"]
