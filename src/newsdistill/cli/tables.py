"""Rows of results (dicts sharing their keys) printed as Rich tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return "" if value is None else str(value)


def show(title: str, rows: Sequence[Mapping[str, Any]], console: Console | None = None) -> None:
    """Print rows as one table, columns in the first row's order."""
    table = Table(*(rows[0] if rows else ()), title=title)
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    # Wide enough for the parameter columns when piped to a file, as in docs/evaluation.md.
    (console or Console(width=200)).print(table)
