"""Full-text search: the part of `Store.search` that differs between databases.

Each dialect has two queries over its own index, both taking the query words as `:match`
(every word must match, stemmed; never query syntax, so any text a user types is valid), the
article statuses that count as `:clustered` and `:duplicate`, and `:limit`:

- `stories`: the ids of the stories whose newest digest matches, best first;
- `articles`: the ids of the placed articles (kept or syndicated copies) that match, best first.

SQLite searches the FTS5 tables of migration 0003, PostgreSQL the GIN indexes of migration
0005, whose expressions the queries here repeat exactly (else PostgreSQL cannot use them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from newsdistill.errors import StoreError


@dataclass(frozen=True)
class SearchQueries:
    stories: str
    articles: str
    match: Callable[[list[str]], str]  # the words → the :match parameter


SQLITE = SearchQueries(
    stories=(
        "SELECT story_id FROM story_search WHERE story_search MATCH :match"
        " ORDER BY rank LIMIT :limit"
    ),
    articles=(
        "SELECT a.id FROM article_search JOIN articles AS a ON a.id = article_search.rowid"
        " WHERE article_search MATCH :match AND a.status IN (:clustered, :duplicate)"
        " ORDER BY article_search.rank LIMIT :limit"
    ),
    # Each word quoted: an FTS5 string, never an operator (OR, NEAR, column filters, *).
    match=lambda words: " ".join(f'"{word}"' for word in words),
)

_ARTICLE_DOCUMENT = "to_tsvector('newsdistill', a.title || ' ' || a.text)"
_DIGEST_DOCUMENT = (
    "to_tsvector('newsdistill', jsonb_path_query_array(d.body::jsonb, 'strict $.**.text'))"
)
POSTGRESQL = SearchQueries(
    stories=(
        "SELECT d.story_id FROM digests AS d, plainto_tsquery('newsdistill', :match) AS q"
        f" WHERE {_DIGEST_DOCUMENT} @@ q"
        " AND d.version = (SELECT max(version) FROM digests WHERE story_id = d.story_id)"
        f" ORDER BY ts_rank({_DIGEST_DOCUMENT}, q) DESC, d.story_id LIMIT :limit"
    ),
    articles=(
        "SELECT a.id FROM articles AS a, plainto_tsquery('newsdistill', :match) AS q"
        f" WHERE {_ARTICLE_DOCUMENT} @@ q AND a.status IN (:clustered, :duplicate)"
        f" ORDER BY ts_rank({_ARTICLE_DOCUMENT}, q) DESC, a.id LIMIT :limit"
    ),
    # plainto_tsquery ANDs the words and reads no operator; "or", "and" are stop words there.
    match=" ".join,
)

_DIALECTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def queries_for(dialect: str) -> SearchQueries:
    try:
        return _DIALECTS[dialect]
    except KeyError:
        raise StoreError(
            f"full-text search needs SQLite or PostgreSQL; this store is on {dialect}"
        ) from None
