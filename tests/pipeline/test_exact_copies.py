"""Exact copies through `Newsroom.process`: the same article at two URLs is kept once, and
whatever order the copies arrive in, every one of them ends up in a story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdistill.config import Settings
from newsdistill.models import Article, ArticleStatus
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from tests.conftest import make_article
from tests.evaluation.conftest import HashEmbedder

T0 = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)
CANONICAL = "https://velma-herald.test/2026/11/18/ferry-terminal-opens"
BODY = (
    "Harbour officials in Port Velma said the new ferry terminal would open in March. "
    "The terminal cost 84 million crowns, according to the port authority."
)
# What two renderings of one page add around the article: enough to change the content hash
# and to keep MinHash below the near-duplicate threshold, so only the canonical URL tells.
PAGE_TEXT = BODY + " Read more: Port Velma news, weather and sport, every day."
AMP_TEXT = "Velma Herald AMP edition. " + BODY + " Share this story with a friend."


@pytest.fixture
def room(tmp_path: Path, database: str) -> Iterator[Newsroom]:
    settings = Settings(home=tmp_path, db=database)
    store = Store.open(settings.database_url())
    yield Newsroom(settings, store, embedder=HashEmbedder())
    store.close()


def stored(room: Newsroom, text: str, url: str, published: dt.datetime) -> Article:
    article = make_article(text, title="Ferry terminal to open in March", published=published)
    article = article.model_copy(update={"url": url, "canonical_url": CANONICAL})
    return room.store.add_article(article)[0]


def test_two_urls_with_one_canonical_link_make_one_story_and_one_duplicate(
    room: Newsroom,
) -> None:
    page = stored(room, PAGE_TEXT, CANONICAL, T0)
    amp = stored(room, AMP_TEXT, CANONICAL + "?amp=1", T0 + dt.timedelta(minutes=5))
    assert page.content_hash != amp.content_hash

    report = room.process()

    assert (report.processed, report.duplicates, report.new_stories) == (2, 1, 1)
    [story] = room.store.list_stories()
    kept, copies = room.store.story_articles(story.id)
    assert [a.id for a in kept] == [page.id]
    assert [(a.id, a.status, a.duplicate_of) for a in copies] == [
        (amp.id, ArticleStatus.DUPLICATE, page.id)
    ]


def test_a_copy_published_before_its_lower_id_original_still_gets_a_story(
    room: Newsroom,
) -> None:
    """The copy is stored after the original but dated earlier, so it is processed first,
    while the original is still unplaced."""
    original = stored(room, PAGE_TEXT, CANONICAL, T0)
    copy = stored(room, PAGE_TEXT, CANONICAL + "?amp=1", T0 - dt.timedelta(hours=1))
    assert original.id is not None and copy.id is not None and original.id < copy.id

    room.process()

    placed = room.store.get_articles([original.id, copy.id])
    assert all(a.story_id is not None for a in placed), placed
    assert len({a.story_id for a in placed}) == 1
    # The first one processed (the earlier-dated copy) is the one kept.
    assert [a.status for a in placed] == [ArticleStatus.DUPLICATE, ArticleStatus.CLUSTERED]
    assert placed[0].duplicate_of == copy.id
    assert room.store.pending_articles() == []


def test_articles_whose_canonical_link_is_the_home_page_are_not_copies(room: Newsroom) -> None:
    """Some sites point every page's canonical link at their home page."""
    home = "https://velma-herald.test/"
    for i, text in enumerate([PAGE_TEXT, "Rail workers on the Saltmarsh line begin a strike."]):
        article = make_article(text, published=T0 + dt.timedelta(minutes=i))
        room.store.add_article(article.model_copy(update={"canonical_url": home}))

    report = room.process()

    assert (report.processed, report.duplicates) == (2, 0)
