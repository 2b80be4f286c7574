"""The extractive writer's digest reads as a story: a small story told by four outlets, one of
them a tabloid, with a sentence that leans on the one before it, a forward look that later
reports overtook, a conditional plan and a disputed toll."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdistill.distill.assemble import Distiller
from newsdistill.evaluation.readability import assess, cut_label
from newsdistill.models import SUMMARY_MAX_WORDS, Article, Digest
from newsdistill.nlp.embed import get_embedder
from newsdistill.nlp.sentences import split_sentences
from newsdistill.verify import Verifier, get_judge
from newsdistill.writers.extractive import ExtractiveWriter

MON = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)

REPORTS = [
    (
        "Northern Wire",
        MON - dt.timedelta(days=1),
        "Ferry operators prepare for Monday's harbour reopening",
        "Harbour officials in Calla said the storm-damaged ferry terminal would reopen "
        "tomorrow after a week of repairs. If the weather holds, the operator plans extra "
        "sailings on Tuesday. Port director Anna Holm said the terminal was ready.",
    ),
    (
        "Northern Wire",
        MON,
        "Two dead as ferry Calla Star runs aground off Inis Calla",
        "Two passengers died and 14 were injured when the ferry Calla Star ran aground off "
        "Inis Calla on Monday morning, the coastguard said. The vessel was carrying 212 "
        "passengers and 31 crew from Port Semmet. Rescue boats brought everyone ashore "
        "within three hours, the coastguard said. Port director Anna Holm said the company "
        "would cooperate with investigators. But she warned that the terminal could stay "
        "closed for several days.",
    ),
    (
        "Harbour Herald",
        MON + dt.timedelta(hours=2),
        "Ferry runs aground off Inis Calla, two passengers killed",
        "The ferry Calla Star ran aground off Inis Calla on Monday, killing two passengers and "
        "injuring 14, according to the coastguard. The ship had left Port Semmet at dawn with "
        "212 passengers on board. The Maritime Safety Board said it had opened an "
        "investigation into the grounding.",
    ),
    (
        "Valley Times",
        MON + dt.timedelta(hours=3),
        "Calla Star grounding: investigators board the ferry",
        "Investigators from the Maritime Safety Board boarded the Calla Star on Monday "
        "afternoon, hours after two passengers died when it ran aground. Fourteen people were "
        "injured. The board will publish a first report within 30 days, a spokesman said.",
    ),
    (
        "Daily Blast",
        MON + dt.timedelta(hours=4),
        "FERRY OF TERROR",
        "THREE passengers were killed as the doomed ferry smashed into the rocks! Terrified "
        "families screamed as water poured in. The Calla Star was carrying 212 passengers "
        "from Port Semmet. We understand the captain has been suspended.",
    ),
]


def articles() -> list[Article]:
    out = []
    for i, (outlet, when, title, text) in enumerate(REPORTS, start=1):
        out.append(
            Article(
                id=i,
                url=f"https://example.test/{i}",
                title=title,
                text=text,
                sentences=split_sentences(text),
                outlet=outlet,
                published=when,
            )
        )
    return out


@pytest.fixture(scope="module")
def digest() -> Digest:
    verifier = Verifier(get_judge("overlap"), get_embedder())
    writer = ExtractiveWriter()
    return Distiller(writer, verifier, fallback=writer).distill(
        "ferry", articles(), [], version=1, now=MON + dt.timedelta(hours=5)
    )


def texts(digest: Digest) -> list[str]:
    return [c.text for c in digest.claims()]


def test_every_claim_is_verified_and_the_story_has_no_reading_faults(digest: Digest) -> None:
    report = assess(digest)
    assert report.dangling == [] and report.off_register == [] and report.cluttered == []
    assert report.repeated == [] and report.cut_labels == []


def test_a_sentence_leaning_on_another_comes_right_after_it_or_not_at_all(
    digest: Digest,
) -> None:
    story = digest.body()
    printed = [k for k, c in enumerate(story) if c.text.startswith("But she warned")]
    assert printed  # with the sentence it leans on, it says something new: it is used
    for k in printed:
        assert story[k - 1].text.startswith("Port director Anna Holm said the company")


def test_the_tabloid_voice_is_never_ours(digest: Digest) -> None:
    printed = " ".join(c.text for c in digest.claims() if c.origin != "code")
    for loud in ("THREE passengers", "smashed into the rocks!", "We understand", "FERRY OF TERROR"):
        assert loud not in printed


def test_overtaken_and_conditional_plans_are_left_out(digest: Digest) -> None:
    printed = " ".join(texts(digest))
    assert "would reopen tomorrow" not in printed  # written before the grounding
    assert "If the weather holds" not in printed


def test_the_disputed_toll_is_told_once_and_attributed_by_count(digest: Digest) -> None:
    notes = [
        t for t in texts(digest) if t.startswith("Sources differ on the number of people killed")
    ]
    assert notes == [
        "Sources differ on the number of people killed: three of the four outlets report two, "
        "Daily Blast three."
    ]
    # The note follows the lede that states the toll.
    details = next(s for s in digest.sections if s.kind == "details")
    assert details.claims[0].text == notes[0]
    assert "two" in digest.lede.text.casefold()


def test_what_happened_reads_in_the_order_reported(digest: Digest) -> None:
    published = {a.id: (a.published, i) for i, a in enumerate(articles())}
    details = next(s for s in digest.sections if s.kind == "details")
    order = [
        (published[c.citations[0].article_id][0], c.citations[0].sentence)
        for c in details.claims
        if c.origin != "code"
    ]
    assert order == sorted(order)


def test_timeline_rows_are_short_headline_labels_in_date_order(digest: Digest) -> None:
    rows = digest.key_developments
    assert rows and [r.date for r in rows] == sorted(r.date for r in rows)
    for row in rows:
        assert len(row.event.split()) <= 12 and not cut_label(row.event, row.details.text)
        assert not row.event.endswith("…")
    # The event the lede tells has its row.
    assert dt.date(2026, 11, 16) in {r.date for r in rows}


def test_the_short_form(digest: Digest) -> None:
    words = sum(len(c.text.split()) for c in digest.summary)
    assert 0 < words <= SUMMARY_MAX_WORDS
    assert digest.summary[0].text == digest.lede.text
    assert 3 <= len(digest.key_points) <= 5
    assert "Terrified" not in " ".join(c.text for c in [*digest.summary, *digest.key_points])
    # A key point never restates the lede (a short story may share its others with them).
    assert digest.lede.text not in {c.text for c in digest.key_points}
