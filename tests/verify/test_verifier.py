"""One verifier: `newsdistill check` and a digest reach the same verdict on the same claim, a
cited sentence is always evidence, and names in capitals are not common words."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdistill.models import Article, Citation, SourceSentence
from newsdistill.verify.check import check_summary
from newsdistill.verify.checks import check_entities
from newsdistill.verify.verifier import SourcePool, Verifier
from tests.verify.conftest import check_one

PUBLISHED = dt.datetime(2026, 11, 18, 7, 0, tzinfo=dt.UTC)
ARTICLES = [
    Article(
        id=1,
        url="https://wire.example/fire",
        title="Fire at Harlow depot kills three firefighters",
        text="",
        sentences=[
            "A fire at a fuel depot in the port town of Harlow killed three firefighters, the "
            "regional fire service said.",
            "The blaze started in a storage tank and burned for six hours before crews brought "
            "it under control.",
            "About 200 residents were evacuated from nearby streets as a precaution.",
        ],
        outlet="Harbour Wire",
        published=PUBLISHED,
    ),
    Article(
        id=2,
        url="https://gazette.example/depot",
        title="Depot owner Northline Fuels promises full inquiry",
        text="",
        sentences=[
            "Northline Fuels, which operates the depot, said it was cooperating with "
            "investigators.",
            "Fire chief Marta Quist said the three men had been trying to cool a neighbouring "
            "tank when it ruptured.",
        ],
        outlet="Harlow Gazette",
        published=PUBLISHED,
    ),
]
CLAIMS = {
    "Three firefighters died in a fire at a fuel depot in Harlow.": "supported",
    "About 200 residents were evacuated from nearby streets as a precaution.": "supported",
    "The fire at the Harlow depot killed five firefighters.": "contradicted",
    "Mayor Tomas Ridgeway praised the crews at the Northline Fuels depot.": "unsupported",
}


def _sources(articles: list[Article]) -> list[SourceSentence]:
    return [
        SourceSentence(text=text, outlet=a.outlet, published=a.published)
        for a in articles
        for text in [a.title, *a.sentences]
    ]


@pytest.mark.parametrize(("claim", "expected"), CLAIMS.items())
def test_check_and_digest_reach_the_same_verdict(
    verifier: Verifier, claim: str, expected: str
) -> None:
    """The digest path (articles, reference time, outlets as names to ignore) and `check`
    (the same sentences read from files) run one verifier on one evidence retrieval."""
    pool = SourcePool.of_articles(ARTICLES, verifier.embedder)
    digest = verifier.verify(pool, [(claim, [])], reference=PUBLISHED, ignore_names=pool.outlets)[0]
    [checked] = [u for u in check_summary(claim, _sources(ARTICLES), verifier)]
    assert digest.verdict == checked.verdict == expected, (digest.reasons, checked.reasons)
    assert checked.score == digest.score


def test_a_cited_sentence_is_always_evidence(verifier: Verifier) -> None:
    """A digest sentence is checked against what it cites even when other sentences are nearer
    in meaning; without the citation the same claim is checked without it."""
    sentences = [
        f"Crews fought the depot fire through the night, report {k} said." for k in "ABCDE"
    ]
    sentences.append("The regional fire service thanked volunteers from three towns.")
    pool = SourcePool([SourceSentence(text=s) for s in sentences], verifier.embedder)
    cited = pool.citations[-1]
    claim = "Crews battled the depot fire all night."
    with_citation = verifier.check(pool, [(claim, [cited])])[0]
    assert with_citation.evidence[0].text == sentences[-1]
    assert with_citation.verification.evidence[0] == cited
    without = check_one(verifier, pool, claim)
    assert sentences[-1] not in [e.text for e in without.evidence]


def test_verbatim_claim_cites_its_source(verifier: Verifier) -> None:
    pool = SourcePool.of_articles(ARTICLES, verifier.embedder)
    claim = ARTICLES[1].sentences[1]
    checked = verifier.check(pool, [(claim, [])])[0]
    assert checked.decided_by == "exact"
    assert checked.verification.evidence == [
        Citation(article_id=2, sentence=1, outlet="Harlow Gazette")
    ]


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        (
            "The US imposed sanctions on the shipping firm.",
            "Officials told us the firm faced sanctions.",
        ),
        (
            "The WHO warned of a new outbreak in the region.",
            "Doctors who treated patients warned of an outbreak.",
        ),
    ],
)
def test_a_name_in_capitals_is_not_a_pronoun(claim: str, evidence: str) -> None:
    assert not check_entities(claim, [SourceSentence(text=evidence)]).ok


def test_a_name_in_capitals_is_found_as_written() -> None:
    evidence = [SourceSentence(text="The U.S. and the WHO signed the agreement.")]
    assert check_entities("The US imposed sanctions on the firm.", evidence).ok
    assert check_entities("The WHO's envoy warned of an outbreak.", evidence).ok
