"""Front page order and marks: a closed story ranks below every open one and is never marked
"new" or "updated", however many outlets reported it."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdistill.web.frontpage import FrontItem, rank
from tests.web.conftest import Newsdesk

pytestmark = pytest.mark.slow  # the pipeline fills the store: MiniLM embeds every article


def _item(desk: Newsdesk, story_id: str, closed: bool) -> FrontItem:
    store = desk.room.store
    story = store.get_story(story_id)
    digest = store.latest_digest(story_id)
    assert digest is not None
    if closed:
        story = story.model_copy(update={"closed_at": dt.datetime(2026, 11, 30, tzinfo=dt.UTC)})
    return FrontItem(story, digest)


def test_closed_story_ranks_last_and_has_no_mark(desk: Newsdesk) -> None:
    open_ferry = _item(desk, desk.ferry.id, closed=False)
    assert open_ferry.mark == "updated"  # version 2, three outlets: it leads when open
    assert _item(desk, desk.hostile.id, closed=False).mark == "new"
    closed_ferry = _item(desk, desk.ferry.id, closed=True)
    others = [_item(desk, s.id, closed=False) for s in (desk.fire, desk.hostile)]
    assert rank([open_ferry, *others])[0] is open_ferry
    ranked = rank([closed_ferry, *others])
    assert ranked[-1] is closed_ferry and closed_ferry.mark is None


def test_topic_feeds_hold_only_that_topics_stories(desk: Newsdesk) -> None:
    # No feed in the test store has a topic: a topic's feeds are empty, the full feed is not.
    atom = desk.client.get("/topics/harbours/feed.atom")
    assert atom.status_code == 200 and "<entry>" not in atom.text
    assert "<entry>" in desk.client.get("/feed.atom").text
    assert desk.client.get("/topics/harbours/feed.json").json()["items"] == []
    assert desk.client.get("/api/stories", params={"topic": "harbours"}).json() == []


def test_a_topic_page_links_its_own_feeds(desk: Newsdesk) -> None:
    page = desk.client.get("/", params={"topic": "Harbours & ports/Europe"}).text
    atom = "http://testserver/topics/Harbours%20%26%20ports/Europe/feed.atom"
    assert f'href="{atom}"' in page
    assert f'href="{atom.replace(".atom", ".json")}"' in page
    # The link reaches that topic's feed (empty here: no feed in the test store has a topic).
    feed = desk.client.get(atom)
    assert feed.status_code == 200
    assert "<title>Test desk: Harbours &amp; ports/Europe</title>" in feed.text
    assert "feed.atom" not in desk.client.get("/").text.split("<main", 1)[1]
