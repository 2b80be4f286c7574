"""`newsdistill eval factcheck`: the verifier on (document, summary, label) pairs, and a baseline.

Each summary is split into sentences; each sentence is checked against its document by the
verifier that guards digests, as a claim without citations (as `newsdistill check` does), and the
summary counts as consistent only if every sentence is supported. The baseline is the
lexical-overlap judge on the same evidence, summary score = its weakest sentence, with the
threshold that maximises balanced accuracy on the evaluated data itself (an optimistic baseline).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsdistill.errors import InputError
from newsdistill.evaluation.datasets import read_jsonl
from newsdistill.models import SourceSentence
from newsdistill.nlp.sentences import split_sentences
from newsdistill.verify.check import default_verifier
from newsdistill.verify.judge import OverlapJudge
from newsdistill.verify.verifier import SourcePool, Verifier


@dataclass(frozen=True)
class Pair:
    id: str
    document: str
    summary: str
    label: int
    origin: str
    group: str
    sentence_labels: tuple[int, ...] | None = None


def load_pairs(path: Path) -> list[Pair]:
    """Rows of a factcons-style JSONL file: id, document, summary, label (0/1), origin, group."""
    pairs = []
    for number, row in enumerate(read_jsonl(path), start=1):
        try:
            labels = row.get("sentence_labels")
            pairs.append(
                Pair(
                    id=str(row["id"]),
                    document=row["document"],
                    summary=row["summary"],
                    label=int(row["label"]),
                    origin=str(row.get("origin", "all")),
                    group=str(row.get("group", row["id"])),
                    sentence_labels=tuple(int(x) for x in labels) if labels else None,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}, row {number}: not a factcheck row: {exc}") from None
    return pairs


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pair_claims(verifier: Verifier, pair: Pair) -> tuple[SourcePool, list[str]]:
    """The document's sentences as the pool to check against, and the summary's sentences as
    claims."""
    sources = [SourceSentence(text=s, outlet=pair.id) for s in split_sentences(pair.document)]
    return SourcePool(sources, verifier.embedder), split_sentences(pair.summary)


def balanced_accuracy(labels: Sequence[int], predicted: Sequence[int]) -> float:
    """Mean recall over the classes present in `labels`."""
    y, p = np.asarray(labels), np.asarray(predicted)
    recalls = [float(np.mean(p[y == c] == c)) for c in np.unique(y)]
    return float(np.mean(recalls)) if recalls else float("nan")


def best_threshold(labels: Sequence[int], scores: Sequence[float]) -> tuple[float, float]:
    """The threshold (predict 1 when score ≥ it) with the best balanced accuracy, and that."""
    candidates = np.unique(np.asarray(scores, dtype=np.float64))
    best = (0.0, -1.0)
    for t in candidates:
        ba = balanced_accuracy(labels, [int(s >= t) for s in scores])
        if ba > best[1]:
            best = (float(t), ba)
    return best


def by_origin(
    pairs: Sequence[Pair], labels: Sequence[int], predicted: Sequence[int]
) -> dict[str, float]:
    """Balanced accuracy overall ("all") and per origin."""
    out = {"all": balanced_accuracy(labels, predicted)}
    for origin in sorted({p.origin for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.origin == origin]
        out[origin] = balanced_accuracy([labels[i] for i in idx], [predicted[i] for i in idx])
    return out


@dataclass
class FactcheckReport:
    n: dict[str, int]
    ours: dict[str, float]
    baseline: dict[str, float]
    baseline_threshold: float
    judge: str
    judge_threshold: float
    sentences: int
    seconds: float  # checking the summary sentences, their documents already embedded
    index_seconds: float  # splitting and embedding the documents
    # The grouped cross-validated figures the judge's training run recorded in its model file,
    # when that run used this very file; not recomputed here.
    training_cross_validated: dict[str, float] | None

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds else float("nan")

    @property
    def end_to_end_per_second(self) -> float:
        total = self.seconds + self.index_seconds
        return self.sentences / total if total else float("nan")

    def as_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "sentences_per_second": self.sentences_per_second,
            "end_to_end_per_second": self.end_to_end_per_second,
        }


def run_factcheck(
    path: Path,
    judge: str = "features",
    limit: int | None = None,
    progress: Callable[[Sequence[Pair]], Iterable[Pair]] = iter,
) -> FactcheckReport:
    """Score every pair of `path` (or its first `limit`) with our verifier and the baseline;
    `progress` wraps the loop over pairs (a progress bar)."""
    pairs = load_pairs(path)[:limit]
    verifier = default_verifier(judge)
    overlap = OverlapJudge()
    ours, baseline = [], []
    sentences, seconds, index_seconds = 0, 0.0, 0.0
    # Load the models before the clock starts (a claim that reaches the judge): the figure is
    # for a warm verifier.
    warm = SourcePool([SourceSentence(text="The models load once.")], verifier.embedder)
    verifier.check(warm, [("Models are loaded once.", ())])
    for pair in progress(pairs):
        started = time.perf_counter()
        pool, claims = pair_claims(verifier, pair)
        pool.vectors()
        indexed = time.perf_counter()
        checks = verifier.check(pool, [(claim, ()) for claim in claims])
        index_seconds += indexed - started
        seconds += time.perf_counter() - indexed
        sentences += len(claims)
        ours.append(int(all(c.verification.verdict == "supported" for c in checks)))
        baseline.append(
            min(
                (
                    overlap.score(claim, [e.text for e in c.evidence])
                    for claim, c in zip(claims, checks, strict=True)
                ),
                default=1.0,
            )
        )
    labels = [p.label for p in pairs]
    threshold, _ = best_threshold(labels, baseline)
    meta = getattr(verifier.judge, "meta", {})  # how a trained or calibrated judge was made
    # Cross-validated figures are only meaningful for the very file the model was trained on.
    cv = meta.get("cross_validated") if meta.get("sha256") == file_sha256(path) else None
    return FactcheckReport(
        n={"all": len(pairs)}
        | {o: sum(p.origin == o for p in pairs) for o in sorted({p.origin for p in pairs})},
        ours=by_origin(pairs, labels, ours),
        baseline=by_origin(pairs, labels, [int(s >= threshold) for s in baseline]),
        baseline_threshold=threshold,
        judge=verifier.judge.name,
        judge_threshold=verifier.judge.threshold,
        sentences=sentences,
        seconds=seconds,
        index_seconds=index_seconds,
        training_cross_validated=cv,
    )
