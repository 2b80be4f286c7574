"""Full-text search in the store (SQLite FTS5, migration 0003) and where it is not available."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import create_mock_engine

from newsdistill.config import Settings
from newsdistill.errors import SearchUnsupportedError
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from newsdistill.store.repository import MIGRATIONS
from newsdistill.web import create_app
from tests.web.conftest import Newsdesk

pytestmark = pytest.mark.slow  # the pipeline fills the store: MiniLM embeds every article


def test_a_word_of_a_story_finds_it(desk: Newsdesk) -> None:
    store = desk.room.store
    stories, articles = store.search("hectares")
    assert [s.id for s in stories] == [desk.fire.id]
    assert {a.story_id for a in articles} == {desk.fire.id} and len(articles) == 2
    # Stemmed and folded: "Evacuation"/"evacuated" share a stem; every word must match.
    assert [s.id for s in store.search("EVACUATED residents")[0]] == [desk.fire.id]
    assert store.search("ferry hectares") == ([], [])


def test_the_newest_digest_is_what_a_story_is_found_by(desk: Newsdesk) -> None:
    # Version 2 of the ferry digest has the new headline; version 1's words still find the
    # story through its articles.
    stories, articles = desk.room.store.search("rises")
    assert [s.id for s in stories] == [desk.ferry.id]
    assert [a.outlet for a in articles] == ["Island Courier"]


def test_any_typed_text_is_a_valid_query(desk: Newsdesk) -> None:
    store = desk.room.store
    for query in ['"', "ferry AND (", "NEAR(", "*", "title:", "-", ""]:
        stories, _ = store.search(query)
        assert all(isinstance(s.id, str) for s in stories)
    # Operators are words too: with OR as an operator this would find both stories.
    assert store.search('ferry" OR "wildfire') == ([], [])


def test_upgrading_an_older_database_indexes_what_it_holds(desk: Newsdesk, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    source = desk.room.store.engine.raw_connection()
    try:
        target = sqlite3.connect(copy)
        source.driver_connection.backup(target)  # type: ignore[union-attr]
        target.close()
    finally:
        source.close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    store = Store.open(f"sqlite:///{copy}")
    try:
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        store.migrate()  # what opening an old database does
        assert [s.id for s in store.search("hectares")[0]] == [desk.fire.id]
        assert len(store.search("crowns")[1]) == 3
    finally:
        store.close()


def test_other_databases_say_search_is_not_supported_yet(desk: Newsdesk) -> None:
    engine = create_mock_engine("postgresql://", lambda *_a, **_k: None)
    store = Store(engine)  # type: ignore[arg-type]
    with pytest.raises(SearchUnsupportedError, match="not supported on postgresql yet"):
        store.search("ferry")
    client = TestClient(create_app(Newsroom(Settings(), store=store)))
    api = client.get("/api/search", params={"q": "ferry"})
    assert api.status_code == 501 and "not supported on postgresql" in api.json()["detail"]
    page = client.get("/", params={"q": "ferry"})
    assert page.status_code == 501 and "not supported on postgresql" in page.text
