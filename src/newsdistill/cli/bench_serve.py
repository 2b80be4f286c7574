"""`newsdistill bench-serve`: `newsdistill serve` under load from wrk, against the same pages
as static files, with `watch` ingesting meanwhile (newsdistill.evaluation.loadtest measures;
this prints)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsdistill.cli.tables import show


def bench_serve_command(
    clients: Annotated[int, typer.Option(help="Concurrent connections.", min=1)] = 50,
    duration: Annotated[int, typer.Option(help="Seconds of load per page kind.", min=1)] = 30,
    db: Annotated[
        str | None,
        typer.Option(help="SQLite store to serve, copied first (default: a fresh demo store)."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the results to this file.")
    ] = None,
    watch: Annotated[
        bool, typer.Option(help="Run `newsdistill watch` on a growing feed during the load.")
    ] = True,
) -> None:
    """Requests/s and p50/p95/p99 latency of the front page, story pages and feeds under wrk,
    against the same pages from a static file server."""
    from newsdistill.cli.app import settings, stdout
    from newsdistill.evaluation.loadtest import TARGET_STORY_P95_MS, run_load_test, wrk_binary
    from newsdistill.evaluation.report import write_json

    wrk_binary()  # before building anything: say at once that wrk is missing
    report = run_load_test(settings(), clients=clients, duration_s=duration, db=db, watch=watch)
    show(
        f"{clients} clients × {duration} s per page kind, {report.cores} cores",
        [r.row() for r in report.runs],
    )
    show("App against static files", [r.row() for r in report.ratios])
    if report.watch is not None:
        w = report.watch
        stdout().print(
            f"watch ingested {w.ingested} articles during the load "
            f"({w.feed_polls} polls; the feed listed {w.published})"
        )
    story_p95 = report.story_p95_ms()
    if story_p95 is not None:
        verdict = "met" if story_p95 < TARGET_STORY_P95_MS else "missed"
        stdout().print(
            f"story pages p95 {story_p95:.1f} ms: target < {TARGET_STORY_P95_MS:.0f} ms {verdict}"
        )
    stdout().print(f"errors: {report.errors}")
    write_json(json_out, report.as_dict())
