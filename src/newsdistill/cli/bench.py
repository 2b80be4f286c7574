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
    workers: Annotated[
        str | None,
        typer.Option(
            help="Instead: the workers bench, with these counts of worker processes "
            "(e.g. 1,2,4) over --worker-db, against the in-process run over SQLite."
        ),
    ] = None,
    articles: Annotated[
        int, typer.Option(min=1, help="Workers bench: articles in the generated stream.")
    ] = 2000,
    batch: Annotated[
        int, typer.Option(min=1, help="Workers bench: articles arriving a round.")
    ] = 500,
    worker_db: Annotated[
        str,
        typer.Option(
            help="Workers bench: the PostgreSQL server (a URL; it makes and drops a fresh "
            "database per run, so it needs CREATE DATABASE), or sqlite: for files."
        ),
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    workdir: Annotated[
        Path | None, typer.Option(help="Keep the sites and SQLite stores here.")
    ] = None,
) -> None:
    """Throughput, peak memory and growth of every stage on generated corpora; with
    --workers, the same on Celery worker processes over a generated stream."""
    writers = writer or ["extractive"]
    if workers is not None:
        _workers_bench(_numbers(workers), articles, batch, worker_db, writers[0], workdir, json_out)
        return
    numbers = _numbers(sizes)
    from newsdistill.evaluation.bench import BENCH_SEED, WATCH_BATCH, run_bench
    from newsdistill.evaluation.report import write_json

    run = run_bench(numbers, writers, workdir=workdir)
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


def _numbers(text: str) -> list[int]:
    try:
        return [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter(f"not a list of numbers: {text}") from None


def _workers_bench(
    counts: list[int],
    articles: int,
    batch: int,
    server: str,
    writer: str,
    workdir: Path | None,
    json_out: Path | None,
) -> None:
    import tempfile
    from contextlib import ExitStack

    from newsdistill.cli.app import settings
    from newsdistill.cli.worker import require_celery
    from newsdistill.evaluation.bench import bench_workers
    from newsdistill.evaluation.report import write_json
    from newsdistill.evaluation.stream import STREAM_SEED

    require_celery()
    with ExitStack() as stack:
        folder = workdir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        folder.mkdir(parents=True, exist_ok=True)
        results = bench_workers(
            articles, counts, server, settings().broker_url, folder, writer, batch
        )
    show(
        f"Workers ({articles} articles, {batch} a round, {writer} writer)",
        [r.row() for r in results],
    )
    show(
        "Peak RSS MB per process",
        [
            {"run": r.row()["workers"], "process": p, "MB": mb}
            for r in results
            for p, mb in r.peak_rss_mb.items()
        ],
    )
    write_json(
        json_out,
        {
            "articles": articles,
            "batch": batch,
            "writer": writer,
            "seed": STREAM_SEED,
            "workers": [
                {**r.row(), "peak RSS MB": r.peak_rss_mb, "table MB": r.table_mb} for r in results
            ],
        },
    )
