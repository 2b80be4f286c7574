"""Scores for the evaluations: clustering (B-cubed, pairwise), ROUGE, and cost growth.

Pure functions over plain labels and numbers, so they can be checked by hand.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rouge_score.rouge_scorer import RougeScorer

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _check(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> None:
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted labels for {len(gold)} gold labels")


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """B-cubed (Bagga & Baldwin 1998): per item, the share of its predicted cluster that shares
    its gold cluster (precision) and of its gold cluster found in its predicted cluster
    (recall), averaged over items."""
    _check(predicted, gold)
    if not gold:
        return PRF(0.0, 0.0)
    both = Counter(zip(predicted, gold, strict=True))
    pred_sizes, gold_sizes = Counter(predicted), Counter(gold)
    # Every item of one (predicted, gold) cell has the same per-item scores: sum per cell.
    precision = sum(n * n / pred_sizes[p] for (p, _), n in both.items())
    recall = sum(n * n / gold_sizes[g] for (_, g), n in both.items())
    return PRF(precision / len(gold), recall / len(gold))


def pairwise(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Precision and recall over unordered pairs of items put in the same cluster."""
    _check(predicted, gold)

    def pairs(counts: Counter[Hashable] | Counter[tuple[Hashable, Hashable]]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs(Counter(zip(predicted, gold, strict=True)))
    in_pred, in_gold = pairs(Counter(predicted)), pairs(Counter(gold))
    # No predicted (gold) pairs at all: nothing wrongly (missed) joined, a perfect score.
    return PRF(together / in_pred if in_pred else 1.0, together / in_gold if in_gold else 1.0)


@cache
def _scorer() -> RougeScorer:
    from rouge_score.rouge_scorer import RougeScorer

    return RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def rouge(summary: str, references: Sequence[str]) -> dict[str, float]:
    """ROUGE-1/2/L F1 with stemming, the best over the references."""
    scorer = _scorer()
    best = dict.fromkeys(ROUGE_TYPES, 0.0)
    for reference in references:
        scores = scorer.score(reference, summary)
        for kind in ROUGE_TYPES:
            best[kind] = max(best[kind], scores[kind].fmeasure)
    return best


def growth_exponent(sizes: Sequence[float], costs: Sequence[float]) -> float | None:
    """Slope of log(cost) against log(size), least squares: ~1 is linear, ~2 quadratic."""
    points = [(math.log(n), math.log(c)) for n, c in zip(sizes, costs, strict=True) if c > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def n_log_n_exponent(smallest: float, largest: float) -> float:
    """The log-log slope n·log n itself has between two sizes: the bound a stage must meet."""
    return math.log(largest * math.log(largest) / (smallest * math.log(smallest))) / math.log(
        largest / smallest
    )
