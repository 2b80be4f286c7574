from __future__ import annotations

import datetime as dt
from pathlib import Path

from newsdistill import dedupe
from newsdistill.config import Settings
from newsdistill.evaluation.bench import (
    RUN_ALL,
    RUN_BATCHED,
    VARIANT_DAYS,
    peak_rss_mb,
    run_bench,
    store_url,
    variant,
)
from newsdistill.store import Store
from tests.evaluation.conftest import HashEmbedder

STAGES = [
    "fetch + extract + store",
    "process (dedupe, embed, cluster)",
    "distill (extractive, incl. verify)",
    "verify (extractive)",
    "export (extractive)",
]


def test_variants_are_new_stories_not_copies() -> None:
    first, second = variant(0), variant(1)
    assert [a.url_path for a in variant(1)] == [a.url_path for a in second]  # deterministic
    assert first[0].title != second[0].title
    assert second[0].published - first[0].published == dt.timedelta(days=VARIANT_DAYS)
    # A variant copies itself as often as the corpus does, but never the corpus: no article
    # of variant 1 is a near-duplicate (as `Newsroom.process` judges) of one of variant 0.
    index = dedupe.NearDuplicateIndex(Settings().near_duplicate_threshold)
    for i, a in enumerate(first):
        index.add(i, dedupe.signature("\n".join(a.paragraphs)))
    assert all(index.best_match(dedupe.signature("\n".join(a.paragraphs))) is None for a in second)


def _counts(workdir: Path, size: int, run: str) -> dict[str, object]:
    store = Store.open(store_url(workdir, size, run))
    try:
        return store.counts()
    finally:
        store.close()


def test_bench_runs_the_newsroom_over_a_real_store(
    hash_embedder: HashEmbedder, tmp_path: Path
) -> None:
    before = peak_rss_mb()
    run = run_bench([20], embedder=hash_embedder, workdir=tmp_path, batch=8)
    assert [r.stage for r in run.stages] == STAGES
    items = {r.stage: r.items for r in run.stages}
    # The store holds what the bench reported: every page fetched from the feeds and stored,
    # every article processed, one digest per story, one page per digest exported.
    counts = _counts(tmp_path, 20, RUN_ALL)
    assert counts["feeds"] == 10
    assert items["fetch + extract + store"] == items["process (dedupe, embed, cluster)"] == 20
    assert sum(counts["articles"].values()) == 20  # type: ignore[attr-defined]
    assert counts["articles"] == {"clustered": 20}  # the first 20 demo articles hold no copies
    stories = counts["stories"]
    assert isinstance(stories, int) and 3 <= stories < 20
    assert items["distill (extractive, incl. verify)"] == counts["digests"] == stories
    assert items["verify (extractive)"] == items["export (extractive)"] == stories
    assert len(list((tmp_path / "out-20-extractive" / "stories").glob("*.html"))) == stories
    # The batched run, three batches (8, 8, 4 articles) over its own store: every article
    # changed its story's digest once, so each is timed; a story touched twice has two versions.
    (latency,) = run.latencies
    batched = _counts(tmp_path, 20, RUN_BATCHED)
    assert batched["articles"] == {"clustered": 20} and batched["stories"] == stories
    assert isinstance(batched["digests"], int) and batched["digests"] >= stories
    assert latency.articles == 20
    assert 0 < latency.p50 <= latency.p95 <= latency.seconds
    # Peak RSS is the process's high-water mark, in MB: it never falls from stage to stage.
    rss = [r.peak_rss_mb for r in run.stages]
    assert before <= rss[0] and rss == sorted(rss) and rss[-1] <= latency.peak_rss_mb
    assert {t["measure"] for t in run.targets} >= {
        "ingest → cluster articles/s at 20, SQLite store",
        "peak RSS MB",
        "s per story, extractive digest",
        "p95 s arrival → new digest at 20",
    }
