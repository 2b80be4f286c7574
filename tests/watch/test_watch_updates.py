"""A running `newsdistill watch` sees a feed gain a report: the story gets a new digest version
with the new source listed, and its Atom entry keeps its id while `updated` moves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from xml.etree import ElementTree

from fastapi.testclient import TestClient

from newsdistill.config import Settings
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from newsdistill.web import create_app
from tests.cli.conftest import ARTICLES, page
from tests.ingest.server import LocalServer, send

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(base: str, outlet: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{ARTICLES[p][1]}</title><link>{base}{p}</link>"
        "<pubDate>Tue, 17 Nov 2026 08:00:00 GMT</pubDate></item>"
        for p in paths
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{outlet}</title>"
        f"<link>{base}/</link><description>News</description>{items}</channel></rss>"
    ).encode()


def _serve(
    body: Callable[[], bytes], content_type: str
) -> Callable[[BaseHTTPRequestHandler], None]:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        send(handler, 200, body(), {"Content-Type": content_type})

    return handle


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"watch did not {what} within {timeout:.0f} s"
        time.sleep(0.5)


def _atom_entry(client: TestClient, story_id: str) -> tuple[str, str]:
    root = ElementTree.fromstring(client.get("/feed.atom").content)
    for entry in root.iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        if link is not None and story_id in (link.get("href") or ""):
            return entry.findtext(f"{ATOM}id") or "", entry.findtext(f"{ATOM}updated") or ""
    raise AssertionError(f"no Atom entry for story {story_id}")


def test_a_report_arriving_gives_the_story_a_new_version_under_the_same_entry_id(
    tmp_path: Path, database: str
) -> None:
    with LocalServer() as server:
        base = server.url("")
        coast: list[str] = []  # the Coast Gazette has not reported the ferry yet
        for path, article in ARTICLES.items():
            server.routes[path] = _serve(lambda a=article: page(*a), "text/html")
        server.routes["/velma/rss.xml"] = _serve(
            lambda: _feed(base, "Velma Herald", ["/velma/ferry.html"]), "application/rss+xml"
        )
        server.routes["/coast/rss.xml"] = _serve(
            lambda: _feed(base, "Coast Gazette", coast), "application/rss+xml"
        )
        db = database
        env = os.environ | {
            "NEWSDISTILL_HOME": str(tmp_path),
            "NEWSDISTILL_DB": db,
            "NEWSDISTILL_FETCH_ALLOW": base.split("//")[1],
            "NEWSDISTILL_POLL_INTERVAL": "1",
            "NEWSDISTILL_POLL_MIN_INTERVAL": "1",
            "NEWSDISTILL_POLL_MAX_INTERVAL": "2",
            "NEWSDISTILL_SETTLE_DELAY": "1",
        }
        cli = [sys.executable, "-m", "newsdistill"]
        for path in ("/velma/rss.xml", "/coast/rss.xml"):
            subprocess.run([*cli, "feeds", "add", base + path], env=env, check=True)
        watch = subprocess.Popen([*cli, "watch"], env=env, stdout=subprocess.DEVNULL)
        store = Store.open(db)
        try:
            room = Newsroom(Settings(db=db), store)
            client = TestClient(create_app(room))

            def ferry_version() -> int:
                stories = [s for s in store.list_stories() if "ferry" in s.headline.lower()]
                return stories[0].digest_version if stories else 0

            _wait_for(lambda: ferry_version() == 1, "write the first digest")
            [story] = [s for s in store.list_stories() if "ferry" in s.headline.lower()]
            entry_id, first_updated = _atom_entry(client, story.id)
            assert "Coast Gazette" not in client.get(f"/stories/{story.id}.html").text

            coast.append("/coast/ferry.html")  # the feed gains the second outlet's report
            _wait_for(lambda: ferry_version() == 2, "rewrite the digest after the new report")

            page_now = client.get(f"/stories/{story.id}.html").text
            assert "Coast Gazette" in page_now  # the new source is listed
            assert [d.version for d in store.digest_versions(story.id)] == [1, 2]  # v1 kept
            same_id, updated = _atom_entry(client, story.id)
            assert same_id == entry_id
            assert updated > first_updated
        finally:
            store.close()
            watch.send_signal(signal.SIGTERM)
            assert watch.wait(60) == 0
