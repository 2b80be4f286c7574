"""The reader's rendered-page cache: a page is rendered once while the store's revision stays
the same, again after any process changes what it shows, and answered with 304 by its ETag."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from newsdistill.cluster import ClusterState
from newsdistill.config import Settings
from newsdistill.models import Article
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from newsdistill.web import create_app
from newsdistill.web.cache import RenderCache, Rendered, Revision
from newsdistill.web.deps import WebConfig
from tests.conftest import make_article
from tests.web.digests import one_source_digest

STORY = "quarry-collapse-2026"
FEED = "https://a.test/feed.xml"
FOUR = "Four workers die in Kessel quarry collapse"


@dataclass
class Served:
    url: str  # the database both stores open
    store: Store  # the one the app reads
    client: TestClient
    config: WebConfig
    article: Article  # the story's one article


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    url = f"sqlite:///{tmp_path / 'news.db'}"
    store = Store.open(url)
    store.add_feed(FEED, "A", "Quarries")
    article, _ = store.add_article(make_article("A rock face collapsed at the quarry."))
    assert article.id is not None
    vec = np.ones(4, dtype=np.float32) / 2
    published = article.published
    state = ClusterState(STORY, vec, {}, published, published, 1, "Quarry collapse")
    store.assign_story(article.id, state, vec, None, {})
    store.save_digest(
        one_source_digest(article, 1, "Three workers die in Kessel quarry collapse"), "set-1"
    )
    app = create_app(Newsroom(Settings(home=tmp_path), store=store))
    with TestClient(app) as client:
        yield Served(url, store, client, app.state.config, article)
    store.close()


@pytest.fixture
def other(served: Served) -> Iterator[Store]:
    """A second store on the same file, as `watch` in its own process has."""
    store = Store.open(served.url)
    yield store
    store.close()


def test_a_page_is_rendered_once_while_nothing_changes(served: Served) -> None:
    first = served.client.get(f"/stories/{STORY}.html")
    again = served.client.get(f"/stories/{STORY}.html")
    assert first.status_code == again.status_code == 200
    assert again.text == first.text and "Kessel quarry collapse" in again.text
    assert again.headers["content-security-policy"].startswith("default-src 'none'")
    assert served.config.pages.renders == 1
    served.client.get(f"/stories/{STORY}.html", params={"version": 1})  # another key
    assert served.config.pages.renders == 2


def test_a_digest_saved_by_another_store_is_shown_at_once(served: Served, other: Store) -> None:
    before = served.client.get(f"/stories/{STORY}.html").text
    front = served.client.get("/").text
    other.save_digest(one_source_digest(served.article, 2, FOUR), "set-2")
    after = served.client.get(f"/stories/{STORY}.html").text
    assert "Three workers" in before and "Four workers" in after
    assert "Four workers" not in front and "Four workers" in served.client.get("/").text
    assert served.config.pages.renders == 4


def test_a_change_in_another_story_leaves_a_story_page_kept(served: Served, other: Store) -> None:
    served.client.get(f"/stories/{STORY}.html")
    served.client.get("/")
    renders = served.config.pages.renders
    # Another story gains an article: the front page shows it, this story's page does not.
    article, _ = other.add_article(make_article("A ferry ran aground off Lemont harbour."))
    assert article.id is not None
    vec = np.ones(4, dtype=np.float32) / 2
    state = ClusterState("ferry-2026", vec, {}, article.published, article.published, 1, "Ferry")
    other.assign_story(article.id, state, vec, None, {})
    served.client.get(f"/stories/{STORY}.html")
    assert served.config.pages.renders == renders
    served.client.get("/")
    assert served.config.pages.renders == renders + 1
    # This story's own change is seen at once.
    other.save_digest(one_source_digest(served.article, 2, FOUR), "set-2")
    assert "Four workers" in served.client.get(f"/stories/{STORY}.html").text


def test_etag_answers_if_none_match_with_304_until_a_change(served: Served, other: Store) -> None:
    feed = served.client.get("/feed.atom")
    etag = feed.headers["etag"]
    assert feed.status_code == 200 and etag.startswith('"')
    same = served.client.get("/feed.atom", headers={"If-None-Match": f'W/"x", {etag}'})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    other_page = served.client.get(f"/stories/{STORY}.html", headers={"If-None-Match": etag})
    assert other_page.status_code == 200 and other_page.headers["etag"] != etag
    other.save_digest(one_source_digest(served.article, 2, FOUR), "set-2")
    changed = served.client.get("/feed.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Four workers" in changed.text
    assert changed.headers["etag"] != etag


def test_closing_and_reopening_a_story_changes_the_revision(served: Served, other: Store) -> None:
    open_ = served.store.revision()
    assert 'class="mark">new' in served.client.get("/").text
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    assert other.close_stale_stories(later) == [STORY]
    closed = served.store.revision()
    assert closed != open_
    assert 'class="mark"' not in served.client.get("/").text  # a closed story has no mark
    other.reopen_stories([STORY])
    assert served.store.revision() != closed  # back to what the open story showed
    assert 'class="mark">new' in served.client.get("/").text


def test_what_pages_do_not_show_leaves_the_revision_alone(served: Served, other: Store) -> None:
    revision = served.store.revision()
    [feed] = other.list_feeds()
    other.update_feed(feed.model_copy(update={"last_fetched_at": dt.datetime.now(dt.UTC)}))
    other.add_article(make_article("Not yet in a story.", url="https://a.test/pending"))
    assert served.store.revision() == revision
    other.add_feed(FEED, topic="Mining")  # a new topic changes what the filter lists
    assert served.store.revision() != revision


def _body(text: str) -> Rendered:
    return Rendered(text.encode(), "text/plain")


def test_the_cache_keeps_the_most_recently_used_entries() -> None:
    cache = RenderCache(entries=2)
    for key in ("a", "b", "a", "c"):  # "c" pushes out "b", the least recently used
        cache.get(key, "r1", lambda key=key: _body(key))  # type: ignore[misc]
    assert cache.renders == 3
    assert cache.get("a", "r1", lambda: _body("new a")) == ("r1", _body("a"))
    assert cache.get("b", "r1", lambda: _body("new b")) == ("r1", _body("new b"))
    assert cache.get("b", "r2", lambda: _body("b at r2")) == ("r2", _body("b at r2"))
    assert cache.renders == 5


def test_threads_asking_for_one_missing_page_render_it_once() -> None:
    cache = RenderCache(entries=4)
    release = threading.Event()
    calls: list[int] = []

    def render() -> Rendered:
        calls.append(1)
        release.wait()
        return _body("page")

    results: list[tuple[str, Rendered]] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", "r", render)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join()
    assert results == [("r", _body("page"))] * 8 and len(calls) == 1


def test_while_a_page_renders_anew_the_others_get_the_body_it_replaces() -> None:
    cache = RenderCache(entries=4)
    cache.get("k", "r1", lambda: _body("old"))
    rendering, release = threading.Event(), threading.Event()

    def render() -> Rendered:
        rendering.set()
        release.wait()
        return _body("new")

    renderer = threading.Thread(target=cache.get, args=("k", "r2", render))
    renderer.start()
    rendering.wait()
    assert cache.get("k", "r2", lambda: _body("again")) == ("r1", _body("old"))
    release.set()
    renderer.join()
    assert cache.get("k", "r2", lambda: _body("again")) == ("r2", _body("new"))
    assert cache.renders == 2


def test_the_revision_is_read_once_per_max_age() -> None:
    reads: list[str] = []
    now = [100.0]

    def read() -> str:
        reads.append(f"r{len(reads)}")
        return reads[-1]

    revision = Revision(read, max_age=1.0, clock=lambda: now[0])
    assert [revision.current(), revision.current()] == ["r0", "r0"]
    now[0] += 0.99
    assert revision.current() == "r0"
    now[0] += 0.01
    assert revision.current() == "r1" and len(reads) == 2
    assert Revision(read, max_age=0).current() == "r2"  # 0: read at every request


def test_with_a_max_age_kept_pages_are_sent_without_reading_the_store(
    served: Served, other: Store
) -> None:
    app = create_app(Newsroom(Settings(), store=served.store), revision_max_age=3600)
    config: WebConfig = app.state.config
    with TestClient(app) as client:
        first = client.get(f"/stories/{STORY}.html")
        # Not looked at for now:
        other.save_digest(one_source_digest(served.article, 2, FOUR), "set-2")
        again = client.get(f"/stories/{STORY}.html")
        same = client.get(
            f"/stories/{STORY}.html", headers={"If-None-Match": first.headers["etag"]}
        )
    assert again.text == first.text and FOUR not in again.text and config.pages.renders == 1
    assert same.status_code == 304
