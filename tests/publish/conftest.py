"""A realistic digest: three sources (one syndicated, one with a hostile URL), a disagreement,
key developments, a sentence quoting markup, and a sentence the verifier never checked."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdistill.models import (
    Citation,
    Claim,
    Digest,
    Disagreement,
    DisagreementValue,
    KeyDevelopment,
    Section,
    SourceRef,
    Verification,
    VerificationSummary,
)

WIRE = "Northern Wire"
HERALD = "Harbour Herald"
POST = "Valley Post"


def cite(article_id: int, sentence: int | None) -> Citation:
    outlet = {101: WIRE, 102: HERALD, 103: POST}[article_id]
    return Citation(article_id=article_id, sentence=sentence, outlet=outlet)


def claim(text: str, *citations: Citation, verified: bool = True) -> Claim:
    verification = (
        Verification(verdict="supported", score=0.93, evidence=list(citations), checked_by="nli")
        if verified
        else None
    )
    return Claim(text=text, citations=list(citations), verification=verification)


def make_digest(story_id: str = "quarry-collapse-2026", hours: int = 0) -> Digest:
    day = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)
    return Digest(
        story_id=story_id,
        version=2,
        created_at=day + dt.timedelta(hours=hours),
        writer="template",
        headline=claim("Three workers die in Kessel quarry collapse", cite(101, None)),
        dateline="Kessel, 4 March 2026",
        lede=claim(
            "A rock face collapsed at the Kessel limestone quarry on Tuesday, killing three "
            "workers and injuring two more.",
            cite(101, 0),
            cite(102, 1),
        ),
        sections=[
            Section(
                heading="What happened",
                kind="details",
                claims=[
                    claim(
                        "Rescue teams worked through the night to reach the trapped men.",
                        cite(102, 3),
                    ),
                    claim(
                        "Officials put the death toll at three, though the Valley Post reported "
                        "four.",
                        cite(101, 2),
                        cite(103, 1),
                    ),
                ],
            ),
            Section(
                heading="Reactions & questions",
                kind="reactions",
                claims=[
                    claim(
                        'A union statement read: "<script>alert(1)</script> is not safety."',
                        cite(103, 4),
                        cite(101, 5),
                    ),
                ],
            ),
        ],
        summary=[
            claim("Three workers died when a rock face collapsed at Kessel quarry.", cite(101, 0)),
        ],
        key_points=[
            claim("The rock face gave way shortly after the morning shift began.", cite(101, 1)),
            claim("The regional labour office opened an inquiry.", cite(102, 5)),
        ],
        path_ahead=[
            claim("An inquiry is due to report within six weeks.", cite(102, 6)),
            claim("The quarry may stay closed until the summer.", cite(103, 7), verified=False),
        ],
        key_developments=[
            KeyDevelopment(
                event="Collapse",
                date=dt.date(2026, 3, 3),
                details=claim(
                    "The rock face gave way shortly after the morning shift began.", cite(101, 1)
                ),
            ),
            KeyDevelopment(
                event="Inquiry opened",
                date=dt.date(2026, 3, 4),
                details=claim("The regional labour office opened an inquiry.", cite(102, 5)),
            ),
        ],
        disagreements=[
            Disagreement(
                fact="the number of workers killed",
                kind="number",
                values=[
                    DisagreementValue(
                        value="3",
                        display="three",
                        outlets=[WIRE, HERALD],
                        citations=[cite(101, 2), cite(102, 1)],
                    ),
                    DisagreementValue(
                        value="4", display="four", outlets=[POST], citations=[cite(103, 1)]
                    ),
                ],
            )
        ],
        sources=[
            SourceRef(
                article_id=101,
                outlet=WIRE,
                title="Quarry collapse kills three",
                url="https://northernwire.example/news/quarry?id=1&src=rss",
                published=day - dt.timedelta(hours=20),
                also_published_by=["Coastal Times", "Daily Ledger"],
            ),
            SourceRef(
                article_id=102,
                outlet=HERALD,
                title="Rescuers dig through night at Kessel",
                url="https://harbourherald.example/kessel",
                published=day - dt.timedelta(hours=12),
            ),
            SourceRef(
                article_id=103,
                outlet=POST,
                title="Four feared dead <b>after</b> quarry fall",
                url="javascript:alert(1)",
                published=day - dt.timedelta(hours=8),
            ),
        ],
        verification=VerificationSummary(sentences=9, verified=8, sources=3),
        disclaimer="Written by software from the sources listed; check facts before use.",
    )


@pytest.fixture
def digest() -> Digest:
    return make_digest()


@pytest.fixture
def digests() -> list[Digest]:
    return [make_digest(), make_digest("port-strike-2026", hours=3)]


@pytest.fixture
def marks(digest: Digest) -> list[tuple[Claim, str]]:
    """Each published sentence with the citation mark readers should see after it, e.g. "[1, 3]".

    Worked out independently of the renderers: sources are numbered in `digest.sources` order.
    """
    number = {ref.article_id: i for i, ref in enumerate(digest.sources, start=1)}
    return [
        (
            c,
            "["
            + ", ".join(str(n) for n in sorted({number[x.article_id] for x in c.citations}))
            + "]",
        )
        for c in digest.claims()
    ]
