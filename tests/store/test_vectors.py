"""The nearest-story lookup (store/vectors.py): the store says which path it takes, in-process
cosine over the window's stories where the database has no pgvector (SQLite, this machine's
PostgreSQL), the pgvector index where it has; and the index path clusters as the other does.

The pgvector tests run on a PostgreSQL server with pgvector that the `pgserver` package (a
dev dependency) brings along with its own binaries, in a temporary directory; without
pgserver they are skipped and say so.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from newsdistill.cli.app import app
from newsdistill.cluster import ClusterState
from newsdistill.config import Settings
from newsdistill.demo import BASE_PLACEHOLDER, SITE, allowing, serve_corpus
from newsdistill.nlp.embed import get_embedder
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store, vectors
from tests.conftest import ON_POSTGRESQL, make_article

NOON = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(hours=72)


def _server_has_pgvector(store: Store) -> bool:
    with store.engine.connect() as conn:
        return bool(
            conn.scalar(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"))
        )


def test_the_store_says_which_path_it_takes_on_the_test_database(store: Store) -> None:
    if not ON_POSTGRESQL:
        assert not store.lookup.indexed
        assert store.lookup.describe(7) == (
            "in-process cosine over the 7 stories active in the window (sqlite has no pgvector)"
        )
    elif _server_has_pgvector(store):
        assert store.lookup.indexed
    else:  # this machine's PostgreSQL 15
        assert not store.lookup.indexed
        assert store.lookup.why == "this PostgreSQL server has no pgvector extension"
    if not store.lookup.indexed:
        # The in-process path: no query, every story of the window is scored.
        assert store.nearest_stories(np.ones(4, dtype=np.float32), NOON, WINDOW, 5) is None


def test_the_path_is_logged_once_per_process(
    database: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vectors, "_said", set())
    with caplog.at_level(logging.INFO, logger="newsdistill.store.vectors"):
        for _ in range(2):
            Store.open(database).close()
    said = [r.getMessage() for r in caplog.records if r.name == "newsdistill.store.vectors"]
    assert len(said) == 1
    assert said[0].startswith("nearest-story lookup: ")


def test_status_prints_the_lookup_path(database: str) -> None:
    store = Store.open(database)
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    _story(store, "recent", [1.0, 0.0], updated=recent)
    _story(store, "old", [1.0, 0.0], updated=recent - 2 * WINDOW)
    store.close()

    result = CliRunner().invoke(app, ["--db", database, "status"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "0 feeds, 2 articles (2 clustered), 2 stories, 0 digests"
    # Of the stories, only the one updated within the window (72 h) counts as active.
    assert lines[1] == "nearest-story lookup: " + store.lookup.describe(1, 50)


# --- the pgvector server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def pgvector_server() -> Iterator[str]:
    """The URL of a PostgreSQL server with pgvector (pgserver's), for this module. Its data
    lives outside pytest's base temporary directory, which another pytest run on the machine
    may delete while this one runs: the server would lose its files under it."""
    pgserver = pytest.importorskip(
        "pgserver", reason="pgserver (dev extra) brings the PostgreSQL with pgvector these need"
    )
    with (
        tempfile.TemporaryDirectory(prefix="newsdistill-pgvector-") as data,
        pgserver.get_server(data, cleanup_mode="stop") as server,
    ):
        yield server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture
def pgvector_database(pgvector_server: str) -> Iterator[str]:
    """A new, empty database on the pgvector server, dropped afterwards."""
    name = f"newsdistill_test_{uuid.uuid4().hex}"
    admin = create_engine(pgvector_server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield pgvector_server.replace("/postgres?", f"/{name}?", 1)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _story(
    store: Store, key: str, meaning: list[float], updated: dt.datetime = NOON
) -> ClusterState:
    """A one-article story whose centroid is `meaning` followed by a multilingual part, which
    the index leaves out."""
    article, _ = store.add_article(make_article(f"Report {key}.", published=updated))
    assert article.id is not None
    embedding = np.array(meaning, dtype=np.float32)
    state = ClusterState(
        story_id=f"s{key}",
        centroid=np.concatenate([embedding, np.full(3, 9.0, dtype=np.float32)]),
        profile={},
        first_published=updated,
        last_updated=updated,
        article_count=1,
        headline=key,
        members=[article.id],
    )
    store.assign_story(article.id, state, embedding, None, {})
    return state


def test_pgvector_is_detected_and_set_up(pgvector_database: str) -> None:
    store = Store.open(pgvector_database)
    try:
        assert store.lookup.indexed
        assert store.lookup.describe(12, 50) == (
            "pgvector index: the 50 nearest of the 12 stories active in the window "
            f"({store.lookup.why})"
        )
        _story(store, "a", [1.0, 0.0])
        store.nearest_stories(np.array([1.0, 0.0], dtype=np.float32), NOON, WINDOW, 5)
        with store.engine.connect() as conn:
            stored = conn.scalar(text("SELECT meaning::text FROM stories WHERE id = 'sa'"))
            indexes = conn.scalars(text("SELECT indexname FROM pg_indexes")).all()
        assert stored == "[1,0]"  # the embedding part of the centroid only
        assert "ix_stories_meaning_2" in indexes
    finally:
        store.close()
    # Reopening finds it all set up and takes the same path.
    again = Store.open(pgvector_database)
    assert again.lookup.indexed
    again.close()


def test_the_k_nearest_stories_of_the_window_by_the_clusterers_meaning(
    pgvector_database: str,
) -> None:
    store = Store.open(pgvector_database)
    try:
        _story(store, "east", [1.0, 0.0])
        _story(store, "northeast", [0.7, 0.7])
        _story(store, "north", [0.0, 1.0])
        _story(store, "old-east", [1.0, 0.0], updated=NOON - 2 * WINDOW)
        grown = _story(store, "west", [-1.0, 0.0])
        # The story grows towards the article: its centroid, and so its meaning, is rewritten.
        grown.centroid = np.array([0.9, 0.1, 9.0, 9.0, 9.0], dtype=np.float32)
        store.assign_story(grown.members[0], grown, np.array([0.9, 0.1], np.float32), None, {})
        with store.engine.begin() as conn:  # a story stored before pgvector was set up
            conn.execute(
                text(
                    "INSERT INTO stories (id, headline, first_published, last_updated, centroid,"
                    " profile, article_count) VALUES ('sbefore', 'b', :t, :t, :c, '{}', 1)"
                ),
                {"t": NOON, "c": np.zeros(5, dtype=np.float32).tobytes()},
            )

        east = np.array([1.0, 0.0], dtype=np.float32)
        found = store.nearest_stories(east, NOON + dt.timedelta(hours=1), WINDOW, 2)

        # The two nearest in the window (not the older twin of "east", out of it), and the
        # story the index does not cover yet.
        assert found == {"seast", "swest", "sbefore"}

        with store.session() as s:
            s.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(
                s.scalars(
                    text(
                        "EXPLAIN SELECT id FROM stories WHERE vector_dims(meaning) = 2"
                        " ORDER BY meaning::vector(2) <#> CAST('[1,0]' AS vector(2)) LIMIT 2"
                    )
                )
            )
        assert "ix_stories_meaning_2" in plan
    finally:
        store.close()


def _stories_of_the_demo(url: str, home: Path, nearest: int) -> set[frozenset[str]]:
    """Fetch and cluster the demo corpus into the database at `url`: each story's article
    URLs (the feeds' host and port differ by run, so only their paths)."""
    settings = Settings(home=home, db=url, fetch_robots=False, nearest_stories=nearest)
    store = Store.open(url)
    try:
        with serve_corpus() as base:
            room = Newsroom(allowing(settings, base), store, embedder=get_embedder(settings))
            opml = home / "demo-feeds.opml"
            opml.write_bytes(
                (SITE / "opml.xml").read_bytes().replace(BASE_PLACEHOLDER, base.encode())
            )
            room.import_opml(opml)
            room.fetch()
            room.process()
            path = base.rstrip("/")
            return {
                frozenset(a.url.removeprefix(path) for a in store.story_articles(s.id)[0])
                for s in store.list_stories()
            }
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("nearest", [50, 3])
def test_the_index_path_clusters_the_demo_corpus_as_the_in_process_path(
    pgvector_database: str, tmp_path: Path, nearest: int
) -> None:
    in_process = _stories_of_the_demo(f"sqlite:///{tmp_path / 'demo.db'}", tmp_path, nearest)
    indexed = _stories_of_the_demo(pgvector_database, tmp_path, nearest)
    assert len(in_process) > 3  # so k=3 is a real cut
    assert indexed == in_process
