"""`newsdistill bench`: throughput, peak memory and growth of every stage, and the time from an
article's arrival to its new digest (newsdistill.evaluation.bench measures; this prints). The
library imports inside the command, as it loads models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsdistill.cli.tables import show

DEFAULT_SIZES = (100, 1000)


def bench_command(
    sizes: Annotated[
        str, typer.Option(help="Corpus sizes, comma-separated (full run: 100,1000,10000).")
    ] = ",".join(map(str, DEFAULT_SIZES)),
    writer: Annotated[
        list[str] | None, typer.Option("--writer", "-w", help="Writers to distill with.")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the results to this file.")
    ] = None,
) -> None:
    """Throughput, peak memory and growth of every stage on generated corpora."""
    try:
        numbers = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter(f"not a list of numbers: {sizes}") from None
    from newsdistill.evaluation.bench import BENCH_SEED, WATCH_BATCH, run_bench
    from newsdistill.evaluation.report import write_json

    writers = writer or ["extractive"]
    run = run_bench(numbers, writers)
    show("Stages (Newsroom over a fresh SQLite store)", [r.row() for r in run.stages])
    show(f"Arrival → new digest ({WATCH_BATCH} articles a batch)", [x.row() for x in run.latencies])
    show("Targets (2 cores)", run.targets)
    write_json(
        json_out,
        {
            "sizes": numbers,
            "writers": writers,
            "seed": BENCH_SEED,
            "stages": [r.row() for r in run.stages],
            "latency": [x.row() for x in run.latencies],
            "targets": run.targets,
        },
    )
