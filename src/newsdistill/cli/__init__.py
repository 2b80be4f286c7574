"""The `newsdistill` command line: a thin Typer + Rich layer over the library API.

Only this package imports Typer and Rich; the library never imports it.
"""

from newsdistill.cli.app import app, run

__all__ = ["app", "run"]
