"""Shared fixtures: article factories and a fresh store per test.

The database the store, pipeline, web and watch tests run on comes from one place,
NEWSDISTILL_TEST_DB: unset, each test gets a new SQLite file; a PostgreSQL URL (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test), each test gets a new, empty database on
that server, dropped afterwards. A database per test rather than a schema per test: the store
and its migrations see exactly what a user's database gives them, and parallel workers
(pytest-xdist) never share one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from newsdistill import dedupe
from newsdistill.models import Article
from newsdistill.nlp.sentences import split_sentences
from newsdistill.store import Store
from newsdistill.store.scratch import scratch_database

# Every test server listens on 127.0.0.1, which fetching refuses unless it is allowed; set
# before any Settings is made (get_settings caches one). The guard's own tests pass their own
# fetch_allow, which overrides this.
os.environ["NEWSDISTILL_FETCH_ALLOW"] = "127.0.0.1"

_ids = itertools.count(1)

TEST_DB = os.environ.get("NEWSDISTILL_TEST_DB", "")
if TEST_DB and not TEST_DB.startswith("postgresql"):
    raise pytest.UsageError(f"NEWSDISTILL_TEST_DB must be a postgresql URL, not {TEST_DB!r}")
ON_POSTGRESQL = bool(TEST_DB)


def sqlite_only(why: str) -> pytest.MarkDecorator:
    """Skip a test of SQLite itself (its files, FTS5, its locking) when the suite runs on
    PostgreSQL; `why` says what is SQLite-specific about it."""
    return pytest.mark.skipif(ON_POSTGRESQL, reason=f"SQLite only: {why}")


def fresh_database(folder: Path, name: str = "test") -> AbstractContextManager[str]:
    """The URL of a new, empty database: `folder`/`name`.db, or on NEWSDISTILL_TEST_DB's
    server a uniquely named database that is dropped (connections and all) afterwards."""
    return scratch_database(TEST_DB if ON_POSTGRESQL else "sqlite://", folder, name)


def make_article(
    text: str,
    *,
    title: str = "A report",
    outlet: str = "Test Outlet",
    published: dt.datetime | None = None,
    url: str | None = None,
    article_id: int | None = None,
) -> Article:
    n = next(_ids)
    return Article(
        id=article_id,
        url=url or f"https://example.test/{n}",
        title=title,
        text=text,
        sentences=split_sentences(text),
        outlet=outlet,
        published=published or dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC),
        content_hash=dedupe.content_hash(text),
    )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database (see the module's docstring)."""
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def store(database: str) -> Iterator[Store]:
    s = Store.open(database)
    yield s
    s.close()
