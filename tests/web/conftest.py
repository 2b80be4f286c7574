"""A store filled by the real pipeline (ingest → cluster → distill) from local JSON files,
served by the web app through FastAPI's TestClient.

Three stories: the Port Velma ferry terminal and the Drennan wildfire (the CLI tests' corpus,
two outlets each) and a hostile one whose title, text, outlet and URL try to inject markup.
Then a third outlet reports the ferry story with a new figure, and the ferry digest gets a
second version; the Atom feed is kept from before and after.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdistill.config import Settings
from newsdistill.models import Story
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from newsdistill.web import create_app
from tests.cli.conftest import ARTICLES
from tests.conftest import fresh_database

TOKEN = "s3cret-write-token"
HOSTILE_TITLE = '<script>alert("title")</script> Crane topples onto Saltmarsh quay'
HOSTILE_OUTLET = "Quay\u202eNews"  # a right-to-left override inside the name
HOSTILE_URL = "javascript:alert(document.cookie)"
HOSTILE_TEXT = (
    "A harbour crane toppled onto the Saltmarsh quay on Thursday, crushing two parked lorries, "
    'port staff said. <img src=x onerror=alert("body")> No one was hurt when the crane fell, '
    "the Saltmarsh harbour master said. The crane had been due for an inspection next month."
)
LATE_FERRY = (
    "The new ferry terminal at Port Velma opens in March, the harbour board confirmed on "
    "Thursday. The board now puts the cost of the terminal at 91 million crowns, up from an "
    "earlier estimate. Passenger numbers are expected to double by 2028, officials said."
)


def _record(path: str, outlet: str, title: str, text: str, published: str) -> dict[str, str]:
    return {
        "url": f"https://news.test{path}",
        "outlet": outlet,
        "title": title,
        "text": text,
        "published": published,
    }


@dataclass
class Newsdesk:
    room: Newsroom
    client: TestClient
    ferry: Story
    fire: Story
    hostile: Story
    atom_before: str  # /feed.atom with the ferry digest at version 1
    json_feed_before: str


def _ingest(room: Newsroom, folder: Path, name: str, records: list[dict[str, str]]) -> None:
    path = folder / name
    path.write_text(json.dumps(records), encoding="utf-8")
    report = room.ingest([str(path)])
    assert report.added == len(records) and report.failed == 0
    room.process()
    distilled = room.distill()
    assert not distilled.failed, distilled.failed


# Built once per test process: filling the store runs the whole pipeline.
@pytest.fixture(scope="session")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsdesk]:
    home = tmp_path_factory.mktemp("web")
    with fresh_database(home, "news") as url:
        yield from _filled_desk(Settings(home=home, db=url))


def _filled_desk(settings: Settings) -> Iterator[Newsdesk]:
    home = settings.home
    store = Store.open(settings.database_url())
    room = Newsroom(settings, store=store)
    first = [
        _record(path, outlet, title, body, "2026-11-17T08:00:00+00:00")
        for path, (outlet, title, body) in ARTICLES.items()
    ]
    first.append(
        _record("/quay/crane", HOSTILE_OUTLET, HOSTILE_TITLE, HOSTILE_TEXT, "2026-11-19T10:00Z")
    )
    first[-1]["url"] = HOSTILE_URL
    _ingest(room, home, "first.json", first)
    room.add_feed("https://news.test/velma/rss.xml", "Velma Herald")

    client = TestClient(create_app(room, site_title="Test desk", write_token=TOKEN))
    atom_before = client.get("/feed.atom").text
    json_feed_before = client.get("/feed.json").text
    late = _record(
        "/islands/ferry",
        "Island Courier",
        "Port Velma ferry terminal cost rises",
        LATE_FERRY,
        "2026-11-19T09:00:00+00:00",
    )
    _ingest(room, home, "late.json", [late])

    by_word: dict[str, Story] = {}
    for story in store.list_stories():
        for word in ("ferry", "wildfire", "crane"):
            if word in story.headline.casefold():
                by_word[word] = story
    assert set(by_word) == {"ferry", "wildfire", "crane"}, [
        s.headline for s in store.list_stories()
    ]
    yield Newsdesk(
        room,
        client,
        by_word["ferry"],
        by_word["wildfire"],
        by_word["crane"],
        atom_before,
        json_feed_before,
    )
    store.close()
