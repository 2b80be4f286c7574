"""`newsdistill worker` and `newsdistill dispatch`: the stages on Celery workers
(newsdistill.distributed has the tasks; this starts workers and sends them a round of work)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated

import typer

from newsdistill.errors import InputError

ALL_STAGES = "ingest,cluster,distill,publish"


def require_celery() -> None:
    """Stage workers need Celery, which is an extra."""
    if importlib.util.find_spec("celery") is None:
        raise InputError("stage workers need Celery: pip install 'newsdistill[workers]'")


def worker_command(
    stages: Annotated[
        str,
        typer.Option(help="The stages this worker takes, comma-separated: " + ALL_STAGES + "."),
    ] = ALL_STAGES,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Worker processes.")
    ] = 1,
    name: Annotated[
        str | None, typer.Option(help="The worker's name (default: celery@<host>).")
    ] = None,
) -> None:
    """Run a Celery worker for some stages of the pipeline against the configured store
    and broker (NEWSDISTILL_BROKER_URL: redis://… or amqp://…)."""
    from newsdistill.cli.app import settings, stdout

    require_celery()
    from newsdistill import distributed

    distributed.configure(settings())
    chosen = [s.strip() for s in stages.split(",") if s.strip()]
    argv = distributed.worker_argv(settings(), chosen, concurrency, name)
    stdout().print(
        f"Worker for {stages} on {settings().broker_url}, store {settings().database_url()}"
    )
    distributed.app.worker_main(argv=argv)


def dispatch_command(
    writer: Annotated[
        str | None, typer.Option("--writer", "-w", help="The writer for new digests.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Also export the static site here, on a worker.")
    ] = None,
) -> None:
    """Send one round of work to the workers: poll every feed, then cluster, then distill
    the stories that changed (and export with --out), each stage after the one before."""
    from newsdistill.cli.app import settings, stdout

    require_celery()
    from newsdistill import distributed

    distributed.configure(settings())
    feeds = distributed.feed_ids()
    if not feeds:
        raise InputError("no feeds to poll: add some with `newsdistill feeds add URL`")
    report = distributed.dispatch(
        feeds, timeout=settings().dispatch_timeout, writer=writer, out_dir=out
    )
    stdout().print(
        f"{report.feeds} feeds polled, [green]{report.added}[/] new articles, "
        f"{len(report.stories)} stories gained reports, {report.written} digests written"
        + (f", {report.pages} story pages in {out}" if out else "")
        + " ("
        + ", ".join(f"{stage} {s:.1f} s" for stage, s in report.seconds.items())
        + ")"
    )
