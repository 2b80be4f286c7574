"""Digests for reader tests that need a stored digest without running the pipeline."""

from __future__ import annotations

import datetime as dt

from newsdistill.models import (
    Article,
    Citation,
    Claim,
    Digest,
    SourceRef,
    VerificationSummary,
)


def one_source_digest(
    article: Article, version: int, headline: str, story_id: str = "quarry-collapse-2026"
) -> Digest:
    """A digest of `story_id` citing only `article`: its text is the lede, `headline` the title."""
    assert article.id is not None
    cited = [Citation(article_id=article.id, sentence=0, outlet=article.outlet)]
    return Digest(
        story_id=story_id,
        version=version,
        created_at=article.published + dt.timedelta(hours=version),
        writer="extractive",
        headline=Claim(text=headline, citations=cited),
        dateline="Kessel",
        lede=Claim(text=article.text, citations=cited),
        sections=[],
        path_ahead=[],
        key_developments=[],
        disagreements=[],
        sources=[
            SourceRef(
                article_id=article.id,
                outlet=article.outlet,
                title=article.title,
                url=article.url,
                published=article.published,
            )
        ],
        verification=VerificationSummary(sentences=1, verified=0, sources=1),
        disclaimer="Test digest.",
    )
