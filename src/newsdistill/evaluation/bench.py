"""Time and memory of every pipeline stage at growing corpus sizes (`newsdistill bench`).

The corpora are variants of the demo corpus (65 articles, 11 stories), made by a fixed,
seeded procedure so that stories multiply instead of repeating: variant 0 is the corpus
itself; variant k renames every capitalised word (names, but also a sentence's first word)
and one in eight of the other content words to seeded invented words, the same within the
variant, adds a seeded offset to the small numbers, moves every article k × VARIANT_DAYS
days later and gives it its own URL. No article of a variant is a near-duplicate of another
variant's. A corpus of n articles is the first n articles of variants 0, 1, 2, …, served as
HTML pages and per-outlet feeds from 127.0.0.1.

Every stage is the shipped `Newsroom` over a fresh SQLite store, subscribed to the outlets'
feeds: `fetch` (poll, fetch, extract, store), `process` (dedupe, embed, cluster), `distill`,
`export`, each timed; peak RSS is the process's high-water mark (`resource.getrusage`) after
it. A second run over another fresh store feeds the same corpus in batches, as `watch` sees
it, for the time from an article's arrival to its story's new digest.
"""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import datetime as dt
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import create_engine, make_url, text

from newsdistill.config import Settings
from newsdistill.demo import CORPUS, allowing, serve_corpus
from newsdistill.demo_corpus import build
from newsdistill.evaluation import stream
from newsdistill.evaluation.metrics import growth_exponent, n_log_n_exponent
from newsdistill.evaluation.stream import write_feeds, write_pages
from newsdistill.models import Verification
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.nlp.entities import extract_entities
from newsdistill.nlp.language import article_language
from newsdistill.nlp.lexicon import STOPWORDS
from newsdistill.nlp.multilingual import crosslingual_embedder
from newsdistill.pipeline import Newsroom
from newsdistill.progress import SilentProgress
from newsdistill.store import Store
from newsdistill.store.scratch import scratch_database
from newsdistill.verify import Verifier

BENCH_SEED = 20261122
T = TypeVar("T")
# Targets of issues #4 and #18 (2 cores); ingest → cluster through the real store, in-process.
TARGET_INGEST_PER_S = 100.0
TARGET_S_PER_STORY = 1.0
TARGET_RSS_MB = 3 * 1024
EXPONENT_SLACK = 0.1  # timing noise allowed above the n log n slope

_SYLLABLES = "ka lo mi ren tor va sel dun ari bel cor fen gal hin jus mor nev pal quin ros".split()
_WORD = re.compile(r"\b[A-Za-z]+\b")
RENAMED_SHARE = 1 / 8
# Longer than a story's span (4 days) plus the clustering window (4 days): a variant's stories
# differ from the previous variant's only in names and details, which no meaning-based
# clusterer could be asked to keep apart in the same days.
VARIANT_DAYS = 9
_CALENDAR = frozenset(
    [*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr, "Sept"]
)
_SMALL_NUMBER = re.compile(r"(?<![\d:.,])\b\d{1,3}\b(?![:\d]|[.,]\d)")


@cache
def demo_articles() -> tuple[build.Article, ...]:
    sections = build.load_sections(CORPUS / "manifest.json")
    return tuple(build.load_articles(CORPUS / "articles.json", sections))


@cache
def outlets() -> dict[str, build.Outlet]:
    return build.load_outlets(CORPUS / "outlets.json")


def _texts(a: build.Article) -> list[str]:
    return [a.title, a.summary, a.author, *a.paragraphs]


@cache
def vocabulary() -> tuple[str, ...]:
    words = {w for a in demo_articles() for t in _texts(a) for w in _WORD.findall(t)}
    return tuple(sorted(words))


def _invent(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))


def renames(rng: random.Random) -> dict[str, str]:
    """Every capitalised word (but month and day names, which dates need) and one in
    RENAMED_SHARE of the other content words, each to an invented word: enough changed words
    that a variant's articles are not near-duplicates of the original's."""
    out = {}
    for word in vocabulary():
        if word.casefold() in STOPWORDS or word in _CALENDAR:
            continue
        if word[0].isupper():
            out[word] = _invent(rng).capitalize()
        elif len(word) > 4 and rng.random() < RENAMED_SHARE:
            out[word] = _invent(rng)
    return out


def variant(k: int, seed: int = BENCH_SEED) -> list[build.Article]:
    """Variant k of the demo corpus (k = 0: the corpus itself)."""
    articles = list(demo_articles())
    if k == 0:
        return articles
    rng = random.Random(f"{seed}:{k}")
    names = renames(rng)
    offset = rng.randint(1, 9)

    def rename(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.isupper() and len(word) > 1:  # datelines: "KELBY, Estavia"
            return names.get(word.capitalize(), word).upper()
        return names.get(word, word)

    def edit(text: str) -> str:
        text = _WORD.sub(rename, text)
        return _SMALL_NUMBER.sub(lambda m: str(int(m.group(0)) + offset), text)

    return [
        dataclasses.replace(
            a,
            id=f"{a.id}-v{k}",
            url_path=f"/v{k}{a.url_path}",
            title=edit(a.title),
            author=edit(a.author),
            summary=edit(a.summary),
            paragraphs=tuple(edit(p) for p in a.paragraphs),
            published=a.published + dt.timedelta(days=k * VARIANT_DAYS),
        )
        for a in articles
    ]


def corpus(n: int, seed: int = BENCH_SEED) -> list[build.Article]:
    """The first n articles of variants 0, 1, 2, …"""
    out: list[build.Article] = []
    k = 0
    while len(out) < n:
        out.extend(variant(k, seed))
        k += 1
    return out[:n]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass
class StageResult:
    size: int
    stage: str
    items: int  # articles, or stories for the distill, verify and export stages
    seconds: float
    peak_rss_mb: float

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else float("inf")

    def row(self) -> dict[str, Any]:
        return {
            "articles": self.size,
            "stage": self.stage,
            "items": self.items,
            "seconds": self.seconds,
            "items/s": self.per_second,
            "peak RSS MB": self.peak_rss_mb,
        }


@dataclass
class Timer:
    size: int
    results: list[StageResult] = field(default_factory=list)

    def run(self, name: str, work: Callable[[], T], items: Callable[[T], int]) -> T:
        """`work()` timed as stage `name`, its result's `items` counted."""
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        self.results.append(StageResult(self.size, name, items(result), seconds, peak_rss_mb()))
        return result


@contextmanager
def time_verification() -> Iterator[list[float]]:
    """Adds the seconds spent in `Verifier.verify` to the yielded list while active. The
    Distiller builds its own Verifier per story, so the method is wrapped on the class."""
    spent = [0.0]
    original = Verifier.verify

    def timed(self: Verifier, *args: Any, **kwargs: Any) -> list[Verification]:
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    Verifier.verify = timed  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        Verifier.verify = original  # type: ignore[method-assign]


def store_url(workdir: Path, size: int, run: str) -> str:
    """The SQLite store of one run (`RUN_ALL` or `RUN_BATCHED`) at one size."""
    return f"sqlite:///{workdir / f'bench-{size}-{run}.db'}"


RUN_ALL = "all"
RUN_BATCHED = "batched"
FETCH_STAGE = "fetch + extract + store"
PROCESS_STAGE = "process (dedupe, embed, cluster)"
BATCH_STAGE = "arrival → new digest"
# Articles per batch of the latency run: about one `watch` poll round of the demo's 9 feeds
# in a busy hour. Fixed, not a share of the corpus, so the latency is comparable across sizes
# and shows whether it grows with the store.
WATCH_BATCH = 50


@contextmanager
def newsroom(settings: Settings, embedder: Embedder, url: str, root: Path) -> Iterator[Newsroom]:
    """A Newsroom over a fresh store at `url`, subscribed to every outlet's feed of the corpus
    served from `root` on 127.0.0.1, as a user's `newsdistill feeds add` would."""
    store = Store.open(url)
    try:
        with serve_corpus(root) as base:
            room = Newsroom(
                allowing(settings, base).model_copy(update={"db": url}), store, embedder=embedder
            )
            for outlet in outlets().values():
                room.add_feed(base + outlet.feed_path)
            yield room
    finally:
        store.close()


def bench_all(
    size: int,
    articles: Sequence[build.Article],
    writers: Sequence[str],
    settings: Settings,
    embedder: Embedder,
    workdir: Path,
) -> list[StageResult]:
    """The whole corpus in one go, each stage timed: what `newsdistill fetch`, `process`,
    `distill` and `export` do."""
    timer = Timer(size)
    root = workdir / f"site-{size}"
    write_pages(articles, outlets(), root)
    with newsroom(settings, embedder, store_url(workdir, size, RUN_ALL), root) as room:
        write_feeds(articles, outlets(), root)
        timer.run(FETCH_STAGE, room.fetch, lambda r: r.added)
        timer.run(PROCESS_STAGE, room.process, lambda r: r.processed)
        for name in writers:
            distill = f"distill ({name}, incl. verify)"
            with time_verification() as verifying:
                distilled = timer.run(distill, partial(room.distill, name), lambda r: r.written)
            timer.results.append(
                StageResult(
                    size, f"verify ({name})", distilled.written, verifying[0], peak_rss_mb()
                )
            )
            out = workdir / f"out-{size}-{name}"
            timer.run(f"export ({name})", partial(room.export, out), lambda r: len(r.pages))
    return timer.results


class _DistillClock(SilentProgress):
    """When `Newsroom.distill` finishes each story: it advances its progress once per story,
    in the order of the story ids it was given."""

    def __init__(self) -> None:
        self.distilling = False
        self.done: list[float] = []

    def start(self, stage: str, total: int | None) -> None:
        self.distilling = stage.startswith("Distilling")
        self.done.clear()

    def advance(self, amount: int = 1) -> None:
        if self.distilling:
            self.done.append(time.perf_counter())


@dataclass
class Latency:
    size: int
    articles: int  # articles that changed their story's digest
    p50: float
    p95: float
    seconds: float  # the whole batched run
    peak_rss_mb: float
    batch: int = WATCH_BATCH

    def row(self) -> dict[str, Any]:
        return {
            "articles": self.size,
            "batch": self.batch,
            "articles timed": self.articles,
            "p50 s": self.p50,
            "p95 s": self.p95,
            "run seconds": self.seconds,
            "peak RSS MB": self.peak_rss_mb,
        }


def bench_batched(
    size: int,
    articles: Sequence[build.Article],
    writer: str,
    settings: Settings,
    embedder: Embedder,
    workdir: Path,
    batch: int = WATCH_BATCH,
) -> Latency:
    """The corpus arriving in batches of `batch` articles by publication time, as `watch` sees
    it: each batch's feeds list its articles; the batch is fetched, processed, and the stories
    it touched distilled. An article's latency is the end of its story's distill in its batch
    minus the start of the batch; a copy of an earlier article changes no digest and counts
    none."""
    root = workdir / f"site-{size}-{RUN_BATCHED}"
    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    write_pages(ordered, outlets(), root)
    clock = _DistillClock()
    latencies: list[float] = []
    started = time.perf_counter()
    with newsroom(settings, embedder, store_url(workdir, size, RUN_BATCHED), root) as room:
        room.progress = clock
        for first in range(0, len(ordered), batch):
            arriving = ordered[first : first + batch]
            write_feeds(arriving, outlets(), root)
            paths = {a.url_path for a in arriving}
            begun = time.perf_counter()
            room.fetch()
            touched = sorted(room.process().stories)
            room.distill(writer, touched)
            for story_id, done in zip(touched, clock.done, strict=True):
                kept, _ = room.store.story_articles(story_id)
                new = sum(urlsplit(a.url).path in paths for a in kept)
                latencies.extend([done - begun] * new)
    seconds = time.perf_counter() - started
    p50, p95 = (float(q) for q in np.percentile(latencies, [50, 95])) if latencies else (0, 0)
    return Latency(size, len(latencies), p50, p95, seconds, peak_rss_mb(), batch)


def bench_size(
    size: int,
    writers: Sequence[str],
    settings: Settings,
    embedder: Embedder,
    workdir: Path,
    seed: int = BENCH_SEED,
    batch: int = WATCH_BATCH,
) -> tuple[list[StageResult], Latency]:
    """Every stage once on a corpus of `size` articles, then the batched latency run with the
    first writer, each over its own fresh store in `workdir`."""
    articles = corpus(size, seed)
    results = bench_all(size, articles, writers, settings, embedder, workdir)
    return results, bench_batched(size, articles, writers[0], settings, embedder, workdir, batch)


INGEST_STAGES = (FETCH_STAGE, PROCESS_STAGE)


def summary(
    results: Sequence[StageResult], latencies: Sequence[Latency], writers: Sequence[str]
) -> list[dict[str, Any]]:
    """Targets of the issues against the largest size, and each stage's growth exponent."""
    sizes = sorted({r.size for r in results})
    largest = [r for r in results if r.size == sizes[-1]]
    by_stage = {r.stage: r for r in largest}
    ingest_s = sum(by_stage[s].seconds for s in INGEST_STAGES)
    rss = max([r.peak_rss_mb for r in results] + [lat.peak_rss_mb for lat in latencies])
    rows: list[dict[str, Any]] = [
        _target(
            f"ingest → cluster articles/s at {sizes[-1]}, SQLite store",
            f"≥ {TARGET_INGEST_PER_S:g}",
            sizes[-1] / ingest_s,
            sizes[-1] / ingest_s >= TARGET_INGEST_PER_S,
        ),
        _target("peak RSS MB", f"≤ {TARGET_RSS_MB}", rss, rss <= TARGET_RSS_MB),
    ]
    for name in writers:
        story = by_stage[f"distill ({name}, incl. verify)"]
        per_story = story.seconds / max(story.items, 1)
        target = name == "extractive"
        rows.append(
            _target(
                f"s per story, {name} digest",
                f"≤ {TARGET_S_PER_STORY:g}" if target else "-",
                per_story,
                per_story <= TARGET_S_PER_STORY if target else None,
            )
        )
    for lat in latencies:
        if lat.size == sizes[-1]:
            rows.append(_target(f"p95 s {BATCH_STAGE} at {lat.size}", "-", lat.p95, None))
    if len(sizes) > 1:
        bound = n_log_n_exponent(sizes[0], sizes[-1]) + EXPONENT_SLACK
        series = {s: [(r.size, r.seconds) for r in results if r.stage == s] for s in by_stage}
        series[f"{BATCH_STAGE}, p95"] = [(lat.size, lat.p95) for lat in latencies]
        for stage, points in series.items():
            exponent = growth_exponent([p[0] for p in points], [p[1] for p in points])
            rows.append(
                _target(
                    f"growth exponent: {stage}",
                    f"≤ {bound:.2f} (n log n)",
                    exponent,
                    None if exponent is None else exponent <= bound,
                )
            )
    return rows


def _target(what: str, target: str, measured: float | None, met: bool | None) -> dict[str, Any]:
    verdict = "-" if met is None else ("met" if met else "MISSED")
    return {"measure": what, "target": target, "measured": measured, "verdict": verdict}


@dataclass
class BenchRun:
    stages: list[StageResult]
    latencies: list[Latency]
    targets: list[dict[str, Any]]


def run_bench(
    sizes: Sequence[int],
    writers: Sequence[str] = ("extractive",),
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    seed: int = BENCH_SEED,
    workdir: Path | None = None,
    batch: int = WATCH_BATCH,
) -> BenchRun:
    """Every size in ascending order in this process, the stores in `workdir` (kept) or in a
    temporary folder (removed)."""
    settings = settings or Settings()
    embedder = embedder or get_embedder(settings)
    # Model loading (MiniLM and the cross-lingual embedder `process` also runs, the language
    # identifier, spaCy for the verifier's name checks) is a one-off, not a cost per article:
    # done before the clock starts.
    embedder.embed(["warm-up"])
    crosslingual_embedder(settings).embed(["warm-up"])
    article_language("Warm-up in Port Semmet, where the harbour opened.")
    extract_entities("Warm-up in Port Semmet.")
    stages: list[StageResult] = []
    latencies: list[Latency] = []
    with contextlib.ExitStack() as stack:
        folder = workdir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="newsdistill-bench-"))
        )
        for size in sorted(sizes):  # ascending: the RSS high-water mark then reads per size
            results, latency = bench_size(size, writers, settings, embedder, folder, seed, batch)
            stages.extend(results)
            latencies.append(latency)
    return BenchRun(stages, latencies, summary(stages, latencies, writers))


# --------------------------------------------------------------------------- workers mode

IN_PROCESS = 0  # the worker count that stands for the embedded run, in this process
WORKERS_BATCH = 500  # articles a round of the workers bench: a busy few minutes of 10,000 feeds


class WorkerProcesses:
    """`newsdistill worker` processes (each one OS process with a pool of one), started
    with one environment: the shipped worker, as an operator starts it."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.workers: dict[str, subprocess.Popen[bytes]] = {}

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "newsdistill", *args]

    def start(self, name: str, stages: str | None = None) -> None:
        """Start worker `name` for `stages` (comma-separated; default all of them)."""
        from newsdistill.distributed import STAGES  # Celery, an extra: only when workers run

        stages = stages or ",".join(STAGES)
        # The node name is the broker's (its control queue), not the run's: made unique with
        # the run's queue prefix, so that runs sharing a broker never clash on it.
        node = f"{name}.{self.env['NEWSDISTILL_QUEUE_PREFIX'].strip('-')}@%h"
        with (self.logs / f"{name}.log").open("wb") as log:
            self.workers[name] = subprocess.Popen(
                self.command("worker", "--stages", stages, "--name", node),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def pool(self, name: str) -> list[int]:
        """The worker's pool processes (children of its main process)."""
        pid = self.workers[name].pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def peak_rss_mb(self) -> dict[str, float]:
        """Each worker process's and pool process's peak resident memory (VmHWM), in MB."""
        peaks = {}
        for name, worker in self.workers.items():
            for role, pid in [("main", worker.pid), *(("pool", p) for p in self.pool(name))]:
                peaks[f"{name} {role} {pid}"] = _vm_hwm_mb(pid)
        return peaks

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.send_signal(signal.SIGTERM)
        for worker in self.workers.values():
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _vm_hwm_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return 0.0


def worker_env(db: str, broker: str, base: str, home: Path) -> dict[str, str]:
    """The environment of workers over store `db` and `broker`, fetching from the stream
    server at `base`, on queues of their own (a unique prefix: runs sharing a broker never
    take each other's tasks), running this process's code."""
    return {
        **os.environ,
        "NEWSDISTILL_HOME": str(home),
        "NEWSDISTILL_DB": db,
        "NEWSDISTILL_BROKER_URL": broker,
        "NEWSDISTILL_QUEUE_PREFIX": f"bench-{uuid.uuid4().hex[:12]}-",
        "NEWSDISTILL_FETCH_ALLOW": urlsplit(base).netloc,
        "NEWSDISTILL_DISPATCH_TIMEOUT": "7200",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }


@dataclass
class WorkersResult:
    workers: int  # IN_PROCESS: the embedded run in this process
    store: str
    articles: int
    stories: int
    rounds: int
    ingest_cluster_per_s: float  # articles over ingest + cluster time, rounds after the first
    p50: float  # arrival → digest: a round's end minus its start, for each article in it
    p95: float
    seconds: float
    peak_rss_mb: dict[str, float]
    table_mb: dict[str, float]  # the store's size on disk by table (SQLite: the whole file)

    def row(self) -> dict[str, Any]:
        return {
            "workers": self.workers or "in-process",
            "store": self.store,
            "articles": self.articles,
            "stories": self.stories,
            "rounds": self.rounds,
            "ingest → cluster articles/s": self.ingest_cluster_per_s,
            "p50 s": self.p50,
            "p95 s": self.p95,
            "run seconds": self.seconds,
            "peak RSS MB (max process)": max(self.peak_rss_mb.values(), default=0.0),
            "store MB": sum(self.table_mb.values()),
        }


@dataclass
class _Round:
    articles: int
    ingest_cluster: float
    seconds: float


def _in_process_round(room: Newsroom, writer: str) -> _Round:
    begun = time.perf_counter()
    added = room.fetch().added
    touched = sorted(room.process().stories)
    ingested = time.perf_counter()
    room.distill(writer, touched)
    return _Round(added, ingested - begun, time.perf_counter() - begun)


def bench_workers(
    n: int,
    worker_counts: Sequence[int],
    server: str,
    broker: str,
    workdir: Path,
    writer: str = "extractive",
    batch: int = WORKERS_BATCH,
) -> list[WorkersResult]:
    """The generated stream of `n` articles arriving in rounds of `batch` (by publication
    time), once in this process over SQLite and once per count of worker processes over a
    fresh database on `server`, each round a `dispatch` to the workers (poll every feed,
    cluster, distill). The first round loads the models and is left out of articles/s."""
    articles, feeds = stream.generate(n)
    root = workdir / f"stream-{n}"
    write_pages(articles, feeds, root)
    results = []
    with serve_corpus(root) as base:
        for count in [IN_PROCESS, *worker_counts]:
            on = "sqlite:" if count == IN_PROCESS else server
            with scratch_database(on, workdir, f"workers-{n}-{count}") as db:
                store = Store.open(db)
                try:
                    settings = allowing(Settings(home=workdir, db=db, broker_url=broker), base)
                    room = Newsroom(settings, store)
                    for outlet in feeds.values():
                        room.add_feed(base + outlet.feed_path)

                    def arrive(first: int) -> None:
                        write_feeds(articles[first : first + batch], feeds, root)

                    rounds = range(0, len(articles), batch)
                    if count == IN_PROCESS:
                        timed = []
                        for first in rounds:
                            arrive(first)
                            timed.append(_in_process_round(room, writer))
                        peaks = {"this process": peak_rss_mb()}
                    else:
                        timed, peaks = _on_workers(
                            count, settings, writer, base, workdir, rounds, arrive
                        )
                    result = _workers_result(count, _store_kind(on), store, timed, peaks)
                    results.append(dataclasses.replace(result, table_mb=table_mb(db)))
                finally:
                    store.close()
    return results


def _on_workers(
    count: int,
    settings: Settings,
    writer: str,
    base: str,
    workdir: Path,
    rounds: Iterable[int],
    arrive: Callable[[int], None],
) -> tuple[list[_Round], dict[str, float]]:
    """Every round dispatched to `count` fresh worker processes; with their peak memory."""
    from newsdistill import distributed

    db = settings.database_url()
    env = worker_env(db, settings.broker_url, base, workdir)
    distributed.configure(
        settings.model_copy(update={"queue_prefix": env["NEWSDISTILL_QUEUE_PREFIX"]})
    )
    pool = WorkerProcesses(env, workdir)
    try:
        for i in range(count):
            pool.start(f"bench{count}-{i}")
        timed = []
        for first in rounds:
            arrive(first)
            begun = time.perf_counter()
            report = distributed.dispatch(distributed.feed_ids(), timeout=7200, writer=writer)
            ingest = report.seconds["ingest"] + report.seconds["cluster"]
            timed.append(_Round(report.added, ingest, time.perf_counter() - begun))
        return timed, {"dispatching process": peak_rss_mb(), **pool.peak_rss_mb()}
    finally:
        pool.stop()


def _store_kind(url: str) -> str:
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


def _workers_result(
    count: int,
    on: str,
    store: Store,
    rounds: Sequence[_Round],
    peaks: dict[str, float],
) -> WorkersResult:
    later = rounds[1:] or rounds
    per_s = sum(r.articles for r in later) / max(sum(r.ingest_cluster for r in later), 1e-9)
    latencies = [r.seconds for r in rounds for _ in range(r.articles)]
    p50, p95 = (float(q) for q in np.percentile(latencies, [50, 95])) if latencies else (0, 0)
    return WorkersResult(
        workers=count,
        store=on,
        articles=sum(r.articles for r in rounds),
        stories=len(store.list_stories()),
        rounds=len(rounds),
        ingest_cluster_per_s=per_s,
        p50=p50,
        p95=p95,
        seconds=sum(r.seconds for r in rounds),
        peak_rss_mb=peaks,
        table_mb={},
    )


def table_mb(db: str) -> dict[str, float]:
    """The store's size on disk: per table with its indexes and TOAST on PostgreSQL, the file
    (with its WAL) on SQLite."""
    url = make_url(db)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        files = [path, path.with_name(path.name + "-wal")]
        return {"(file)": sum(f.stat().st_size for f in files if f.exists()) / 2**20}
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables "
                    "ORDER BY 2 DESC"
                )
            )
            return {name: size / 2**20 for name, size in rows}
    finally:
        engine.dispose()
