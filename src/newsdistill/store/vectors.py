"""The nearest-story lookup: which stories a new article is scored against.

Only stories active in the article's time window are candidates, on every database. Without
pgvector (SQLite, or a PostgreSQL server that lacks the extension) the clusterer scores every
one of them in process. Where the server has pgvector, `prepare` creates the extension and a
`stories.meaning` column (the embedding part of the centroid, kept by `record` whenever a
story is written), and `nearest` asks an HNSW index for the k stories of the window whose
centroid has the largest inner product with the article's embedding: the very quantity the
clusterer's meaning score is (`Clusterer.meaning`), so the index ranks as the clusterer does.

The column has no fixed dimension (it depends on the configured embedder), so each dimension
gets its own partial expression index, `ix_stories_meaning_<dim>`, made on the first lookup
of that dimension.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from newsdistill.cluster import Vector

log = logging.getLogger(__name__)

# hnsw.ef_search: how many rows one index scan returns; pgvector's default, and its bound.
_MIN_EF_SEARCH = 40
_MAX_EF_SEARCH = 1000
_said: set[str] = set()


@dataclass(frozen=True)
class Lookup:
    """Which nearest-story path a store takes, and why."""

    indexed: bool  # the pgvector index, else in-process cosine over the window's stories
    why: str

    def describe(self, active: int | None = None, k: int | None = None) -> str:
        stories = "the stories" if active is None else f"the {active} stories"
        if self.indexed:
            nearest = "the nearest" if k is None else f"the {k} nearest"
            return f"pgvector index: {nearest} of {stories} active in the window ({self.why})"
        return f"in-process cosine over {stories} active in the window ({self.why})"


def prepare(conn: Connection) -> Lookup:
    """Detect pgvector and, where the server offers it, set up the column it needs (idempotent:
    run at every open, so an extension installed later is taken up by the next one)."""
    if conn.dialect.name != "postgresql":
        return Lookup(False, f"{conn.dialect.name} has no pgvector")
    if not conn.scalar(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")):
        return Lookup(False, "this PostgreSQL server has no pgvector extension")
    savepoint = conn.begin_nested()
    try:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
    except DBAPIError:
        # Not a trusted extension: a superuser must create it once in the database.
        savepoint.rollback()
        return Lookup(
            False, "pgvector is on the server but this user may not run CREATE EXTENSION vector"
        )
    savepoint.commit()
    conn.execute(text("ALTER TABLE stories ADD COLUMN IF NOT EXISTS meaning vector"))
    version = conn.scalar(text("SELECT extversion FROM pg_extension WHERE extname = 'vector'"))
    return Lookup(True, f"pgvector {version}")


def announce(lookup: Lookup) -> None:
    """Log the path at INFO, once per process (stores are opened many times in one)."""
    said = lookup.describe()
    if said not in _said:
        _said.add(said)
        log.info("nearest-story lookup: %s", said)


def _literal(vector: Vector) -> str:
    # float32 → Python float is exact, and its shortest repr reads back as the same float4.
    return "[" + ",".join(map(str, vector.tolist())) + "]"


def record(session: Session, story_id: str, meaning: Vector) -> None:
    """Store a story's centroid's embedding part, in the transaction that writes the story."""
    session.execute(
        text("UPDATE stories SET meaning = CAST(:meaning AS vector) WHERE id = :id"),
        {"meaning": _literal(meaning), "id": story_id},
    )


def ensure_index(conn: Connection, dim: int, lock_key: int) -> None:
    """The HNSW index over the stories whose meaning has `dim` dimensions. Processes take
    turns through the migration's advisory lock, so only one creates it."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
    conn.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS ix_stories_meaning_{dim} ON stories"
            f" USING hnsw ((meaning::vector({dim})) vector_ip_ops)"
            f" WHERE vector_dims(meaning) = {dim}"
        )
    )


def nearest(
    session: Session, embedding: Vector, published: dt.datetime, window: dt.timedelta, k: int
) -> set[str]:
    """The stories active in the window around `published` that the clusterer should score:
    the `k` whose meaning has the largest inner product with `embedding`, and every one the
    index does not cover (written before pgvector was set up, or by another embedder).

    pgvector 0.6's HNSW scan yields at most `hnsw.ef_search` stories, nearest first, before
    the window filter drops those outside it, so ef_search is set to k / (the window's share
    of the stories), within pgvector's bounds. When the window is a small share, PostgreSQL
    mostly finds its stories by `last_updated` instead and ranks them exactly."""
    dim = len(embedding)
    params = {
        "q": _literal(embedding),
        "dim": dim,
        "k": k,
        "after": published - window,
        "before": published + window,
    }
    active = "last_updated >= :after AND first_published <= :before"
    # Counted without reading the vectors (vector_dims would): stories of another embedder,
    # if any, count too, which only makes ef_search larger.
    in_window, total = session.execute(
        text(f"SELECT count(meaning) FILTER (WHERE {active}), count(meaning) FROM stories"),
        params,
    ).one()
    query = f"SELECT id FROM stories WHERE {active} AND vector_dims(meaning) = :dim"
    if in_window > k:
        ef_search = math.ceil(k * total / in_window)
        session.execute(
            text("SELECT set_config('hnsw.ef_search', :ef, true)"),
            {"ef": str(min(max(ef_search, _MIN_EF_SEARCH), _MAX_EF_SEARCH))},
        )
        query += f" ORDER BY meaning::vector({dim}) <#> CAST(:q AS vector({dim})) LIMIT :k"
    found = session.scalars(text(query), params)
    uncovered = session.scalars(
        text(
            f"SELECT id FROM stories WHERE {active}"
            " AND (meaning IS NULL OR vector_dims(meaning) <> :dim)"
        ),
        params,
    )
    return {*found, *uncovered}
