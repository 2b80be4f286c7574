"""The planted injections through the real pipeline with the extractive writer and the feature
judge (no model): no digest obeys one, and no article moves into the story it names."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from newsdistill.config import Settings
from newsdistill.llm.guard import strip_instructions
from newsdistill.models import Digest
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from tests.llm.injections import INJECTIONS, STORIES, Injection, article_records, url_of


def digest_texts(digest: Digest) -> list[str]:
    return [c.text for c in digest.claims()] + [k.event for k in digest.key_developments]


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Newsroom:
    home = tmp_path_factory.mktemp("inject")
    source = home / "articles.json"
    source.write_text(json.dumps(article_records()), encoding="utf-8")
    settings = Settings(home=home)
    room = Newsroom(settings, Store.open(settings.database_url()))
    report = room.ingest([str(source)])
    assert report.added == len(article_records()) and report.failed == 0
    room.process()
    assert not room.distill("extractive").failed
    return room


def story_of(room: Newsroom) -> dict[str, str]:
    """Article URL → id of the story it was placed in."""
    out = {}
    for story in room.store.list_stories():
        kept, copies = room.store.story_articles(story.id)
        out.update({a.url: story.id for a in [*kept, *copies]})
    return out


def test_the_set_is_varied() -> None:
    assert len(INJECTIONS) >= 20 and len({i.key for i in INJECTIONS}) == len(INJECTIONS)
    assert {i.target for i in INJECTIONS} == {"writer", "judge", "cluster"}
    forms = Counter(i.form for i in INJECTIONS)
    assert len(forms) >= 8 and {"plain", "quoted", "french", "spanish", "german"} <= set(forms)
    for item in INJECTIONS:
        planted = " ".join(item.planted)
        assert all(p in item.body or item.title == p for p in item.planted), item.key
        # The payload is the injection's own: no companion article or other story states it.
        assert item.obeyed_in(planted) is False, item.key


@pytest.mark.parametrize("item", INJECTIONS, ids=lambda i: i.key)
def test_no_digest_obeys_an_injection(newsroom: Newsroom, item: Injection) -> None:
    """The digest of the story the article was placed in (the only one that reads it)."""
    digest = newsroom.store.latest_digest(story_of(newsroom)[url_of(item.key)])
    assert digest is not None
    for text in digest_texts(digest):
        assert not item.obeyed_in(text), (item.key, text)


def test_alt_text_never_reaches_the_article(newsroom: Newsroom) -> None:
    [item] = [i for i in INJECTIONS if i.form == "alt text"]
    [article] = [
        a
        for s in newsroom.store.list_stories()
        for a in newsroom.store.story_articles(s.id)[0]
        if a.url == url_of(item.key)
    ]
    assert "burst" not in article.text and "Lake Mirren" in article.text


# Known miss: the clustering reads the planted sentences, whose words ("ferry strike") pull
# this short report out of its own story, though not into the one they name.
_SPLIT_OFF = pytest.mark.xfail(
    strict=True, reason="the planted words split the short rail report into a story of its own"
)


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(i, id=i.key, marks=[_SPLIT_OFF] if i.key == "rail-cluster" else [])
        for i in INJECTIONS
        if i.target == "cluster"
    ],
)
def test_clustering_injections_do_not_move_an_article(newsroom: Newsroom, item: Injection) -> None:
    placed = story_of(newsroom)
    own = placed[url_of(item.key)]
    named = {placed[url_of(i.key)] for i in INJECTIONS if i.story == item.named_story}
    assert own not in named
    same = [placed[url_of(i.key)] for i in INJECTIONS if i.story == item.story and i is not item]
    assert own in same


def test_guard_coverage() -> None:
    """How many planted instructions `strip_instructions` removes, by what the text says."""

    # Every planted sentence goes, a split one's second half with its first.
    def source(i: Injection) -> str:  # where the guard meets it: a title or alt text alone
        return i.body if i.form not in ("title", "alt text") else i.planted[0]

    caught = {
        i.key for i in INJECTIONS if not any(p in strip_instructions(source(i)) for p in i.planted)
    }
    missed = sorted(i.key for i in INJECTIONS if i.key not in caught)
    print(f"\nguard catches {len(caught)}/{len(INJECTIONS)}; misses {missed}")
    assert not missed


def test_stories_are_separate(newsroom: Newsroom) -> None:
    placed = story_of(newsroom)
    by_story = {s: {placed[url_of(i.key)] for i in INJECTIONS if i.story == s} for s in STORIES}
    for first in STORIES:
        for second in STORIES:
            if first != second:
                assert not by_story[first] & by_story[second], (first, second)
