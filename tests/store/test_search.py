"""What `Store.search` finds, on whichever database the suite runs on: every word stemmed and
accent-folded, only placed articles, a story by its newest digest; an upgraded store is indexed
whole; on PostgreSQL the queries use the GIN indexes of migration 0005."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from newsdistill.models import Article, ArticleStatus, Claim
from newsdistill.store import Store
from newsdistill.store.repository import MIGRATIONS
from newsdistill.store.search import POSTGRESQL
from tests.conftest import ON_POSTGRESQL, make_article
from tests.store.test_repository import digest_of, place

STRIKE = "Dockers struck at the Zürich freight terminal on Monday, closing every berth."


def test_every_word_must_match_stemmed_and_without_accents(store: Store) -> None:
    placed = place(store, make_article(STRIKE, title="Strikes close Zürich terminal"), "s1")
    for query in ("strike zurich", "ZÜRICH Strikes", "berths closed", "terminal, (Monday)"):
        assert store.search(query)[1] == [placed], query
    assert store.search("strike geneva") == ([], [])  # one word missing: no match


def test_only_placed_articles_are_found(store: Store) -> None:
    waiting, _ = store.add_article(make_article(STRIKE, url="https://a.test/ready"))
    failed = make_article(STRIKE, url="https://a.test/failed").model_copy(
        update={"status": ArticleStatus.FAILED, "error": "timeout"}
    )
    store.add_article(failed)
    assert store.search("dockers") == ([], [])
    kept = place(store, make_article(STRIKE, url="https://a.test/kept"), "s1")
    assert waiting.id is not None and kept.id is not None
    store.mark_duplicate(waiting.id, kept.id, None)  # a syndicated copy is placed too
    stories, articles = store.search("dockers")
    assert [s.id for s in stories] == ["s1"]
    assert sorted(a.url for a in articles) == ["https://a.test/kept", "https://a.test/ready"]


def _headlined(story_id: str, version: int, article: Article, headline: str) -> object:
    assert article.id is not None
    digest = digest_of(story_id, version, article.id, "extractive")
    claim = Claim(text=headline, citations=digest.headline.citations)
    return digest.model_copy(update={"headline": claim})


def test_a_story_is_found_by_its_newest_digest_only(store: Store) -> None:
    article = place(store, make_article("Words."), "s1")
    store.save_digest(_headlined("s1", 1, article, "Ferry terminal opens"), "m1")  # type: ignore[arg-type]
    store.save_digest(_headlined("s1", 2, article, "Harbour crane topples"), "m2")  # type: ignore[arg-type]
    assert [s.id for s in store.search("cranes toppled")[0]] == ["s1"]
    assert store.search("ferry") == ([], [])  # only version 1 said it


def test_upgrading_an_older_store_indexes_what_it_holds(store: Store) -> None:
    placed = place(store, make_article(STRIKE), "s1")
    store.save_digest(_headlined("s1", 1, placed, "Dock strike"), "m1")  # type: ignore[arg-type]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")  # before either database had a search index
    store.migrate()  # what opening an old database does
    assert [s.id for s in store.search("strike")[0]] == ["s1"]  # by its digest
    assert store.search("docker") == ([store.get_story("s1")], [placed])


def test_clearing_the_store_leaves_nothing_to_find(store: Store) -> None:
    """The demo clears a database its previous run filled, then writes the same stories."""
    placed = place(store, make_article(STRIKE), "s1")
    store.save_digest(_headlined("s1", 1, placed, "Dock strike"), "m1")  # type: ignore[arg-type]
    store.clear()
    assert store.search("strike") == ([], [])
    if store.engine.dialect.name == "sqlite":  # FTS5 keeps its own copy: none may be left
        with store.engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM story_search")) == 0
    assert store.counts() == {"feeds": 0, "articles": {}, "stories": 0, "digests": 0}
    again = place(store, make_article("Ferry resumes.", url="https://a.test/ferry"), "s1")
    store.save_digest(_headlined("s1", 1, again, "Ferry resumes"), "m1")  # type: ignore[arg-type]
    assert store.search("strike") == ([], [])
    assert [s.id for s in store.search("ferry")[0]] == ["s1"]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only: its query plans")
def test_postgresql_searches_through_its_indexes(store: Store) -> None:
    """The queries repeat the indexed expressions exactly; else every search reads every row."""
    article = place(store, make_article(STRIKE), "s1")
    store.save_digest(_headlined("s1", 1, article, "Dock strike"), "m1")  # type: ignore[arg-type]
    params = {"match": "docker", "limit": 20, "clustered": "clustered", "duplicate": "duplicate"}
    with store.engine.begin() as conn:
        # Enough other placed articles and digests that an index on the words is the way.
        conn.execute(
            text(
                "INSERT INTO articles (url, title, text, sentences, outlet, published,"
                " content_hash, status, story_id, profile)"
                " SELECT 'https://a.test/' || n, 'Weather', 'Rain again.', '[]', 'o', now(), '',"
                " 'clustered', 's1', '{}' FROM generate_series(1, 2000) AS n"
            )
        )
        conn.execute(
            text(
                "INSERT INTO digests (story_id, version, created_at, writer, article_set,"
                " headline, sentences, verified, body)"
                " SELECT 's1', n, now(), 'w', '', 'Rain', 1, 1, '{\"lede\": {\"text\": \"Rain\"}}'"
                " FROM generate_series(2, 2000) AS n"
            )
        )
        conn.execute(text("ANALYZE"))
        for query, index in (
            (POSTGRESQL.articles, "ix_articles_search"),
            (POSTGRESQL.stories, "ix_digests_search"),
        ):
            plan = "\n".join(conn.scalars(text(f"EXPLAIN {query}"), params))
            assert f"Bitmap Index Scan on {index}" in plan, plan
