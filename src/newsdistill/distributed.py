"""The pipeline's stages as Celery tasks, for workers on several processes or machines.

Each stage is one task on its own queue, so a worker can take some stages and not others:

| stage   | task                     | what it does                                          |
| ------- | ------------------------ | ----------------------------------------------------- |
| ingest  | `newsdistill.poll_feed`  | poll one feed, fetch and extract its new articles     |
| cluster | `newsdistill.process`    | dedupe, embed and place every pending article         |
| distill | `newsdistill.distill`    | write and verify one story's digest, if it changed    |
| publish | `newsdistill.export`     | write the static site                                 |

Every task is idempotent: it works from what the store holds (known URLs, pending articles,
a digest that is already current), so a message delivered twice does nothing twice. Tasks
are acknowledged late, after they finish, and a worker that dies mid-task hands its message
back to the broker (`reject_on_worker_lost`): a killed worker loses nothing. Transient
failures (a locked or unreachable database) are retried with exponential backoff.

Clustering is the one stage that must not run twice at once: it reads the open stories and
then places articles among them, and two workers doing that together could both start a
story for one event. `process` holds the store's "cluster" lock (store.locks) for the whole
pass; embedding, fetching and distilling run in parallel on as many workers as there are.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from celery import Celery, group
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.signals import worker_process_init
from kombu.exceptions import OperationalError

from newsdistill.config import Settings, get_settings
from newsdistill.errors import DatabaseError, InputError, WorkerError
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store

log = logging.getLogger(__name__)

STAGES = ("ingest", "cluster", "distill", "publish")
_ROUTES = {
    "newsdistill.poll_feed": "ingest",
    "newsdistill.process": "cluster",
    "newsdistill.distill": "distill",
    "newsdistill.export": "publish",
}
# Late acknowledgement and redelivery on a lost worker: a killed worker's task runs again
# elsewhere. One message at a time per process, so a dying worker holds back no others.
_DURABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 8,
}


def result_backend(settings: Settings) -> str:
    if settings.result_backend:
        return settings.result_backend
    return settings.broker_url if settings.broker_url.startswith("redis") else "rpc://"


def _routes(settings: Settings) -> dict[str, dict[str, str]]:
    return {name: {"queue": settings.queue_prefix + q} for name, q in _ROUTES.items()}


def make_app(settings: Settings) -> Celery:
    """A Celery app for `settings`' broker, with each stage's task routed to its queue."""
    app = Celery("newsdistill", broker=settings.broker_url, backend=result_backend(settings))
    app.conf.update(
        task_routes=_routes(settings),
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        broker_connection_retry_on_startup=True,
    )
    return app


app = make_app(get_settings())
_settings: list[Settings] = []  # what `configure` was given; else the environment's


def configure(settings: Settings) -> None:
    """Use `settings` (its store, broker and result backend) in this process and in the
    worker processes it forks from now on."""
    _settings[:] = [settings]
    app.conf.update(
        broker_url=settings.broker_url,
        result_backend=result_backend(settings),
        task_routes=_routes(settings),
    )
    _room.cache_clear()
    _store.cache_clear()


@cache
def _room() -> Newsroom:
    """This process's Newsroom over the configured store (made at its first task)."""
    settings = _settings[0] if _settings else get_settings()
    return Newsroom(settings, Store.open(settings.database_url()))


@worker_process_init.connect
def _fresh_process(**_: Any) -> None:
    # A forked pool process must not share its parent's database connections.
    _room.cache_clear()
    _store.cache_clear()


@app.task(name="newsdistill.poll_feed", **_DURABLE)
def poll_feed(feed_id: int) -> int:
    """Poll feed `feed_id` and store its new articles; the number added."""
    room = _room()
    feeds = [f for f in room.store.list_feeds() if f.id == feed_id]
    if not feeds:
        raise InputError(f"no feed with id {feed_id}")
    return room.poll_feed(feeds[0]).added


@app.task(name="newsdistill.process", **_DURABLE)
def process() -> list[str]:
    """Dedupe and cluster every pending article; the stories that gained one."""
    room = _room()
    with room.store.exclusive("cluster"):
        report = room.process()
    return sorted(report.stories)


@app.task(name="newsdistill.distill", **_DURABLE)
def distill(story_id: str, writer: str | None = None) -> bool:
    """Write a new digest version for `story_id` if its articles changed; whether it did."""
    report = _room().distill(writer, [story_id])
    if report.failed:
        log.warning("distilling %s failed: %s", story_id, "; ".join(report.failed))
    return report.written > 0


@app.task(name="newsdistill.export", **_DURABLE)
def export(out_dir: str, base_url: str = "") -> int:
    """Write the static site to `out_dir`; the number of story pages."""
    return len(_room().export(Path(out_dir), base_url=base_url).pages)


@cache
def _store() -> Store:
    """The configured store alone, for the dispatching side: listing feeds and stories
    needs no models, writers or fetcher, so no Newsroom."""
    settings = _settings[0] if _settings else get_settings()
    return Store.open(settings.database_url())


def feed_ids() -> list[int]:
    """Every feed of the configured store."""
    return [f.id for f in _store().list_feeds() if f.id is not None]


@dataclass
class DispatchReport:
    feeds: int = 0
    added: int = 0
    stories: list[str] = field(default_factory=list)  # the stories that gained articles
    written: int = 0
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # each stage's wall time
    clock: float = field(default_factory=time.perf_counter, repr=False)  # the last stage's end


def dispatch(
    feed_ids: list[int],
    *,
    timeout: float,
    writer: str | None = None,
    out_dir: Path | None = None,
) -> DispatchReport:
    """One round through the workers: poll `feed_ids` in parallel, then cluster, then distill
    every story with new articles in parallel, then (with `out_dir`) export.

    Each stage waits for the one before, so the outcome is the same as the embedded run's
    (`fetch`, `process`, `distill`): clustering sees every new article of the round at once.
    """
    report = DispatchReport(feeds=len(feed_ids))
    try:
        polls = group(poll_feed.s(i) for i in feed_ids).apply_async()
        report.added = sum(_wait(polls, "ingest", timeout, report))
        report.stories = _wait(process.delay(), "cluster", timeout, report)
        # Every story, not only those that gained articles: a digest a previous round could
        # not write (a failed model, say) is written now; a current one costs nothing.
        stories = [s.id for s in _store().list_stories()]
        written = group(distill.s(i, writer) for i in stories).apply_async()
        report.written = sum(_wait(written, "distill", timeout, report))
        if out_dir is not None:
            report.pages = _wait(export.delay(str(out_dir)), "publish", timeout, report)
    except OperationalError as exc:
        raise WorkerError(f"cannot reach the broker at {app.conf.broker_url}: {exc}") from exc
    return report


def _wait(result: Any, stage: str, timeout: float, report: DispatchReport) -> Any:
    """A task's or group's result, its stage's time since the previous stage's end added to
    `report`; a clear error if no worker finished it in time."""
    try:
        return result.get(timeout=timeout)
    except CeleryTimeoutError:
        raise WorkerError(
            f"no worker finished the {stage} stage within {timeout:.0f} s: is one running "
            f"for it? (`newsdistill worker --stages {stage}`)"
        ) from None
    finally:
        now = time.perf_counter()
        report.seconds[stage] = now - report.clock
        report.clock = now


def worker_argv(
    settings: Settings, stages: list[str], concurrency: int, name: str | None = None
) -> list[str]:
    """The `celery worker` arguments for a worker that takes `stages`' queues."""
    unknown = sorted(set(stages) - set(STAGES))
    if unknown or not stages:
        raise InputError(
            f"unknown stage {', '.join(unknown) or '(none given)'}; "
            f"the stages are {', '.join(STAGES)}"
        )
    queues = ",".join(settings.queue_prefix + s for s in stages)
    argv = ["worker", "--queues", queues, "--concurrency", str(concurrency)]
    argv += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    return argv + (["--hostname", name] if name else [])
