from __future__ import annotations

import datetime as dt

from newsdistill import dedupe
from newsdistill.config import Settings
from newsdistill.evaluation.bench import (
    VARIANT_DAYS,
    corpus,
    drop_duplicates,
    peak_rss_mb,
    run_bench,
    variant,
)
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
    before = peak_rss_mb()
    results, targets = run_bench([20], embedder=hash_embedder)
    assert {r.stage for r in results} == STAGES
    items = {r.stage: r.items for r in results}
    # Every page is fetched and extracted; the first 20 demo articles hold no copies (see the
    # demo manifest), so all 20 are embedded and clustered; they tell 3 stories.
    assert items["fetch"] == items["extract"] == items["dedupe"] == 20
    assert items["embed (features)"] == items["cluster"] == 20
    stories = {items[s] for s in STAGES if "extractive" in s}
    assert len(stories) == 1 and 3 <= stories.pop() < 20
    # Peak RSS is the process's high-water mark, in MB: it never falls from stage to stage.
    rss = [r.peak_rss_mb for r in results]
    assert before <= rss[0] and rss == sorted(rss)
    assert {t["measure"] for t in targets} >= {"peak RSS MB", "s per story, extractive digest"}
