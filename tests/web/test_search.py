"""Full-text search over a store the pipeline filled: SQLite FTS5 (migration 0003) or
PostgreSQL text search (migration 0005), whichever the suite runs on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from newsdistill.store import Store
from newsdistill.store.repository import MIGRATIONS
from tests.conftest import sqlite_only
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


@sqlite_only("copies the desk's SQLite file (tests/store/test_search.py upgrades on both)")
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
