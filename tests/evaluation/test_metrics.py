from __future__ import annotations

import math

import pytest

from newsdistill.evaluation.metrics import (
    bcubed,
    growth_exponent,
    n_log_n_exponent,
    pairwise,
    rouge,
)

GOLD = ["a", "a", "b", "b"]
PRED = [1, 1, 1, 2]


def test_bcubed_by_hand() -> None:
    # Precision per item: 2/3, 2/3, 1/3 (items 1-3 share a predicted cluster), 1 (alone).
    # Recall per item: 1, 1 (story a kept whole), 1/2, 1/2 (story b split in two).
    score = bcubed(PRED, GOLD)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(3 / 4)
    assert score.f1 == pytest.approx(2 * (2 / 3) * (3 / 4) / (2 / 3 + 3 / 4))


def test_bcubed_extremes() -> None:
    assert bcubed(["x", "x", "y"], [5, 5, 6]).f1 == pytest.approx(1.0)
    singletons = bcubed([1, 2, 3, 4], GOLD)
    assert (singletons.precision, singletons.recall) == pytest.approx((1.0, 0.5))
    one = bcubed([0, 0, 0, 0], GOLD)
    assert (one.precision, one.recall) == pytest.approx((0.5, 1.0))


def test_pairwise_by_hand() -> None:
    # Predicted pairs: (1,2) (1,3) (2,3); gold pairs: (1,2) (3,4); shared: (1,2).
    score = pairwise(PRED, GOLD)
    assert (score.precision, score.recall) == pytest.approx((1 / 3, 1 / 2))


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError):
        bcubed([1, 2], ["a"])


def test_growth_exponent() -> None:
    sizes = [10, 100, 1000]
    assert growth_exponent(sizes, [n**2 for n in sizes]) == pytest.approx(2.0)
    assert growth_exponent(sizes, [3.0 * n for n in sizes]) == pytest.approx(1.0)
    assert growth_exponent([100], [1.0]) is None
    assert n_log_n_exponent(100, 10_000) == pytest.approx(
        math.log(10_000 * math.log(10_000) / (100 * math.log(100))) / math.log(100)
    )


def test_rouge_takes_the_best_reference() -> None:
    scores = rouge("the council voted", ["unrelated words here", "The council voted."])
    assert scores == pytest.approx({"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0})
