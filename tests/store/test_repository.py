from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import inspect

from newsdistill.cluster import ClusterState
from newsdistill.errors import NotFoundError, StoreError
from newsdistill.models import (
    Article,
    ArticleStatus,
    Citation,
    Claim,
    Digest,
    VerificationSummary,
    WriterJob,
    WriterRun,
)
from newsdistill.store import Store
from tests.conftest import make_article


def test_migrations_create_every_table(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"feeds", "articles", "stories", "digests", "citations", "alembic_version"} <= tables


def test_reopening_an_existing_database_keeps_data(database: str) -> None:
    first = Store.open(database)
    first.add_feed("https://a.test/feed.xml", "A")
    first.close()
    again = Store.open(database)
    assert [f.url for f in again.list_feeds()] == ["https://a.test/feed.xml"]
    again.close()


def test_adding_a_feed_twice_stores_it_once(store: Store) -> None:
    _, new = store.add_feed("https://a.test/feed.xml")
    _, again = store.add_feed("https://a.test/feed.xml", "A title")
    assert (new, again) == (True, False)
    assert [f.title for f in store.list_feeds()] == ["A title"]


def test_an_article_url_is_stored_once(store: Store) -> None:
    art = make_article("Some text here that is long enough.", url="https://a.test/1")
    stored, new = store.add_article(art)
    again, new_again = store.add_article(art.model_copy(update={"title": "changed"}))
    assert new and not new_again
    assert again.id == stored.id and again.title == art.title


def test_a_failure_never_replaces_a_stored_article_but_a_success_replaces_a_failure(
    store: Store,
) -> None:
    good = make_article("Body text of the article.", url="https://a.test/2")
    failed = good.model_copy(update={"status": ArticleStatus.FAILED, "error": "404 Not Found"})
    store.add_article(failed)
    assert store.known_urls([good.url]) == set()  # failures may be retried
    stored, new = store.add_article(good)
    assert new and stored.status == ArticleStatus.READY
    kept, new = store.add_article(failed)
    assert not new and kept.status == ArticleStatus.READY and kept.text == good.text


def test_cluster_state_round_trips(store: Store) -> None:
    art, _ = store.add_article(make_article("Text of one article for a story."))
    assert art.id is not None
    now = dt.datetime(2026, 11, 18, tzinfo=dt.UTC)
    vec = np.ones(4, dtype=np.float32) / 2
    profile = {"words": {"lisbon": 1.0}}
    state = ClusterState("s1", vec, profile, now, now, 1, "Headline", [art.id])
    store.assign_story(art.id, state, vec, None, {"words": {"lisbon": 2}})
    [loaded] = store.cluster_states(now - dt.timedelta(days=1))
    assert loaded.members == [art.id] and loaded.profile == profile
    assert store.article_profiles([art.id]) == {art.id: {"words": {"lisbon": 2}}}
    assert np.allclose(loaded.centroid, vec)
    assert store.cluster_states(now + dt.timedelta(days=1)) == []
    story = store.get_story("s1")
    assert story.article_ids == [art.id] and story.outlets == ["Test Outlet"]


def test_unknown_story_is_a_clear_error(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no story"):
        store.get_story("nope")


def place(store: Store, article: Article, story_id: str) -> Article:
    """Store an article and put it in a one-article story of its own."""
    stored, _ = store.add_article(article)
    assert stored.id is not None
    vec = np.ones(4, dtype=np.float32) / 2
    state = ClusterState(story_id, vec, {}, stored.published, stored.published, 1, "H")
    store.assign_story(stored.id, state, vec, None, {})
    return store.get_article(stored.id)


def test_an_exact_copy_is_a_clustered_article_other_than_itself(store: Store) -> None:
    text = "The council approved the Rell bridge budget on Tuesday."
    canonical = "https://a.test/bridge"
    pending, _ = store.add_article(
        make_article(text, url="https://a.test/bridge?amp").model_copy(
            update={"canonical_url": canonical}
        )
    )
    assert pending.id is not None

    def copy_of(article: Article) -> Article | None:
        return store.find_exact_copy(article.id or 0, article.content_hash, article.canonical_url)

    assert copy_of(pending) is None  # not itself, though it is stored and kept
    same_link = place(
        store,
        make_article("Other wording of it.", url=canonical).model_copy(
            update={"canonical_url": canonical}
        ),
        "s1",
    )
    assert copy_of(pending) == same_link
    same_text = make_article("Other wording of it.", url="https://b.test/elsewhere")
    assert copy_of(same_text) == same_link
    assert copy_of(make_article("Unrelated text.")) is None


def test_a_pending_article_is_no_original(store: Store) -> None:
    first, _ = store.add_article(make_article("Same words in both.", url="https://a.test/1"))
    second, _ = store.add_article(make_article("Same words in both.", url="https://a.test/2"))
    assert first.id is not None and second.id is not None
    assert store.find_exact_copy(second.id, second.content_hash, None) is None
    with pytest.raises(StoreError, match="in no story"):
        store.mark_duplicate(second.id, first.id, None)
    assert store.get_article(second.id).status == ArticleStatus.READY  # nothing changed


def test_a_duplicate_joins_its_originals_story(store: Store) -> None:
    original = place(store, make_article("Words.", url="https://a.test/1"), "s1")
    later = make_article("Words.", url="https://a.test/2", published=original.published)
    copy, _ = store.add_article(
        later.model_copy(update={"published": original.published + dt.timedelta(hours=2)})
    )
    assert original.id is not None and copy.id is not None
    assert store.mark_duplicate(copy.id, original.id, None) == "s1"
    stored = store.get_article(copy.id)
    assert (stored.status, stored.duplicate_of, stored.story_id) == (
        ArticleStatus.DUPLICATE,
        original.id,
        "s1",
    )
    assert store.get_story("s1").last_updated == copy.published


def digest_of(story_id: str, version: int, article_id: int, writer: str) -> Digest:
    said = Claim(
        text="Words.", citations=[Citation(article_id=article_id, sentence=0, outlet="Test")]
    )
    return Digest(
        story_id=story_id,
        version=version,
        created_at=dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC),
        writer=writer,
        headline=said,
        dateline="",
        lede=said,
        sections=[],
        path_ahead=[],
        key_developments=[],
        disagreements=[],
        sources=[],
        verification=VerificationSummary(sentences=2, verified=2, sources=1),
        disclaimer="",
    )


def test_digest_versions_are_kept_and_the_newest_decides_what_is_current(store: Store) -> None:
    article = place(store, make_article("Words."), "s1")
    assert article.id is not None
    assert store.next_digest_version("s1") == 1 and store.latest_digest("s1") is None
    assert not store.digest_is_current("s1", "members-1", "extractive")
    store.save_digest(digest_of("s1", 1, article.id, "extractive"), "members-1")
    store.save_digest(digest_of("s1", 2, article.id, "extractive"), "members-2")
    assert store.next_digest_version("s1") == 3
    assert store.get_story("s1").digest_version == 2
    latest = store.latest_digest("s1")
    assert latest is not None and latest.version == 2
    assert [d.version for d in store.digest_versions("s1")] == [1, 2]
    assert store.digest_is_current("s1", "members-2", "extractive")
    assert not store.digest_is_current("s1", "members-1", "extractive")  # an older membership
    assert not store.digest_is_current("s1", "members-2", "template")  # another writer


def test_a_model_writer_that_fell_back_everywhere_is_current_for_that_writer(
    store: Store,
) -> None:
    """Else every run would write the same extractive digest again as a new version."""
    article = place(store, make_article("Words."), "s1")
    assert article.id is not None
    fell_back = digest_of("s1", 1, article.id, "extractive").model_copy(
        update={
            "writer_run": WriterRun(
                requested="local",
                mode="narrow",
                jobs=[WriterJob(job="headline", worded_by="fallback", reason="timeout")],
            )
        }
    )
    store.save_digest(fell_back, "members-1")
    assert store.digest_is_current("s1", "members-1", "local")
    assert store.digest_is_current("s1", "members-1", "extractive")
    assert not store.digest_is_current("s1", "members-1", "openai")


def test_the_topic_filter_keeps_the_stories_of_that_topics_feeds(store: Store) -> None:
    science, _ = store.add_feed("https://a.test/science.xml", topic="Science")
    sport, _ = store.add_feed("https://a.test/sport.xml", topic="Sport")
    untagged, _ = store.add_feed("https://a.test/misc.xml")

    def from_feed(feed_id: int | None, text: str, url: str) -> Article:
        return make_article(text, url=url).model_copy(update={"feed_id": feed_id})

    place(store, from_feed(science.id, "Comet seen.", "https://a.test/1"), "comet")
    place(store, from_feed(sport.id, "Cup final.", "https://a.test/2"), "final")
    place(store, from_feed(untagged.id, "Rain.", "https://a.test/3"), "rain")
    # A syndicated copy from a Science feed gives the final no topic: Story.topics counts only
    # the kept articles, and the filter agrees with it.
    final = store.get_story("final")
    copy, _ = store.add_article(from_feed(science.id, "Cup final.", "https://b.test/2"))
    assert copy.id is not None
    store.mark_duplicate(copy.id, final.article_ids[0], None)

    assert [s.id for s in store.list_stories(topic="Science")] == ["comet"]
    assert [s.id for s in store.list_stories(topic="Sport")] == ["final"]
    assert store.list_stories(topic="Politics") == []
    for topic in store.topics():
        assert store.list_stories(topic=topic) == [
            s for s in store.list_stories() if topic in s.topics
        ]
    assert store.topics() == ["Science", "Sport"]


def test_text_no_database_can_hold_is_stored_alike_on_both(store: Store) -> None:
    """PostgreSQL refuses NUL characters and over-long names, which SQLite would keep: both
    drop the NULs and cut names to their columns, so neither a write fails nor the data
    differs by database."""
    store.add_feed("https://a.test/feed.xml", "Feed\x00 " + "t" * 600)
    assert [f.title for f in store.list_feeds()] == ["Feed " + "t" * 507]
    text = "The ferry\x00 terminal opens in March."
    nasty = make_article(text, title="Ferry\x00 terminal", outlet="O" * 300).model_copy(
        update={"sentences": [text], "author": "A" * 600, "language": "en-" + "x" * 20}
    )
    stored, _ = store.add_article(nasty)
    assert stored.id is not None
    assert (stored.title, stored.text, stored.sentences) == (
        "Ferry terminal",
        "The ferry terminal opens in March.",
        ["The ferry terminal opens in March."],
    )
    assert (len(stored.outlet), len(stored.author or ""), stored.language) == (
        256,
        512,
        "en-" + "x" * 13,
    )
    assert store.get_article(stored.id) == stored
    placed = place(store, make_article("Words.", url="https://a.test/words"), "s1")
    assert placed.id is not None
    said = digest_of("s1", 1, placed.id, "extractive")
    store.save_digest(
        said.model_copy(update={"lede": said.lede.model_copy(update={"text": "Ferry\x00 soon."})}),
        "m1",
    )
    latest = store.latest_digest("s1")
    assert latest is not None and latest.lede.text == "Ferry soon."


def test_a_story_is_found_by_a_unique_prefix_taken_literally(store: Store) -> None:
    place(store, make_article("Words.", url="https://a.test/1"), "s1abc")
    place(store, make_article("Other words.", url="https://a.test/2"), "s1abd")
    assert store.get_story("s1abc").id == store.get_story("s1abc"[:5]).id == "s1abc"
    for prefix in ("s1ab", "s_abc", "s%", "S1ABC", ""):  # ambiguous, or no literal match
        with pytest.raises(NotFoundError, match="no story"):
            store.get_story(prefix)
