"""The pipeline on real Celery workers (separate processes, a real broker) over the demo
corpus: the same stories and the same digests as the embedded run, and a worker process
killed mid-task loses nothing and repeats nothing.

Needs the broker the settings name (Redis on 127.0.0.1:6379 by default; CI runs it) and
skips, saying so, where it is not running. Each test's queues carry their own prefix, so
runs on one broker never take each other's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("celery")

from newsdistill.config import Settings
from newsdistill.demo import BASE_PLACEHOLDER, SITE, allowing, serve_corpus
from newsdistill.evaluation.bench import WorkerProcesses, worker_env
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from tests.distributed.conftest import Outcome, broker, outcome

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus() -> Iterator[str]:
    with serve_corpus() as base:
        yield base


def _opml(tmp: Path, base: str) -> Path:
    opml = tmp / "feeds.opml"
    opml.write_bytes((SITE / "opml.xml").read_bytes().replace(BASE_PLACEHOLDER, base.encode()))
    return opml


@pytest.fixture(scope="module")
def embedded(corpus: str, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The embedded run: fetch, process and distill in this process."""
    tmp = tmp_path_factory.mktemp("embedded")
    settings = allowing(Settings(home=tmp, db=f"sqlite:///{tmp / 'embedded.db'}"), corpus)
    store = Store.open(settings.database_url())
    room = Newsroom(settings, store)
    room.import_opml(_opml(tmp, corpus))
    room.fetch()
    room.process()
    room.distill()
    result = outcome(store)
    store.close()
    return result


class Cluster(WorkerProcesses):
    """Worker processes over the test's store and the environment they and `dispatch` share."""

    def __init__(self, tmp: Path, base: str, broker: str, db: str) -> None:
        super().__init__(worker_env(db, broker, base, tmp), tmp)
        self.env["NEWSDISTILL_DISPATCH_TIMEOUT"] = "600"
        self.db = db


@pytest.fixture(params=["redis", "rabbitmq"])
def cluster(
    request: pytest.FixtureRequest, corpus: str, tmp_path: Path, database: str
) -> Iterator[Cluster]:
    # The store: a SQLite file, or with NEWSDISTILL_TEST_DB a fresh PostgreSQL database.
    c = Cluster(tmp_path, corpus, broker(request.param), database)
    subprocess.run(
        c.command("feeds", "import", str(_opml(tmp_path, corpus))), env=c.env, check=True
    )
    yield c
    c.stop()


def test_two_workers_give_the_embedded_runs_stories_and_digests(
    cluster: Cluster, embedded: Outcome
) -> None:
    cluster.start("w1")
    cluster.start("w2", stages="ingest,distill")  # a worker may take some stages only
    run = subprocess.run(
        cluster.command("dispatch"), env=cluster.env, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr
    store = Store.open(cluster.db)
    assert outcome(store) == embedded
    # Both workers did some of it.
    assert "succeeded" in cluster.log("w1") and "succeeded" in cluster.log("w2")
    # A second round finds nothing new and writes nothing.
    again = subprocess.run(
        cluster.command("dispatch"), env=cluster.env, capture_output=True, text=True, timeout=900
    )
    assert again.returncode == 0, again.stderr
    assert "0 new articles" in again.stdout and "0 digests written" in again.stdout
    assert {s.id: s.digest_version for s in store.list_stories()} == {
        s.id: 1 for s in store.list_stories()
    }


def test_a_worker_process_killed_mid_task_loses_nothing_and_repeats_nothing(
    cluster: Cluster, embedded: Outcome
) -> None:
    cluster.start("w1")
    dispatch = subprocess.Popen(
        cluster.command("dispatch"),
        env=cluster.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Kill the pool process while it runs a task: first a feed poll, then a digest.
    killed = []
    deadline = time.monotonic() + 300
    for task in ("newsdistill.poll_feed", "newsdistill.distill"):
        while f"Task {task}[" not in cluster.log("w1"):
            assert time.monotonic() < deadline, cluster.log("w1")
            assert dispatch.poll() is None, dispatch.communicate()
            time.sleep(0.05)
        children = cluster.pool("w1")
        assert children, "no pool process to kill"
        os.kill(children[0], signal.SIGKILL)
        killed.append(task)
    _, stderr = dispatch.communicate(timeout=900)
    assert dispatch.returncode == 0, stderr
    assert "WorkerLostError" in cluster.log("w1") or "exited" in cluster.log("w1")
    store = Store.open(cluster.db)
    assert outcome(store) == embedded  # nothing lost
    counts = store.counts()
    assert counts["digests"] == counts["stories"]  # no digest written twice
    assert killed == ["newsdistill.poll_feed", "newsdistill.distill"]
