"""One digest, one language: written from the sources in its language, with the other
sources listed and marked, and every word the digest adds (headings, attributions, dateline,
disclaimer) in that language."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdistill.distill.assemble import Distiller, digest_language
from newsdistill.distill.brief import build_brief
from newsdistill.models import Article, Claim, Digest, VerificationSummary
from newsdistill.nlp.embed import get_embedder
from newsdistill.publish import render_html, render_markdown
from newsdistill.verify import Verifier, get_judge
from newsdistill.wording import ENGLISH, wording
from newsdistill.writers.extractive import ExtractiveWriter
from tests.conftest import make_article

T0 = dt.datetime(2026, 11, 17, 9, 0, tzinfo=dt.UTC)

REPORTS = [
    (
        "en",
        "Northern Wire",
        "Three miners were killed when a tunnel collapsed at the Greyfell colliery on Monday, "
        "the regional mines inspectorate said. Rescue teams freed 12 workers after a six-hour "
        "operation. The inspectorate said an inquiry would open on Thursday 19 November.",
    ),
    (
        "en",
        "Valley Times",
        "Three miners died after part of a tunnel at Greyfell colliery caved in on Monday. "
        "Twelve workers were brought to the surface by rescue teams. The colliery reopened in "
        "2019 after a decade of closure.",
    ),
    (
        "de",
        "Grenzland-Rundschau",
        "Beim Einsturz eines Stollens in der Zeche Greyfell sind am Montag drei Bergleute ums "
        "Leben gekommen. Rettungskräfte befreiten nach sechs Stunden zwölf Arbeiter. Eine "
        "Untersuchung soll am Donnerstag beginnen.",
    ),
]


def story(languages: list[str] | None = None) -> list[Article]:
    return [
        make_article(
            text,
            title=f"Greyfell report {i}",
            outlet=outlet,
            article_id=i + 1,
            published=T0 + dt.timedelta(hours=i),
        ).model_copy(update={"language": (languages or [])[i] if languages else lang})
        for i, (lang, outlet, text) in enumerate(REPORTS)
    ]


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier(get_judge("overlap"), get_embedder())


def test_the_language_is_the_readers_if_a_source_has_it_else_the_majoritys() -> None:
    articles = story()
    assert digest_language(articles) == "en"
    assert digest_language(articles, preferred="de") == "de"
    assert digest_language(articles, preferred="fr") == "en"  # no French source
    # A tie goes to the first report's language; no known language gives None.
    assert digest_language(story(["de", "en", None])) == "de"  # type: ignore[list-item]
    assert digest_language(story([None, None, None])) is None  # type: ignore[list-item]


def test_an_english_digest_is_written_from_english_sources_and_lists_the_german_one(
    verifier: Verifier,
) -> None:
    articles = story()
    digest = Distiller(ExtractiveWriter(), verifier, fallback=ExtractiveWriter()).distill(
        "s1", articles, [], version=1
    )
    assert digest.language == "en"
    german = {a.id for a in articles if a.language == "de"}
    assert all(c.article_id not in german for claim in digest.claims() for c in claim.citations)
    assert {s.article_id: s.language for s in digest.sources} == {1: "en", 2: "en", 3: "de"}
    assert digest.dateline.endswith("3 reports from 3 outlets")
    assert [s.heading for s in digest.sections] == [
        ENGLISH.headings[s.kind] for s in digest.sections
    ]
    page = render_html(digest)
    assert '<article class="digest" lang="en">' in page
    assert 'lang="de"' in page and "in German" in page
    assert "in German" in render_markdown(digest)


def test_a_german_digest_has_german_headings_attributions_dateline_and_disclaimer(
    verifier: Verifier,
) -> None:
    articles = story()
    digest = Distiller(
        ExtractiveWriter(), verifier, fallback=ExtractiveWriter(), language="de"
    ).distill("s1", articles, [], version=1)
    words = wording("de")
    assert digest.language == "de"
    assert all(c.article_id == 3 for claim in digest.claims() for c in claim.citations)
    assert digest.disclaimer == words.disclaimer
    assert digest.dateline == "Aktualisiert am 17. November 2026 · 3 Berichte von 3 Medien"
    assert {s.heading for s in digest.sections} <= set(words.headings.values())
    page = render_html(digest)
    for english in ("In short", "Sources", "What happened", "according to", "sentences"):
        assert english not in page, english
    assert "<h2>Quellen</h2>" in page and "Sätzen an 1 Quelle geprüft" in page
    assert "auf Englisch" in page  # the other sources' languages, named in German


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_every_language_has_all_its_words(language: str) -> None:
    words = wording(language)
    assert words.language == language
    assert set(words.headings) == {"details", "background", "reactions", "next"}
    assert words.attributed("Three died.", "X").count("X") == 1
    assert words.attributed("Three died.", "X") != words.attributed("Three died", "X")
    assert words.outlets_phrase(["A", "B", "C"], 5) != words.outlets_phrase(["A", "B"], 5)
    one = words.verified(VerificationSummary(sentences=3, verified=3, sources=1))
    many = words.verified(VerificationSummary(sentences=3, verified=3, sources=2))
    assert one != many.replace("2", "1")  # singular and plural nouns
    assert "2026" in words.dated(T0, 2, 1)
    assert words.in_language("ja") != words.in_language("ko")


def test_an_unknown_language_falls_back_to_english() -> None:
    assert (
        wording("ja") is ENGLISH and wording(None) is ENGLISH and wording("DE-at").language == "de"
    )


def disputed_story() -> list[Article]:
    """REPORTS, with the German outlet giving four dead where the English ones say three."""
    articles = story()
    german = articles[2]
    text = german.text.replace("drei Bergleute", "vier Bergleute")
    return [
        *articles[:2],
        make_article(
            text,
            title=german.title,
            outlet=german.outlet,
            article_id=3,
            published=german.published,
        ).model_copy(update={"language": "de"}),
    ]


def notes(digest: Digest) -> list[Claim]:
    return [
        c for c in digest.claims() if c.verification and c.verification.checked_by == "disagreement"
    ]


def test_another_languages_numbers_take_part_in_the_disagreements(verifier: Verifier) -> None:
    digest = Distiller(ExtractiveWriter(), verifier, fallback=ExtractiveWriter()).distill(
        "s1", disputed_story(), [], version=1
    )
    (disagreement,) = [d for d in digest.disagreements if d.kind == "number"]
    assert [(v.value, v.outlets) for v in disagreement.values] == [
        ("3", ["Northern Wire", "Valley Times"]),
        ("4", ["Grenzland-Rundschau"]),
    ]
    (note,) = notes(digest)
    # The German source's value, worded in the digest's language; its sentence is cited.
    assert note.text == (
        "Sources differ on the number of people killed: Northern Wire and Valley Times report "
        "three, Grenzland-Rundschau four."
    )
    assert 3 in {c.article_id for c in note.citations}


def test_a_german_digest_tells_where_sources_differ_in_german(verifier: Verifier) -> None:
    digest = Distiller(
        ExtractiveWriter(), verifier, fallback=ExtractiveWriter(), language="de"
    ).distill("s1", disputed_story(), [], version=1)
    (note,) = notes(digest)
    assert note.text == (
        "Die Quellen nennen unterschiedliche Angaben für die Zahl der Todesopfer: Northern Wire "
        "und Valley Times nennen drei, Grenzland-Rundschau vier."
    )
    assert digest.disagreements[0].fact == "die Zahl der Todesopfer"
    assert "Sources differ" not in render_markdown(digest)


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "Sources differ on the number of people injured: A and B report 12, C 14."),
        ("fr", "Les sources divergent sur le nombre de blessés : A et B indiquent 12, C 14."),
        ("es", "Las fuentes difieren sobre el número de heridos: A y B hablan de 12, C 14."),
    ],
)
def test_sources_differ_in_each_language(language: str, note: str) -> None:
    words = wording(language)
    sides = [(["A", "B"], words.value("number", "12")), (["C"], words.value("number", "14"))]
    assert words.differ_note(words.fact_label("count:injured"), sides, 3) == note


def test_a_german_brief_dates_its_events_from_german_words() -> None:
    german = [a for a in story() if a.language == "de"]
    brief, _ = build_brief("s1", german, get_embedder())
    dated = {event.date: brief.by_number()[event.evidence].text for event in brief.events}
    # "am Montag" before the Tuesday it was published; "soll am Donnerstag": ahead.
    assert dated == {
        dt.date(2026, 11, 16): "Beim Einsturz eines Stollens in der Zeche Greyfell sind am "
        "Montag drei Bergleute ums Leben gekommen.",
        dt.date(2026, 11, 19): "Eine Untersuchung soll am Donnerstag beginnen.",
    }
