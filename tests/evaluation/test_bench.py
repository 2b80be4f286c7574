from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsdistill import dedupe
from newsdistill.config import Settings
from newsdistill.demo import allowing, serve_corpus
from newsdistill.demo_corpus import build
from newsdistill.evaluation import stream
from newsdistill.evaluation.bench import (
    IN_PROCESS,
    RUN_ALL,
    RUN_BATCHED,
    VARIANT_DAYS,
    bench_workers,
    peak_rss_mb,
    run_bench,
    store_url,
    variant,
)
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from tests.conftest import ON_POSTGRESQL, TEST_DB
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


def test_the_stream_is_seeded_events_of_their_own_spread_over_days() -> None:
    articles, feeds = stream.generate(700)
    again, _ = stream.generate(700)
    assert again == articles  # deterministic
    assert stream.generate(700, seed=1)[0] != articles
    assert len(articles) == 700 and len({a.url_path for a in articles}) == 700
    events: dict[str, list[build.Article]] = {}
    for a in articles:
        events.setdefault(a.story, []).append(a)
    assert len(events) == 700 // stream.MEAN_EVENT_ARTICLES
    assert {a.outlet for a in articles} == set(feeds) and len(feeds) == 20
    # Publication order is total (no ties) and spans days; each event's reports come within
    # EVENT_HOURS of each other.
    times = [a.published for a in articles]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert times[-1] - times[0] > dt.timedelta(days=2)
    for own in events.values():
        assert own[-1].published - own[0].published < dt.timedelta(hours=stream.EVENT_HOURS)
    # An event's place is named in all its articles and in no other event's.
    places = {e: own[0].paragraphs[0].split()[0] for e, own in events.items()}
    assert len(set(places.values())) == len(places)
    for a in articles:
        assert places[a.story] in a.paragraphs[0]


def test_the_stream_is_served_as_feeds_and_pages_the_newsroom_reads(
    hash_embedder: HashEmbedder, tmp_path: Path
) -> None:
    articles, feeds = stream.generate(40, feeds=3)
    stream.write_stream(articles, feeds, tmp_path / "site")
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    with serve_corpus(tmp_path / "site") as base:
        room = Newsroom(allowing(Settings(), base), store, embedder=hash_embedder)
        for outlet in feeds.values():
            room.add_feed(base + outlet.feed_path)
        assert room.fetch().added == 40
    stored = {a.url.removeprefix(base): a for a in store.pending_articles()}
    for a in articles:
        got = stored[a.url_path]
        assert got.title == a.title and got.published == a.published
        assert all(p in got.text for p in a.paragraphs)
    store.close()


@pytest.mark.slow
def test_the_workers_bench_runs_real_workers_over_a_fresh_store(tmp_path: Path) -> None:
    pytest.importorskip("celery")
    from tests.distributed.conftest import broker

    server = TEST_DB if ON_POSTGRESQL else "sqlite:"
    in_process, one = bench_workers(30, [1], server, broker("redis"), tmp_path, batch=15)
    assert (in_process.workers, one.workers) == (IN_PROCESS, 1)
    assert (in_process.store, one.store) == ("SQLite", "PostgreSQL" if ON_POSTGRESQL else "SQLite")
    # The same stream, in the same two rounds, gives the same stories on the worker.
    assert in_process.articles == one.articles == 30 and in_process.rounds == one.rounds == 2
    assert in_process.stories == one.stories > 1
    for run in (in_process, one):
        assert 0 < run.p50 <= run.p95 <= run.seconds and run.ingest_cluster_per_s > 0
    # Memory is measured per process: the worker's main process and its pool process.
    roles = sorted(p.split()[1] for p in one.peak_rss_mb if p.startswith("bench1-0"))
    assert roles == ["main", "pool"] and all(mb > 50 for mb in one.peak_rss_mb.values())
