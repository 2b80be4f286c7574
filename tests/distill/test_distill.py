"""Distilling: facts and disagreements found by code, and no unverified sentence published."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdistill.distill.assemble import Distiller
from newsdistill.distill.brief import build_brief, classify
from newsdistill.distill.facts import facts_in
from newsdistill.models import Article, DraftDigest, DraftSentence, StoryBrief
from newsdistill.nlp.embed import get_embedder
from newsdistill.verify import Verifier, get_judge
from newsdistill.writers.extractive import ExtractiveWriter
from tests.conftest import make_article

T0 = dt.datetime(2026, 11, 17, 9, 0, tzinfo=dt.UTC)


def story() -> list[Article]:
    texts = [
        (
            "Northern Wire",
            "Three miners were killed when a tunnel collapsed at the Greyfell colliery on "
            "Monday, the regional mines inspectorate said. Rescue teams freed 12 workers "
            "after a six-hour operation. The inspectorate said an inquiry would open on "
            'Thursday 19 November. "We owe the families answers," said inspector Mara Voss.',
        ),
        (
            "Valley Times",
            "Three miners died after part of a tunnel at Greyfell colliery caved in on "
            "Monday. Twelve workers were brought to the surface by rescue teams. An inquiry "
            "will begin on Thursday 19 November, the inspectorate said. The colliery reopened "
            "in 2019 after a decade of closure.",
        ),
        (
            "Daily Blast",
            "FOUR miners have been killed in a tunnel collapse at Greyfell colliery! Rescuers "
            "pulled 12 workers out alive after six hours. An inquiry is due to open on "
            "Saturday 21 November. Families gathered at the pit gates through the night.",
        ),
    ]
    return [
        make_article(
            t,
            title=f"Greyfell collapse report {i}",
            outlet=o,
            article_id=i + 1,
            published=T0 + dt.timedelta(hours=i),
        )
        for i, (o, t) in enumerate(texts)
    ]


def test_counts_and_dates_are_read_as_comparable_facts() -> None:
    found = {
        (m.fact, m.value)
        for m in facts_in(
            "Three miners were killed and 12 hurt; the inquiry opens on Thursday 19 November.", T0
        )
    }
    assert ("count:killed", "3") in found and ("count:injured", "12") in found
    assert ("date:inquiry", "2026-11-19") in found


def test_disagreements_name_every_value_and_outlet() -> None:
    brief, _ = build_brief("s1", story(), get_embedder())
    by_fact = {d.fact: {v.value: v.outlets for v in d.values} for d in brief.disagreements}
    assert by_fact["the number of people killed"] == {
        "3": ["Northern Wire", "Valley Times"],
        "4": ["Daily Blast"],
    }
    assert by_fact["the date of the inquiry"] == {
        "2026-11-19": ["Northern Wire", "Valley Times"],
        "2026-11-21": ["Daily Blast"],
    }
    # A dated event whose date is disputed is not put in the timeline as fact.
    assert dt.date(2026, 11, 21) not in {e.date for e in brief.events}


def test_a_sentence_naming_two_days_is_one_timeline_row() -> None:
    text = (
        "Rail workers will strike on Monday 23 November and Tuesday 24 November, the union "
        "said. Talks with the operator are set for Friday 20 November."
    )
    brief, _ = build_brief("s1", [make_article(text, article_id=1, published=T0)], get_embedder())
    rows = [(e.date, e.evidence) for e in brief.events]
    assert len({number for _, number in rows}) == len(rows) == 2
    assert {date for date, _ in rows} == {dt.date(2026, 11, 20), dt.date(2026, 11, 23)}


def test_sentences_are_sorted_into_sections_by_form() -> None:
    assert classify('"We owe the families answers," said inspector Mara Voss.') == "reactions"
    assert classify("An inquiry will begin on Thursday.") == "next"
    assert classify("The colliery reopened in 2019 after a decade of closure.") == "background"
    assert classify("Rescue teams freed 12 workers.") == "details"


class LyingWriter:
    """Rewrites every sentence with invented numbers, names and quotes."""

    name = "liar"

    def write(self, brief: StoryBrief) -> DraftDigest:
        draft = ExtractiveWriter().write(brief)
        lies = [
            "Five miners were killed at Greyfell on Monday.",
            "Prime Minister Olaf Brandt visited the colliery on Monday.",
            'Inspector Mara Voss said: "The owners ignored every warning."',
            "Rescue teams freed 40 workers after a six-hour operation.",
        ]
        for section in draft.sections:
            section.sentences = [
                DraftSentence(text=lies[i % len(lies)], evidence=s.evidence)
                for i, s in enumerate(section.sentences)
            ]
        draft.lede = DraftSentence(text=lies[0], evidence=draft.lede.evidence)
        draft.path_ahead = [
            DraftSentence(text=lies[1], evidence=p.evidence) for p in draft.path_ahead
        ]
        return draft

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        return DraftSentence(text="Six miners were killed, Mayor Ann Doyle said.", evidence=[])


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier(get_judge("overlap"), get_embedder())


def test_no_invented_number_name_or_quote_is_published(verifier: Verifier) -> None:
    digest = Distiller(LyingWriter(), verifier, fallback=ExtractiveWriter()).distill(
        "s1", story(), [], version=1
    )
    published = " ".join(c.text for c in digest.claims())
    for lie in ("Five miners", "Olaf Brandt", "ignored every warning", "40 workers", "Six miners"):
        assert lie not in published
    assert all(c.verification and c.verification.verdict == "supported" for c in digest.claims())
    assert digest.verification.replaced > 0


def test_the_planted_toll_is_shown_as_a_disagreement_and_attributed(verifier: Verifier) -> None:
    digest = Distiller(ExtractiveWriter(), verifier, fallback=ExtractiveWriter()).distill(
        "s1", story(), [], version=1
    )
    notes = [c.text for c in digest.claims() if c.text.startswith("Sources differ on the number")]
    # Once, with both sides, the tabloid's named and the others counted, not listed.
    assert len(notes) == 1
    assert notes[0].startswith("Sources differ on the number of people killed: ")
    assert "report three" in notes[0] and "Daily Blast four" in notes[0]
    # The tabloid's shouted "FOUR miners" is never printed as our own sentence.
    assert not any("FOUR" in c.text for c in digest.claims() if c.origin != "code")


class HeadlineFromLedeWriter:
    """Writes an unverifiable headline "from the lede", citing the lede's evidence."""

    name = "headliner"

    def write(self, brief: StoryBrief) -> DraftDigest:
        draft = ExtractiveWriter().write(brief)
        draft.headline = DraftSentence(
            text="Greyfell Owners Face Ruin", evidence=draft.lede.evidence
        )
        return draft

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        return ExtractiveWriter().revise(brief, sentence, reason)


def test_a_failed_headline_falls_back_to_a_title_and_keeps_the_lede(verifier: Verifier) -> None:
    articles = story()
    digest = Distiller(HeadlineFromLedeWriter(), verifier, fallback=ExtractiveWriter()).distill(
        "s1", articles, [], version=1
    )
    assert digest.headline.text in {a.title for a in articles}
    assert digest.lede.text != digest.headline.text
