"""The Alembic head builds exactly the schema that store/tables.py declares, and upgrading
mends what earlier versions stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from newsdistill.store import Store
from newsdistill.store.repository import MIGRATIONS
from newsdistill.store.tables import Base, is_mapped_schema


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


def test_the_migrated_schema_matches_the_tables(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert drift(store) == []
    finally:
        store.close()


def test_the_comparison_sees_a_missing_index(tmp_path: Path) -> None:
    """So an empty diff above means the schemas agree, not that nothing was compared."""
    store = Store.open(f"sqlite:///{tmp_path / 'drifted.db'}")
    try:
        with store.engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_articles_canonical_url"))
        [(op, index)] = drift(store)
        assert (op, index.name) == ("add_index", "ix_articles_canonical_url")
    finally:
        store.close()


def test_upgrading_places_the_copies_an_earlier_version_left_without_a_story(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text("INSERT INTO stories VALUES ('s1', 'Ferry terminal', :t, :t, x'00', '{}', 1);"),
            {"t": "2026-11-18 09:00:00"},
        )
        for article_id, status, story, original in [
            (1, "clustered", "s1", None),
            (2, "duplicate", None, 1),  # what the old dedupe left behind
        ]:
            conn.execute(
                text(
                    "INSERT INTO articles (id, url, title, text, sentences, outlet, published,"
                    " content_hash, status, duplicate_of, story_id, profile) VALUES (:id, :url,"
                    " 't', 'x', '[]', 'o', '2026-11-18 09:00:00', 'h', :status, :original,"
                    " :story, '{}')"
                ),
                {
                    "id": article_id,
                    "url": f"https://a.test/{article_id}",
                    "status": status,
                    "original": original,
                    "story": story,
                },
            )
    engine.dispose()

    store = Store.open(url)
    try:
        kept, copies = store.story_articles("s1")
        assert ([a.id for a in kept], [a.id for a in copies]) == ([1], [2])
    finally:
        store.close()
