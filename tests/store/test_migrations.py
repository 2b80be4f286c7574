"""The Alembic head builds exactly the schema that store/tables.py declares, and upgrading
mends what earlier versions stored."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, create_engine, text

from newsdistill.store import Store
from newsdistill.store.repository import MIGRATIONS
from newsdistill.store.tables import Base, UTCDateTime, is_mapped_schema
from tests.conftest import ON_POSTGRESQL, sqlite_only


def drift(store: Store) -> list[Any]:
    """What autogenerate would write into a new migration for this database."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": is_mapped_schema,
            },
        )
        return list(compare_metadata(context, Base.metadata))


def test_the_migrated_schema_matches_the_tables(store: Store) -> None:
    assert drift(store) == []


def test_the_comparison_sees_a_missing_index(store: Store) -> None:
    """So an empty diff above means the schemas agree, not that nothing was compared."""
    with store.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_articles_canonical_url"))
    [(op, index)] = drift(store)
    assert (op, index.name) == ("add_index", "ix_articles_canonical_url")


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="PostgreSQL only: its migrations take an advisory lock (SQLite's are not serialized)",
)
def test_processes_opening_a_new_database_at_once_take_turns_migrating(database: str) -> None:
    opening = f"from newsdistill.store import Store; Store.open({database!r}).close()"
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    processes = [
        subprocess.Popen([sys.executable, "-c", opening], env=env, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    failures = [p.communicate(timeout=120)[1] for p in processes if p.wait(120) != 0]
    assert failures == []
    store = Store.open(database)
    try:
        assert drift(store) == []
    finally:
        store.close()


def test_upgrading_places_the_copies_an_earlier_version_left_without_a_story(
    database: str,
) -> None:
    engine = create_engine(database)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    published = dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text(
                "INSERT INTO stories VALUES ('s1', 'Ferry terminal', :t, :t, :centroid, '{}', 1)"
            ).bindparams(bindparam("t", type_=UTCDateTime)),
            {"t": published, "centroid": b"\x00"},
        )
        for article_id, status, story, original in [
            (1, "clustered", "s1", None),
            (2, "duplicate", None, 1),  # what the old dedupe left behind
        ]:
            conn.execute(
                text(
                    "INSERT INTO articles (id, url, title, text, sentences, outlet, published,"
                    " content_hash, status, duplicate_of, story_id, profile) VALUES (:id, :url,"
                    " 't', 'x', '[]', 'o', :published, 'h', :status, :original, :story, '{}')"
                ).bindparams(bindparam("published", type_=UTCDateTime)),
                {
                    "id": article_id,
                    "url": f"https://a.test/{article_id}",
                    "published": published,
                    "status": status,
                    "original": original,
                    "story": story,
                },
            )
    engine.dispose()

    store = Store.open(database)
    try:
        kept, copies = store.story_articles("s1")
        assert ([a.id for a in kept], [a.id for a in copies]) == ([1], [2])
    finally:
        store.close()


# The store the previous release (schema 0003) made of the demo corpus, kept as it was written:
# `newsdistill demo` at commit 6ff747e, then VACUUM. Every later schema must open it unharmed.
PREVIOUS_RELEASE = Path(__file__).parent / "data" / "store-0003.db"


def _counts(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {
            table: conn.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in ("feeds", "articles", "stories", "digests", "citations")
        }
        counts["articles with a feed"] = conn.scalar(
            text("SELECT count(*) FROM articles WHERE feed_id IS NOT NULL")
        )
        counts["digest bodies"] = sorted(
            r[0] for r in conn.execute(text("SELECT body FROM digests"))
        )
        counts["integrity"] = conn.scalar(text("PRAGMA integrity_check"))
    engine.dispose()
    return counts


@sqlite_only("the previous release's store is a SQLite file")
def test_a_store_of_the_previous_release_upgrades_without_losing_anything(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(PREVIOUS_RELEASE.read_bytes())
    url = f"sqlite:///{path}"
    before = _counts(url)
    assert before["articles"] == before["articles with a feed"] == 60

    store = Store.open(url)
    try:
        assert drift(store) == []
        stories = store.list_stories()
        assert len(stories) == before["stories"]
        assert all(s.closed_at is None and s.digest_version >= 1 for s in stories)
        assert all(f.poll_interval is None and f.next_poll_at is None for f in store.list_feeds())
        found, _ = store.search("ferry")
        assert found  # the full-text index came through
    finally:
        store.close()
    assert _counts(url) == before | {"integrity": "ok"}
