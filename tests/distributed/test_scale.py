"""The whole pipeline over the generated stream (10,000 articles by default) on two real
Celery worker processes and the test's store (PostgreSQL with NEWSDISTILL_TEST_DB), against
the embedded run over SQLite: the same stories, every article in one, and the same digests.

Marked `scale` and left out of the default run (pyproject's addopts): it takes minutes.
NEWSDISTILL_SCALE_ARTICLES sets the stream's size. The stages' times are printed (-s) and
recorded as test properties (--junitxml); a benchmark, not this test, holds speed targets.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

pytest.importorskip("celery")

from newsdistill.config import Settings
from newsdistill.demo import allowing, serve_corpus
from newsdistill.evaluation import stream
from newsdistill.evaluation.bench import WorkerProcesses, worker_env
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from tests.distributed.conftest import broker, outcome

pytestmark = [pytest.mark.slow, pytest.mark.scale]
SIZE = int(os.environ.get("NEWSDISTILL_SCALE_ARTICLES", "10000"))


def test_the_stream_on_two_workers_gives_the_embedded_runs_stories_and_digests(
    tmp_path: Path, database: str, record_property: pytest.RecordProperty
) -> None:
    articles, feeds = stream.generate(SIZE)
    root = tmp_path / "site"
    stream.write_stream(articles, feeds, root)
    seconds: dict[str, float] = {}
    with serve_corpus(root) as base:
        started = time.perf_counter()
        settings = allowing(Settings(home=tmp_path, db=f"sqlite:///{tmp_path / 'e.db'}"), base)
        embedded_store = Store.open(settings.database_url())
        room = Newsroom(settings, embedded_store)
        for outlet in feeds.values():
            room.add_feed(base + outlet.feed_path)
        assert room.fetch().added == SIZE
        room.process()
        room.distill()
        embedded = outcome(embedded_store)
        seconds["embedded"] = time.perf_counter() - started

        store = Store.open(database)
        for outlet in feeds.values():
            store.add_feed(base + outlet.feed_path)
        workers = WorkerProcesses(worker_env(database, broker("redis"), base, tmp_path), tmp_path)
        try:
            started = time.perf_counter()
            workers.start("w1")
            workers.start("w2")
            run = subprocess.run(
                workers.command("dispatch"), env=workers.env, capture_output=True, text=True
            )
            seconds["workers"] = time.perf_counter() - started
        finally:
            workers.stop()
        assert run.returncode == 0, run.stderr
        assert f"{SIZE} new articles" in run.stdout, run.stdout
        assert "succeeded" in workers.log("w1") and "succeeded" in workers.log("w2")
    # Nothing lost: every article of the stream is in exactly one story, in both runs.
    members = [path for story in embedded for path in story]
    assert sorted(members) == sorted(a.url_path for a in articles)
    assert outcome(store) == embedded
    for name, value in [*seconds.items(), ("stories", len(embedded))]:
        record_property(name, value)
    print(f"\n{SIZE} articles, {len(embedded)} stories; seconds: {seconds}")
