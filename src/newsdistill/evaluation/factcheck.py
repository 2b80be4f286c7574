"""`newsdistill eval factcheck`: the verifier on (document, summary, label) pairs, and a baseline.

Each summary is split into sentences; each sentence is checked against evidence retrieved from its
document exactly as `newsdistill check` does (hard checks, then the judge), and the summary counts
as consistent only if every sentence is supported. The baseline is the lexical-overlap judge on
the same evidence, summary score = its weakest sentence, with the threshold that maximises
balanced accuracy on the evaluated data itself (an optimistic baseline).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from newsdistill.errors import InputError
from newsdistill.evaluation.cli import eval_app
from newsdistill.evaluation.datasets import read_jsonl
from newsdistill.nlp.sentences import split_sentences
from newsdistill.verify.check import Checker, default_checker
from newsdistill.verify.features import EvidenceIndex, Passage
from newsdistill.verify.judge import OverlapJudge


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


def pair_claims(checker: Checker, pair: Pair) -> tuple[EvidenceIndex, list[str]]:
    """The document's sentences as an evidence index, and the summary's sentences as claims."""
    index = checker.index([Passage(s, pair.id) for s in split_sentences(pair.document)])
    return index, split_sentences(pair.summary)


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
    cross_validated: dict[str, float] | None

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
    checker = default_checker(judge)
    overlap = OverlapJudge()
    ours, baseline = [], []
    sentences, seconds, index_seconds = 0, 0.0, 0.0
    # Load the models before the clock starts: the figure is for a warm verifier.
    checker.check_many(["Models load once."], checker.index([Passage("Models load once.")]))
    for pair in progress(pairs):
        started = time.perf_counter()
        index, claims = pair_claims(checker, pair)
        indexed = time.perf_counter()
        checks = checker.check_many(claims, index)
        index_seconds += indexed - started
        seconds += time.perf_counter() - indexed
        sentences += len(claims)
        ours.append(int(all(c.verdict == "supported" for c in checks)))
        baseline.append(
            min(
                (overlap.score(c.text, [p.text for p in c.evidence]) for c in checks),
                default=1.0,
            )
        )
    labels = [p.label for p in pairs]
    threshold, _ = best_threshold(labels, baseline)
    meta = getattr(checker.judge, "meta", {})  # how a trained or calibrated judge was made
    # Cross-validated figures are only meaningful for the very file the model was trained on.
    cv = meta.get("cross_validated") if meta.get("sha256") == file_sha256(path) else None
    return FactcheckReport(
        n={"all": len(pairs)}
        | {o: sum(p.origin == o for p in pairs) for o in sorted({p.origin for p in pairs})},
        ours=by_origin(pairs, labels, ours),
        baseline=by_origin(pairs, labels, [int(s >= threshold) for s in baseline]),
        baseline_threshold=threshold,
        judge=checker.judge.name,
        judge_threshold=checker.judge.threshold,
        sentences=sentences,
        seconds=seconds,
        index_seconds=index_seconds,
        cross_validated=cv,
    )


def _print_report(report: FactcheckReport, console: Console) -> None:
    table = Table(title="Balanced accuracy (label 1 = consistent)")
    table.add_column("origin")
    table.add_column("pairs", justify="right")
    if report.cross_validated:
        table.add_column(f"ours, {report.judge} (cross-validated)", justify="right")
    in_sample = " (this model)" if report.cross_validated else ""
    table.add_column(f"ours, {report.judge}{in_sample}", justify="right")
    table.add_column(f"overlap ≥ {report.baseline_threshold:.2f} (tuned here)", justify="right")
    for origin, n in report.n.items():
        row = [origin, str(n)]
        if report.cross_validated:
            row.append(f"{report.cross_validated.get(origin, float('nan')):.3f}")
        row += [f"{report.ours[origin]:.3f}", f"{report.baseline[origin]:.3f}"]
        table.add_row(*row)
    console.print(table)
    if report.cross_validated:
        console.print(
            "Cross-validated: grouped 5-fold on this file (the judge's settings chosen inside "
            "each fold). 'This model' was trained on this file: in-sample."
        )
    console.print(
        f"Speed (models warm): {report.sentences} summary sentences verified in "
        f"{report.seconds:.1f} s = {report.sentences_per_second:.1f} sentences/s once their "
        f"sources are embedded (retrieval, hard checks, judge); {report.end_to_end_per_second:.1f}"
        f" sentences/s counting the {report.index_seconds:.1f} s spent embedding the documents."
    )


@eval_app.command("factcheck")
def factcheck(
    data: Annotated[Path, typer.Option(help="JSONL of {id, document, summary, label, origin}.")],
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the report as JSON here.")
    ] = None,
    judge: Annotated[
        str,
        typer.Option(help="Judge for our verifier: features, llm, llm-openai or overlap."),
    ] = "features",
    limit: Annotated[int | None, typer.Option(help="Only the first N pairs.", min=1)] = None,
) -> None:
    """Balanced accuracy of the verifier on factual-consistency pairs, next to lexical overlap."""
    bar = Console(stderr=True)
    report = run_factcheck(
        data,
        judge,
        limit,
        lambda pairs: track(
            pairs, "Verifying summaries", console=bar, transient=True, disable=not bar.is_terminal
        ),
    )
    _print_report(report, Console())
    if json_path is not None:
        json_path.write_text(json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8")
