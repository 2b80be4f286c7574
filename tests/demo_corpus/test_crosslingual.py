"""Stories across languages on the demo corpus: the manifest's languages, the detector, and the
shipped clusterer against the manifest (newsdistill.demo_corpus.crosslingual)."""

from __future__ import annotations

import json

import pytest

from newsdistill.config import Settings
from newsdistill.demo_corpus import build
from newsdistill.demo_corpus.crosslingual import Scores, measure
from newsdistill.nlp.embed import get_embedder
from newsdistill.nlp.multilingual import crosslingual_embedder

MANIFEST = json.loads((build.HERE / "manifest.json").read_text(encoding="utf-8"))
ARTICLES = build.load_articles(build.HERE / "articles.json", {})
OUTLETS = build.load_outlets(build.HERE / "outlets.json")


def test_manifest_languages_are_the_outlets_languages() -> None:
    by_id = {a.id: a for a in ARTICLES}
    for sid, story in MANIFEST["stories"].items():
        listed = sorted(aid for ids in story["languages"].values() for aid in ids)
        assert listed == story["articles"], sid
        for language, ids in story["languages"].items():
            assert {OUTLETS[by_id[aid].outlet].language for aid in ids} == {language}, sid


def test_the_corpus_has_a_story_in_three_languages_and_a_german_only_one() -> None:
    languages = {sid: set(s["languages"]) for sid, s in MANIFEST["stories"].items()}
    assert {"en", "de", "fr"} in languages.values()
    assert {"de"} in languages.values()
    [three] = [sid for sid, langs in languages.items() if len(langs) == 3]
    assert len(MANIFEST["stories"][three]["outlets"]) == 3


@pytest.fixture(scope="module")
def shipped() -> Scores:
    settings = Settings()
    return measure(get_embedder(settings), crosslingual_embedder(settings))


@pytest.mark.slow
def test_the_detector_names_every_article_as_the_manifest_does(shipped: Scores) -> None:
    truth = {
        aid: lang
        for s in MANIFEST["stories"].values()
        for lang, ids in s["languages"].items()
        for aid in ids
    }
    assert shipped.languages == truth


@pytest.mark.slow
def test_one_event_in_three_languages_is_one_story_and_stories_stay_apart(
    shipped: Scores,
) -> None:
    # Every pair across languages is right: the storm's three reports meet, nothing else does.
    assert shipped.across.precision == shipped.across.recall == 1.0
    # No story mixes two manifest stories, in any language.
    assert shipped.bcubed.precision == 1.0
    assert all(prf.precision == 1.0 for prf in shipped.per_language.values())
    assert shipped.per_language["de"].f1 == 1.0  # the storm and the brewery, both in German
    assert shipped.bcubed.f1 >= 0.95
