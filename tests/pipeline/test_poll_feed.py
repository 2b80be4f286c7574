"""`Newsroom.poll_feed`, one feed's poll as `watch` makes it: the feed's validators are stored
only after its new articles, so a crash in between never turns the next poll into a 304 that
skips the entries; and the feed is written once, with its schedule."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

import pytest

from newsdistill.config import Settings
from newsdistill.models import Article
from newsdistill.pipeline import FeedPoll, Newsroom
from newsdistill.store import Store
from tests.evaluation.conftest import HashEmbedder

SITE = Path(str(files("newsdistill.demo_corpus") / "site"))


@pytest.fixture
def feed_url() -> Iterator[str]:
    # The stdlib server sends Last-Modified and answers If-Modified-Since with a 304.
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/courier/feed.xml"
    server.shutdown()


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Newsroom]:
    settings = Settings(home=tmp_path, db=f"sqlite:///{tmp_path / 'poll.db'}", fetch_robots=False)
    store = Store.open(settings.database_url())
    yield Newsroom(settings, store, embedder=HashEmbedder())
    store.close()


class Crash(Exception):
    """Stands for the process dying while it stores the feed's articles."""


def test_a_crash_before_the_articles_are_stored_leaves_the_feed_to_be_polled_again(
    room: Newsroom, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed, _ = room.add_feed(feed_url)
    real_add = room.store.add_article

    def crash(article: Article) -> tuple[Article, bool]:
        raise Crash

    monkeypatch.setattr(room.store, "add_article", crash)
    with pytest.raises(Crash):
        room.poll_feed(feed)
    stored = room.store.list_feeds()[0]
    assert stored.last_modified is None and stored.last_fetched_at is None

    monkeypatch.setattr(room.store, "add_article", real_add)
    poll = room.poll_feed(stored)
    assert poll.added > 0 and not poll.failed
    assert room.store.list_feeds()[0].last_modified is not None
    # Now the server's validator is kept: the next poll is a 304 and adds nothing.
    assert room.poll_feed(room.store.list_feeds()[0]).added == 0


def test_the_schedule_is_set_from_the_outcome_and_written_with_the_feed(
    room: Newsroom, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed, _ = room.add_feed(feed_url)
    writes = []
    real_update = room.store.update_feed
    monkeypatch.setattr(
        room.store, "update_feed", lambda f: (writes.append(f.next_poll_at), real_update(f))
    )
    when = dt.datetime(2026, 12, 2, 15, tzinfo=dt.UTC)

    def schedule(poll: FeedPoll) -> None:
        assert poll.added > 0  # the articles are stored before the schedule is decided
        poll.feed.next_poll_at = when

    room.poll_feed(feed, schedule=schedule)
    assert writes == [when]
    assert room.store.list_feeds()[0].next_poll_at == when
