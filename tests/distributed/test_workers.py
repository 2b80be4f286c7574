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
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip("celery")

from newsdistill.config import Settings
from newsdistill.demo import BASE_PLACEHOLDER, SITE, allowing, serve_corpus
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store

pytestmark = pytest.mark.slow
BROKERS = {
    "redis": os.environ.get("NEWSDISTILL_TEST_REDIS", "redis://127.0.0.1:6379/0"),
    "rabbitmq": os.environ.get("NEWSDISTILL_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//"),
}


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "", parts.port or 0), timeout=2).close()
        return True
    except OSError:
        return False


def _broker(kind: str) -> str:
    url = BROKERS[kind]
    if not _reachable(url):
        if os.environ.get("CI"):
            pytest.fail(f"{kind} is not running at {url}: CI must run the worker tests")
        pytest.skip(f"{kind} is not running at {url}")
    return url


Outcome = dict[frozenset[str], tuple[str, ...]]  # story members (URL paths) → digest text


def outcome(store: Store) -> Outcome:
    """Each story as the set of its articles' URL paths, with its newest digest's sentences."""
    result: Outcome = {}
    for story in store.list_stories():
        articles, copies = store.story_articles(story.id)
        members = frozenset(urlsplit(a.url).path for a in [*articles, *copies])
        digest = store.latest_digest(story.id)
        assert digest is not None, f"story {story.id} has no digest"
        result[members] = tuple(c.text for c in digest.claims())
    return result


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


class Cluster:
    """Worker processes and the environment they and `dispatch` share."""

    def __init__(self, tmp: Path, base: str, broker: str, db: str) -> None:
        self.db = db
        self.env = {
            **os.environ,
            "NEWSDISTILL_HOME": str(tmp),
            "NEWSDISTILL_DB": self.db,
            "NEWSDISTILL_BROKER_URL": broker,
            "NEWSDISTILL_QUEUE_PREFIX": f"test-{uuid.uuid4().hex[:12]}-",
            "NEWSDISTILL_FETCH_ALLOW": urlsplit(base).netloc,
            "NEWSDISTILL_DISPATCH_TIMEOUT": "600",
            "PYTHONPATH": os.pathsep.join(sys.path),
        }
        self.workers: list[subprocess.Popen[str]] = []
        self.logs = tmp

    def cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "newsdistill", *args]

    def start(self, name: str, stages: str = "ingest,cluster,distill,publish") -> None:
        log = (self.logs / f"{name}.log").open("w")
        self.workers.append(
            subprocess.Popen(
                self.cli("worker", "--stages", stages, "--name", f"{name}@%h"),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()

    def stop(self) -> None:
        for worker in self.workers:
            worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()


@pytest.fixture(params=["redis", "rabbitmq"])
def cluster(
    request: pytest.FixtureRequest, corpus: str, tmp_path: Path, database: str
) -> Iterator[Cluster]:
    # The store: a SQLite file, or with NEWSDISTILL_TEST_DB a fresh PostgreSQL database.
    c = Cluster(tmp_path, corpus, _broker(request.param), database)
    subprocess.run(c.cli("feeds", "import", str(_opml(tmp_path, corpus))), env=c.env, check=True)
    yield c
    c.stop()


def test_two_workers_give_the_embedded_runs_stories_and_digests(
    cluster: Cluster, embedded: Outcome
) -> None:
    cluster.start("w1")
    cluster.start("w2", stages="ingest,distill")  # a worker may take some stages only
    run = subprocess.run(
        cluster.cli("dispatch"), env=cluster.env, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr
    store = Store.open(cluster.db)
    assert outcome(store) == embedded
    # Both workers did some of it.
    assert "succeeded" in cluster.log("w1") and "succeeded" in cluster.log("w2")
    # A second round finds nothing new and writes nothing.
    again = subprocess.run(
        cluster.cli("dispatch"), env=cluster.env, capture_output=True, text=True, timeout=900
    )
    assert again.returncode == 0, again.stderr
    assert "0 new articles" in again.stdout and "0 digests written" in again.stdout
    assert {s.id: s.digest_version for s in store.list_stories()} == {
        s.id: 1 for s in store.list_stories()
    }


def _pool_children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_a_worker_process_killed_mid_task_loses_nothing_and_repeats_nothing(
    cluster: Cluster, embedded: Outcome
) -> None:
    cluster.start("w1")
    dispatch = subprocess.Popen(
        cluster.cli("dispatch"),
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
        children = _pool_children(cluster.workers[0].pid)
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
