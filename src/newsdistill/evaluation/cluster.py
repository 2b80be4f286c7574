"""The real incremental clusterer on a labelled article stream (`newsdistill eval cluster`).

Articles pass through the pipeline's own features (`newsdistill.cluster.article_features`) and
`Clusterer.assign`, oldest first, in memory. Only title, text, date, source and language reach
them: the label and every other field stay in the harness. Baselines run in the same command:
TF-IDF and MiniLM embeddings, each with average-link agglomerative clustering at the cosine
distance threshold that scores best on the given data (so they are tuned on dev, as ours is).

With `--density`, ours and the TF-IDF baseline also run on seeded random subsets of whole
stories: the fewer stories share a time window, the fewer same-topic neighbours an article has
to be told apart from, so this shows how the scores depend on the stream's density.

With `--jitter-seeds N`, ours also runs on the same articles with the times drawn from N other
jitter seeds: the documented seed is one draw, and an article's neighbours in time depend on it,
so this shows how much of a score is that draw. The baselines ignore time, so they do not move.
With `--grid` as well, each setting is ranked by its mean over the documented and the other
seeds, so that the tuning fits the data rather than one draw of its times.
"""

from __future__ import annotations

import functools
import itertools
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsdistill.cluster import ArticleFeatures, ClusterParams, article_features
from newsdistill.errors import InputError
from newsdistill.evaluation.datasets import JITTER_HOURS, JITTER_SEED, read_jsonl, stream
from newsdistill.evaluation.metrics import PRF, bcubed, pairwise
from newsdistill.evaluation.systems import run_clusterer
from newsdistill.models import Article
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.progress import Progress, SilentProgress

BASELINE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(4, 20))  # cosine distance
# The documented tuning grid (docs/evaluation.md): 5 x 3 x 4 x 2 x 2 = 240 settings.
GRID: dict[str, Sequence[float]] = {
    "threshold": (0.2, 0.225, 0.25, 0.275, 0.3),
    "embedding_weight": (0.4, 0.5, 0.6),
    "age_penalty": (0.0, 0.1, 0.3, 0.5),
    "penalty_free_hours": (24.0, 48.0),
    "window_hours": (72.0, 96.0),
}
PARAMS = tuple(f.name for f in fields(ClusterParams))
DENSITY_SEEDS = 5


def quality_columns(b3: PRF, pairs: PRF) -> dict[str, float]:
    """The score columns every clustering table shows, in its order."""
    return {"B3 P": b3.precision, "B3 R": b3.recall, "B3 F1": b3.f1, "pair F1": pairs.f1}


@dataclass(frozen=True)
class Scores:
    system: str
    setting: str
    bcubed: PRF
    pairwise: PRF
    predicted_clusters: int
    true_clusters: int
    articles_per_s: float

    def row(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "setting": self.setting,
            **quality_columns(self.bcubed, self.pairwise),
            "clusters": f"{self.predicted_clusters} / {self.true_clusters}",
            "articles/s": self.articles_per_s,
        }


def agglomerative(vectors: npt.NDArray[Any], threshold: float) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) < 2:
        return [0] * len(vectors)
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average"
    )
    return [int(x) for x in model.fit_predict(vectors)]


def tfidf_vectors(articles: Sequence[Article]) -> npt.NDArray[np.float64]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title}\n{a.text}" for a in articles]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return np.asarray(matrix.toarray())


def score(
    system: str, setting: str, predicted: Sequence[Any], gold: Sequence[str], seconds: float
) -> Scores:
    return Scores(
        system=system,
        setting=setting,
        bcubed=bcubed(predicted, gold),
        pairwise=pairwise(predicted, gold),
        predicted_clusters=len(set(predicted)),
        true_clusters=len(set(gold)),
        articles_per_s=len(gold) / seconds if seconds > 0 else float("inf"),
    )


def tuned_baseline(
    system: str, vectors: Callable[[], npt.NDArray[Any]], gold: Sequence[str]
) -> Scores:
    """The best threshold of BASELINE_THRESHOLDS; speed is one vectorise + one clustering."""
    started = time.perf_counter()
    matrix = vectors()
    prepared = time.perf_counter() - started
    best: tuple[float, float, float, list[int]] | None = None
    for threshold in BASELINE_THRESHOLDS:
        started = time.perf_counter()
        labels = agglomerative(matrix, threshold)
        seconds = time.perf_counter() - started
        f1 = bcubed(labels, gold).f1
        if best is None or f1 > best[0]:
            best = (f1, threshold, seconds, labels)
    assert best is not None
    _, threshold, seconds, labels = best
    return score(system, f"cosine distance {threshold}", labels, gold, prepared + seconds)


def describe(params: ClusterParams) -> str:
    return (
        f"threshold {params.threshold}, embedding {params.embedding_weight}, "
        f"age {params.age_penalty} after {params.penalty_free_hours:g} h, "
        f"window {params.window_hours:g} h"
    )


def grid_params() -> list[ClusterParams]:
    return [
        ClusterParams(**dict(zip(GRID, values, strict=True)))
        for values in itertools.product(*GRID.values())
    ]


def parse_params(text: str) -> ClusterParams:
    """ "threshold=0.3,age_penalty=0.1": ClusterParams() with those fields changed."""
    changed: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in PARAMS:
            raise InputError(f"unknown clustering parameter {name!r}; known: {', '.join(PARAMS)}")
        try:
            changed[name] = float(value)
        except ValueError:
            raise InputError(f"{name} needs a number, not {value.strip()!r}") from None
    return replace(ClusterParams(), **changed)


def cluster_and_score(
    system: str,
    params: ClusterParams,
    features: Sequence[ArticleFeatures],
    gold: Sequence[str],
    feature_seconds: float,
) -> Scores:
    """Speed counts the features too: every setting needs them, computed once here."""
    started = time.perf_counter()
    labels = run_clusterer(params, features)
    seconds = feature_seconds + time.perf_counter() - started
    return score(system, describe(params), labels, gold, seconds)


Stream = tuple[list[ArticleFeatures], list[str]]  # features oldest first, gold labels


@dataclass(frozen=True)
class GridPoint:
    """One grid setting: its scores on the documented stream, and its B-cubed F1 on every
    stream tuned on (the documented one first, then one per other jitter seed)."""

    scores: Scores
    seed_f1: tuple[float, ...]

    @property
    def mean_f1(self) -> float:
        return statistics.fmean(self.seed_f1)

    def row(self) -> dict[str, Any]:
        row = self.scores.row()
        if len(self.seed_f1) > 1:
            row[f"mean B3 F1 ({len(self.seed_f1)} seeds)"] = self.mean_f1
        return row


def tune(streams: Sequence[Stream], feature_seconds: float, progress: Progress) -> list[GridPoint]:
    """Every grid setting on the same features, best mean B-cubed F1 over the streams first."""
    settings = grid_params()
    progress.start("Tuning grid", len(settings) * len(streams))
    (features, gold), *others = streams
    results = []
    for params in settings:
        main = cluster_and_score("newsdistill", params, features, gold, feature_seconds)
        seed_f1 = [main.bcubed.f1]
        progress.advance()
        for other_features, other_gold in others:
            seed_f1.append(bcubed(run_clusterer(params, other_features), other_gold).f1)
            progress.advance()
        results.append(GridPoint(main, tuple(seed_f1)))
    return sorted(results, key=lambda g: -g.mean_f1)


@dataclass(frozen=True)
class DensityPoint:
    """B-cubed F1 on subsets holding `fraction` of the stories, one score per seed."""

    fraction: float
    stories: int
    articles: float  # mean over seeds
    newsdistill: tuple[float, ...]
    tfidf: tuple[float, ...]

    def row(self) -> dict[str, Any]:
        return {
            "share of stories": self.fraction,
            "stories": self.stories,
            "articles": self.articles,
            "newsdistill B3 F1": statistics.fmean(self.newsdistill),
            "range": f"{min(self.newsdistill):.3f}–{max(self.newsdistill):.3f}",
            "TF-IDF B3 F1": statistics.fmean(self.tfidf),
            "seeds": len(self.newsdistill),
        }


def parse_fractions(text: str) -> list[float]:
    """ "0.33,0.5": shares of the stories to keep, each in (0, 1]."""
    try:
        fractions = [float(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise InputError(f"--density takes numbers such as 0.33,0.5, not {text!r}") from None
    if not fractions or not all(0.0 < f <= 1.0 for f in fractions):
        raise InputError("--density shares must each be above 0 and at most 1")
    return fractions


def density_sweep(
    articles: Sequence[Article],
    features: Sequence[ArticleFeatures],
    gold: Sequence[str],
    fractions: Sequence[float],
    progress: Progress,
    seeds: int = DENSITY_SEEDS,
) -> list[DensityPoint]:
    """Ours (shipped defaults) and the tuned TF-IDF baseline on seeded subsets of whole stories,
    in the same time order; features are the full run's (the clusterer's word rarities are
    counted online, so they follow the subset)."""
    stories = sorted(set(gold))
    points = []
    progress.start("Density subsets", len(fractions) * seeds)
    for fraction in fractions:
        keep_n = max(1, round(fraction * len(stories)))
        ours, baseline, sizes = [], [], []
        for seed in range(seeds):
            kept = set(random.Random(seed).sample(stories, keep_n))
            idx = [i for i, g in enumerate(gold) if g in kept]
            sub_gold = [gold[i] for i in idx]
            labels = run_clusterer(ClusterParams(), [features[i] for i in idx])
            ours.append(bcubed(labels, sub_gold).f1)
            vectors = functools.partial(tfidf_vectors, [articles[i] for i in idx])
            tfidf = tuned_baseline("TF-IDF", vectors, sub_gold)
            baseline.append(tfidf.bcubed.f1)
            sizes.append(len(idx))
            progress.advance()
        points.append(
            DensityPoint(fraction, keep_n, statistics.fmean(sizes), tuple(ours), tuple(baseline))
        )
    return points


@dataclass(frozen=True)
class JitterPoint:
    """Ours (shipped defaults) on the stream with the times drawn from another seed."""

    seed: int
    bcubed: PRF
    pairwise: PRF
    predicted_clusters: int

    def row(self) -> dict[str, Any]:
        return {
            "jitter seed": self.seed,
            **quality_columns(self.bcubed, self.pairwise),
            "clusters": self.predicted_clusters,
        }


def jitter_seeds(count: int) -> list[int]:
    """The `count` seeds after the documented one, so every run uses the same ones."""
    return [JITTER_SEED + k for k in range(1, count + 1)]


def retimed(
    rows: Sequence[dict[str, Any]],
    source: Path,
    features: Sequence[ArticleFeatures],
    seed: int,
) -> Stream:
    """The stream re-timed by `seed`. Only times and order change, so the features are the
    main run's with each article's new time."""
    by_id = {f.article_id: f for f in features}
    articles, gold = stream(rows, source, seed)
    return [replace(by_id[a.id or 0], published=a.published) for a in articles], gold


def jitter_sweep(streams: Sequence[tuple[int, Stream]], progress: Progress) -> list[JitterPoint]:
    """Ours (shipped defaults) on each seed's stream."""
    points = []
    progress.start("Other jitter seeds", len(streams))
    for seed, (features, gold) in streams:
        labels = run_clusterer(ClusterParams(), features)
        points.append(
            JitterPoint(seed, bcubed(labels, gold), pairwise(labels, gold), len(set(labels)))
        )
        progress.advance()
    return points


def jitter_summary(points: Sequence[JitterPoint]) -> dict[str, Any]:
    f1 = [p.bcubed.f1 for p in points]
    return {
        "seeds": len(points),
        "mean B3 F1": statistics.fmean(f1),
        "lowest": min(f1),
        "highest": max(f1),
    }


@dataclass(frozen=True)
class ClusterEval:
    data: str
    articles: int
    results: list[Scores]
    tuning: list[GridPoint]
    density: list[DensityPoint]
    jitter: list[JitterPoint]

    def payload(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "articles": self.articles,
            "jitter_hours": JITTER_HOURS,
            "jitter_seed": JITTER_SEED,
            "results": [asdict(s) | {"bcubed_f1": s.bcubed.f1} for s in self.results],
            "tuning": [s.row() for s in self.tuning],
            "density": [asdict(p) for p in self.density],
            "jitter": [asdict(p) | {"bcubed_f1": p.bcubed.f1} for p in self.jitter],
            "jitter_summary": jitter_summary(self.jitter) if self.jitter else None,
        }


def evaluate_clustering(
    path: Path,
    limit: int | None = None,
    params: ClusterParams | None = None,
    embedder: Embedder | None = None,
    grid: bool = False,
    density: Sequence[float] = (),
    jitter: int = 0,
    progress: Progress | None = None,
) -> ClusterEval:
    """newsdistill with ClusterParams() (and `params` if given), both baselines, with `grid`
    the tuning grid, with `density` the subset sweep and with `jitter` that many other jitter
    seeds (the grid then ranks settings by their mean over the documented and those seeds)."""
    embedder = embedder or get_embedder()
    progress = progress or SilentProgress()
    progress.start("Clustering, baselines", None)
    rows = read_jsonl(path, limit)
    articles, gold = stream(rows, path)
    embedder.embed(["warm-up"])  # model loading is not per-article cost
    started = time.perf_counter()
    features = article_features(articles, embedder)
    feature_seconds = time.perf_counter() - started
    results = [cluster_and_score("newsdistill", ClusterParams(), features, gold, feature_seconds)]
    if params is not None:
        results.append(
            cluster_and_score("newsdistill (given)", params, features, gold, feature_seconds)
        )
    tfidf = tuned_baseline("TF-IDF + agglomerative", lambda: tfidf_vectors(articles), gold)
    minilm = tuned_baseline(
        "MiniLM + agglomerative",
        lambda: embedder.embed([f"{a.title}\n{a.text}" for a in articles]),
        gold,
    )
    others = [(seed, retimed(rows, path, features, seed)) for seed in jitter_seeds(jitter)]
    streams = [(features, gold), *(s for _, s in others)]
    tuning = tune(streams, feature_seconds, progress) if grid else []
    if tuning:
        label = "grid best" if len(streams) == 1 else f"grid best by mean of {len(streams)} seeds"
        results.append(replace(tuning[0].scores, system=f"newsdistill ({label})"))
    sweep = density_sweep(articles, features, gold, density, progress) if density else []
    seeds = jitter_sweep(others, progress) if others else []
    return ClusterEval(str(path), len(articles), [*results, tfidf, minilm], tuning, sweep, seeds)
