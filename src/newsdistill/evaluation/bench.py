"""Time and memory of every pipeline stage at growing corpus sizes (`newsdistill bench`).

The corpora are variants of the demo corpus (65 articles, 11 stories), made by a fixed,
seeded procedure so that stories multiply instead of repeating: variant 0 is the corpus
itself; variant k renames every capitalised word (names, but also a sentence's first word)
and one in eight of the other content words to seeded invented words, the same within the
variant, adds a seeded offset to the small numbers, moves every article k × VARIANT_DAYS
days later and gives it its own URL. No article of a variant is a near-duplicate of another
variant's. A corpus of n articles is the first n articles of variants 0, 1, 2, …, served as
HTML pages from 127.0.0.1. Each stage runs the pipeline's own functions on the previous
stage's output; peak RSS is the process's high-water mark (`resource.getrusage`) after it.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import random
import re
import resource
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from newsdistill import dedupe
from newsdistill.cluster import ArticleFeatures, ClusterParams, article_features
from newsdistill.config import Settings
from newsdistill.demo import CORPUS, allowing, serve_corpus
from newsdistill.demo_corpus import build
from newsdistill.errors import ExtractionError, FetchError
from newsdistill.evaluation.metrics import growth_exponent, n_log_n_exponent
from newsdistill.evaluation.systems import run_clusterer
from newsdistill.extract import extract_article
from newsdistill.ingest.fetch import Fetcher, fetch_many
from newsdistill.models import Article, Verification
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.nlp.entities import extract_entities
from newsdistill.nlp.lexicon import STOPWORDS
from newsdistill.pipeline import build_article, make_distiller
from newsdistill.publish import write_site
from newsdistill.verify import Verifier
from newsdistill.writers import get_writer

BENCH_SEED = 20261122
# Targets of issue #4 (2 cores).
TARGET_INGEST_PER_S = 50.0
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


def write_pages(articles: Sequence[build.Article], root: Path) -> list[str]:
    """One HTML page per article under `root`, as the demo site renders it; their URL paths."""
    outlets = build.load_outlets(CORPUS / "outlets.json")
    for a in articles:
        path = root / a.url_path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build.render_article_page(outlets[a.outlet], a, ()), encoding="utf-8")
    return [a.url_path for a in articles]


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

    @contextmanager
    def stage(self, name: str, items: Callable[[], int]) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.results.append(StageResult(self.size, name, items(), seconds, peak_rss_mb()))


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


def fetch_pages(base: str, paths: Sequence[str], settings: Settings) -> list[tuple[str, str]]:
    with Fetcher(settings) as fetcher:
        results = fetch_many(fetcher, [base + p for p in paths], workers=settings.fetch_concurrency)
        return sorted((url, r.text) for url, r in results if not isinstance(r, FetchError))


def extract_pages(pages: Sequence[tuple[str, str]]) -> list[Article]:
    out: list[Article] = []
    for url, html in pages:
        try:
            article = build_article(url, extract_article(html, url))
        except ExtractionError:
            continue
        out.append(article.model_copy(update={"id": len(out) + 1}))
    return sorted(out, key=lambda a: (a.published, a.id or 0))


def drop_duplicates(articles: Sequence[Article], settings: Settings) -> list[Article]:
    """Exact copies (content hash) and syndicated copies (MinHash), first one kept, as
    `Newsroom.process` decides them."""
    index = dedupe.NearDuplicateIndex(settings.near_duplicate_threshold)
    seen: set[str] = set()
    kept = []
    for a in articles:
        sig = dedupe.signature(a.text)
        if a.content_hash in seen or index.best_match(sig) is not None:
            continue
        seen.add(a.content_hash)
        index.add(a.id or 0, sig)
        kept.append(a)
    return kept


def stories_of(
    articles: Sequence[Article], features: Sequence[ArticleFeatures], params: ClusterParams
) -> dict[str, list[Article]]:
    stories: dict[str, list[Article]] = {}
    for article, story in zip(articles, run_clusterer(params, features), strict=True):
        stories.setdefault(story, []).append(article)
    return stories


def bench_size(
    size: int,
    writers: Sequence[str],
    settings: Settings,
    embedder: Embedder,
    workdir: Path,
    seed: int = BENCH_SEED,
) -> list[StageResult]:
    """Every stage once on a corpus of `size` articles."""
    timer = Timer(size)
    root = workdir / f"site-{size}"
    paths = write_pages(corpus(size, seed), root)
    with serve_corpus(root) as base, timer.stage("fetch", lambda: len(pages)):
        pages = fetch_pages(base, paths, allowing(settings, base))
    with timer.stage("extract", lambda: len(articles)):
        articles = extract_pages(pages)
    with timer.stage("dedupe", lambda: len(articles)):
        kept = drop_duplicates(articles, settings)
    with timer.stage("embed (features)", lambda: len(kept)):
        features = article_features(kept, embedder)
    params = ClusterParams.from_settings(settings)
    with timer.stage("cluster", lambda: len(kept)):
        stories = stories_of(kept, features, params)
    for name in writers:
        distiller = make_distiller(settings, embedder, get_writer(name, settings))
        with (
            time_verification() as verifying,
            timer.stage(f"distill ({name}, incl. verify)", lambda: len(stories)),
        ):
            digests = [distiller.distill(sid, arts, [], 1) for sid, arts in stories.items()]
        timer.results.append(
            StageResult(size, f"verify ({name})", len(stories), verifying[0], peak_rss_mb())
        )
        with timer.stage(f"export ({name})", lambda: len(stories)):
            write_site(digests, workdir / f"out-{size}-{name}")
    return timer.results


INGEST_STAGES = ("fetch", "extract", "dedupe", "embed (features)", "cluster")


def summary(results: Sequence[StageResult], writers: Sequence[str]) -> list[dict[str, Any]]:
    """Targets of the issue against the largest size, and each stage's growth exponent."""
    sizes = sorted({r.size for r in results})
    largest = [r for r in results if r.size == sizes[-1]]
    by_stage = {r.stage: r for r in largest}
    ingest_s = sum(by_stage[s].seconds for s in INGEST_STAGES)
    rss = max(r.peak_rss_mb for r in results)
    rows: list[dict[str, Any]] = [
        _target(
            f"ingest → cluster articles/s at {sizes[-1]}",
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
    if len(sizes) > 1:
        bound = n_log_n_exponent(sizes[0], sizes[-1]) + EXPONENT_SLACK
        for stage in by_stage:
            points = [(r.size, r.seconds) for r in results if r.stage == stage]
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


def run_bench(
    sizes: Sequence[int],
    writers: Sequence[str] = ("extractive",),
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    seed: int = BENCH_SEED,
) -> tuple[list[StageResult], list[dict[str, Any]]]:
    settings = settings or Settings()
    embedder = embedder or get_embedder(settings)
    # Model loading (MiniLM, spaCy for the verifier's name checks) is a one-off, not a cost
    # per article: done before the clock starts.
    embedder.embed(["warm-up"])
    extract_entities("Warm-up in Port Semmet.")
    results: list[StageResult] = []
    with tempfile.TemporaryDirectory(prefix="newsdistill-bench-") as tmp:
        for size in sorted(sizes):  # ascending: the RSS high-water mark then reads per size
            results.extend(bench_size(size, writers, settings, embedder, Path(tmp), seed))
    return results, summary(results, writers)
