"""Shared output of the evaluation commands: one Rich table on stdout, optionally a JSON file."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

Row = Mapping[str, Any]


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return "" if value is None else str(value)


def show(title: str, rows: Sequence[Row], console: Console | None = None) -> None:
    """Print rows (dicts sharing their keys) as one table, columns in the first row's order."""
    table = Table(*(rows[0] if rows else ()), title=title)
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    # Wide enough for the parameter columns when piped to a file, as in docs/evaluation.md.
    (console or Console(width=200)).print(table)


def write_json(path: Path | None, payload: Mapping[str, Any]) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
