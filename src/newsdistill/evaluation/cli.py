"""Only the target of evaluation/factcheck.py's command decorator: `newsdistill eval` itself is
newsdistill.cli.evaluate (the lead moves `eval factcheck` into the cli package at merge)."""

from __future__ import annotations

import typer

eval_app = typer.Typer()
