"""The real `newsdistill watch` over a local feed: a stop by SIGTERM exits 0, and a restart
neither loses nor repeats work."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

import pytest

from newsdistill.store import Store

SITE = Path(str(files("newsdistill.demo_corpus") / "site"))


@pytest.fixture
def feed_url() -> Iterator[str]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/courier/feed.xml"
    server.shutdown()


def _env(tmp_path: Path, url: str, database: str) -> dict[str, str]:
    port = url.split(":")[2].split("/")[0]
    return {
        **os.environ,
        "NEWSDISTILL_HOME": str(tmp_path),
        "NEWSDISTILL_DB": database,
        "NEWSDISTILL_FETCH_ALLOW": f"127.0.0.1:{port}",
        "NEWSDISTILL_FETCH_ROBOTS": "false",
        "NEWSDISTILL_SETTLE_DELAY": "0",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdistill", *args]


def test_sigterm_exits_0_and_a_restart_does_nothing_twice(
    tmp_path: Path, feed_url: str, database: str
) -> None:
    env = _env(tmp_path, feed_url, database)
    subprocess.run(_cli("feeds", "add", feed_url), env=env, check=True)
    watch = subprocess.Popen(_cli("watch"), env=env, stdout=subprocess.PIPE, text=True)
    assert watch.stdout is not None
    assert watch.stdout.readline().startswith("poll ")
    watch.send_signal(signal.SIGTERM)
    assert watch.wait(60) == 0

    store = Store.open(env["NEWSDISTILL_DB"])
    articles = store.counts()
    versions = {s.id: s.digest_version for s in store.list_stories()}
    assert store.pending_articles() == []
    # A restart: the feed is not due, nothing pending, every digest current.
    again = subprocess.run(_cli("watch", "--once"), env=env, capture_output=True, text=True)
    assert again.returncode == 0
    assert "poll " not in again.stdout
    assert store.counts() == articles
    assert {s.id: s.digest_version for s in store.list_stories()} == versions
