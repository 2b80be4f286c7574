from __future__ import annotations

import datetime as dt

from newsdistill import dedupe
from newsdistill.config import Settings
from newsdistill.evaluation.bench import VARIANT_DAYS, corpus, drop_duplicates, run_bench, variant
from newsdistill.models import Article
from tests.evaluation.conftest import HashEmbedder

STAGES = {
    "fetch",
    "extract",
    "dedupe",
    "embed (features)",
    "cluster",
    "distill (extractive, incl. verify)",
    "verify (extractive)",
    "export (extractive)",
}


def test_variants_are_new_stories_not_copies() -> None:
    first, second = variant(0), variant(1)
    assert [a.url_path for a in variant(1)] == [a.url_path for a in second]  # deterministic
    assert first[0].title != second[0].title
    assert second[0].published - first[0].published == dt.timedelta(days=VARIANT_DAYS)
    articles = [
        Article(
            id=i,
            url=a.url_path,
            title=a.title,
            text="\n".join(a.paragraphs),
            outlet=a.outlet,
            published=a.published,
            content_hash=dedupe.content_hash("\n".join(a.paragraphs)),
        )
        for i, a in enumerate(corpus(120), start=1)
    ]
    # A variant's copies are dropped as in the corpus itself, but no variant copies another.
    once = len(drop_duplicates(articles[:60], Settings()))
    assert once < 60
    assert len(drop_duplicates(articles, Settings())) == 2 * once


def test_bench_reports_every_stage(hash_embedder: HashEmbedder) -> None:
    results, targets = run_bench([20], embedder=hash_embedder)
    assert {r.stage for r in results} == STAGES
    for r in results:
        assert r.items > 0 and r.seconds > 0 and r.per_second > 0, r
        assert r.peak_rss_mb > 0
    assert {t["measure"] for t in targets} >= {"peak RSS MB", "s per story, extractive digest"}
