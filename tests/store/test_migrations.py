"""The Alembic head builds exactly the schema that store/tables.py declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from newsdistill.store import Store
from newsdistill.store.tables import Base


def drift(store: Store) -> list[Any]:
    """What autogenerate would write into a new migration for this database."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
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
