"""A database that is full, read-only or locked is a clear error, the interrupted transaction
is rolled back, and what was stored before is intact."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event

from newsdistill.errors import DatabaseError, StoreError
from newsdistill.store import Store
from tests.conftest import make_article, sqlite_only

pytestmark = sqlite_only("a full disk, a read-only file and a held lock of SQLite files")


def _filled(path: Path) -> Store:
    store = Store.open(f"sqlite:///{path}")
    store.add_feed("https://a.test/feed.xml", "A")
    store.add_article(make_article("The ferry terminal opens in March, the board said."))
    return store


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    _filled(path).close()
    store = Store.open(f"sqlite:///{path}")
    # SQLite answers SQLITE_FULL, as on a full disk, once the file may not grow any more.
    store.engine.dispose()

    def cap(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(store.engine, "connect", cap)
    with pytest.raises(DatabaseError, match="the disk is full: free some space"):
        for n in range(200):
            store.add_article(make_article(f"Report number {n}. " + "A long sentence. " * 400))
    store.close()

    reopened = Store.open(f"sqlite:///{path}")
    assert [f.title for f in reopened.list_feeds()] == ["A"]
    assert reopened.counts()["articles"] == {"ready": 1}  # nothing half-stored by the failure
    reopened.close()
    assert _integrity(path) == "ok"


def test_a_read_only_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    _filled(path).close()
    store = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert [f.url for f in store.list_feeds()] == ["https://a.test/feed.xml"]  # reading works
    with pytest.raises(DatabaseError, match="the database is read-only: check the permissions"):
        store.add_feed("https://b.test/feed.xml")
    store.close()
    assert _integrity(path) == "ok"


def test_a_locked_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    _filled(path).close()
    # A short busy timeout instead of the store's 10 s, so the test need not wait that long.
    store = Store(create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1}))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        with pytest.raises(DatabaseError, match="the database is locked: another newsdistill"):
            store.add_feed("https://b.test/feed.xml")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.add_feed("https://b.test/feed.xml")  # once the other writer is done, it works
    assert len(store.list_feeds()) == 2
    store.close()


def test_the_cli_says_what_to_do_and_exits_3_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    _filled(path).close()
    db = f"sqlite:///file:{path}?mode=ro&uri=true"
    result = subprocess.run(
        [sys.executable, "-m", "newsdistill", "--db", db, "feeds", "add", "https://b.test/f.xml"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert "Error: the database is read-only" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_postgresql_driver_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    with pytest.raises(StoreError, match=r"pip install 'newsdistill\[postgres\]'"):
        Store.open("postgresql+psycopg://postgres@127.0.0.1:5432/test")
