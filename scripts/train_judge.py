"""Train the "features" judge on the factcons_news dev split and write its coefficients as JSON.

    python scripts/train_judge.py --data /work/shared/eval/factcons_news/dev.jsonl
    python scripts/train_judge.py --data ... --llm     # the "llm" judge's threshold

With --llm the local LLM scores every sentence instead (its probability that the evidence
supports it, about 3 s a sentence on 2 cores), and only the threshold on that probability is
chosen, by the same cross-validation; it is written to the "llm" judge's calibration file.
--llm-cache keeps the model's answers in a JSONL file, keyed by claim and evidence, so a
second run asks the model nothing it was asked before.

Each summary sentence becomes one row: it is checked against its document by the verifier that
guards digests (a claim without citations), and its features are computed against the evidence
the verifier retrieved; its label is the QAGS sentence label where the summary splits into the
annotated sentences, else the summary label. A summary is predicted consistent when every
sentence is supported: found verbatim, or passing the hard checks with a support probability at
or above the threshold. Only the sentences the verifier leaves to the judge (not verbatim, hard
checks passed) are what the judge serves, so only they are fitted on.

The logistic regression is fitted with the sign of each coefficient fixed in advance (`SIGNS`):
more of the claim found in the evidence can only raise its support, more that is new in it only
lower it. Features that say much the same thing then share the weight instead of cancelling out
with opposite signs. The regularisation C and the threshold are chosen by grouped
cross-validation (groups = source document), nested inside an outer grouped 5-fold
cross-validation whose out-of-fold predictions give the reported balanced accuracy. The final
model is then fitted on all rows the same way. Deterministic: no random state is involved.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from sklearn.model_selection import GroupKFold

from newsdistill.config import get_settings
from newsdistill.evaluation.factcheck import (
    Pair,
    balanced_accuracy,
    by_origin,
    file_sha256,
    load_pairs,
    pair_claims,
)
from newsdistill.llm.model_files import resolve_model_path
from newsdistill.nlp.embed import CachedEmbedder, get_embedder
from newsdistill.verify.features import FEATURE_NAMES, claim_features
from newsdistill.verify.judge import Judge, OverlapJudge
from newsdistill.verify.llm_judge import Calibration, calibration_path, local_llm_judge
from newsdistill.verify.trained import FeatureModel, default_model_path
from newsdistill.verify.verifier import Verifier

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
OUTER_FOLDS, INNER_FOLDS = 5, 4
#: The sign each standardised coefficient must have.
SIGNS = {"recall_best": 1, "recall_union": 1, "cos_max": 1, "cos_mean": 1, "novel_bigrams": -1}
DECIDED_BY = {"exact": 1, "hard checks": -1, "judge": 0}
Array = npt.NDArray[np.float64]


@dataclass
class Rows:
    """One row per summary sentence; `pair` maps each row to its summary."""

    x: Array
    y: npt.NDArray[np.int64]
    pair: npt.NDArray[np.int64]
    decided: npt.NDArray[np.int64]  # 1: verbatim (supported), -1: hard check failed, 0: judge
    llm: Array  # the LLM judge's support probability (empty without --llm)


class CachedJudge:
    """A judge's scores, kept in a JSONL file keyed by claim and evidence."""

    def __init__(self, judge: Judge, path: Path | None) -> None:
        self.judge = judge
        self.path = path
        self.scores: dict[str, float] = {}
        if path is not None and path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                self.scores[row["key"]] = float(row["score"])

    def score(self, claim: str, evidence: Sequence[str]) -> float:
        key = hashlib.sha256(json.dumps([claim, list(evidence)]).encode()).hexdigest()
        if key not in self.scores:
            self.scores[key] = self.judge.score(claim, evidence)
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps({"key": key, "score": self.scores[key]}) + "\n")
        return self.scores[key]


def featurize(pairs: Sequence[Pair], llm: CachedJudge | None = None) -> Rows:
    embedder = CachedEmbedder(get_embedder())
    # The judge's score is not needed for evidence and rules; the overlap judge stands in for it.
    verifier = Verifier(OverlapJudge(), embedder)
    xs, ys, owner, decided, llm_scores = [], [], [], [], []
    for i, pair in enumerate(pairs):
        pool, claims = pair_claims(verifier, pair)
        checked = verifier.check(pool, [(claim, ()) for claim in claims])
        labels = pair.sentence_labels
        if labels is None or len(labels) != len(claims):
            labels = tuple([pair.label] * len(claims))
        for claim, c, label in zip(claims, checked, labels, strict=True):
            texts = [e.text for e in c.evidence]
            xs.append(claim_features(claim, texts, embedder))
            if llm is not None:
                llm_scores.append(llm.score(claim, texts))
            ys.append(label)
            owner.append(i)
            decided.append(DECIDED_BY[c.decided_by])
        if i % 50 == 0:
            print(f"featurized {i}/{len(pairs)}", flush=True)
    return Rows(
        np.array(xs), np.array(ys), np.array(owner), np.array(decided), np.array(llm_scores)
    )


@dataclass(frozen=True)
class SignedLogistic:
    """A logistic regression on standardised features whose coefficients keep given signs."""

    mean: Array
    scale: Array
    coef: Array
    intercept: float

    def probability(self, x: Array) -> Array:
        z = (x - self.mean) / self.scale @ self.coef + self.intercept
        p: Array = 1.0 / (1.0 + np.exp(-z))
        return p


def fit_signed(
    x: Array, y: npt.NDArray[np.int64], c: float, signs: Sequence[int]
) -> SignedLogistic:
    """Minimise C · Σ wᵢ · log-loss + ½‖coef‖² (sklearn's objective, classes weighted to balance)
    with each coefficient bounded to its sign."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    weights = np.where(y == 1, len(y) / (2 * max(y.sum(), 1)), len(y) / (2 * max((1 - y).sum(), 1)))
    target = 2.0 * y - 1.0

    def objective(theta: Array) -> tuple[float, Array]:
        coef, intercept = theta[:-1], theta[-1]
        margin = target * (z @ coef + intercept)
        loss = np.logaddexp(0.0, -margin)
        slope = -weights * target / (1.0 + np.exp(margin))
        grad = np.append(c * (z.T @ slope) + coef, c * slope.sum())
        return float(c * (weights * loss).sum() + 0.5 * coef @ coef), grad

    bounds = [(0.0, None) if s > 0 else (None, 0.0) for s in signs]
    result = minimize(
        objective,
        np.zeros(x.shape[1] + 1),
        jac=True,
        method="L-BFGS-B",
        bounds=[*bounds, (None, None)],
    )
    return SignedLogistic(mean, scale, result.x[:-1], float(result.x[-1]))


def fit(rows: Rows, idx: npt.NDArray[np.int64], c: float) -> SignedLogistic:
    """Fitted on the rows of `idx` that reach the judge."""
    served = idx[rows.decided[idx] == 0]
    return fit_signed(rows.x[served], rows.y[served], c, [SIGNS[f] for f in FEATURE_NAMES])


def probability(fitted: SignedLogistic, rows: Rows, idx: npt.NDArray[np.int64]) -> Array:
    return fitted.probability(rows.x[idx])


def summary_scores(rows: Rows, idx: npt.NDArray[np.int64], prob: Array) -> dict[int, float]:
    """Each summary's weakest sentence: 1 if verbatim, 0 if a hard check failed, else p."""
    out: dict[int, float] = {}
    for k, p in zip(idx, prob, strict=True):
        value = 1.0 if rows.decided[k] == 1 else 0.0 if rows.decided[k] == -1 else float(p)
        out[int(rows.pair[k])] = min(out.get(int(rows.pair[k]), 1.0), value)
    return out


def choose_threshold(scores: dict[int, float], labels: Sequence[int]) -> float:
    """The threshold with the best summary-level balanced accuracy (ties: the middle one)."""
    keys = sorted(scores)
    values = np.array([scores[k] for k in keys])
    y = [labels[k] for k in keys]
    candidates = np.unique(values[(values > 0) & (values < 1)])
    if not len(candidates):
        return 0.5
    bas = np.array([balanced_accuracy(y, (values >= t).astype(int)) for t in candidates])
    best = np.flatnonzero(bas == bas.max())
    return float(candidates[best[len(best) // 2]])


def train(
    rows: Rows, idx: npt.NDArray[np.int64], labels: Sequence[int], groups: Sequence[str]
) -> tuple[SignedLogistic, float, float]:
    """C by inner grouped CV (summary-level balanced accuracy), then fit and threshold on idx."""
    row_groups = np.array([groups[p] for p in rows.pair[idx]])
    best_c, best_ba = C_GRID[0], -1.0
    for c in C_GRID:
        predicted: dict[int, int] = {}
        for tr, te in GroupKFold(INNER_FOLDS).split(idx, groups=row_groups):
            fitted = fit(rows, idx[tr], c)
            t = choose_threshold(
                summary_scores(rows, idx[tr], probability(fitted, rows, idx[tr])), labels
            )
            test = summary_scores(rows, idx[te], probability(fitted, rows, idx[te]))
            predicted |= {k: int(v >= t) for k, v in test.items()}
        keys = sorted(predicted)
        ba = balanced_accuracy([labels[k] for k in keys], [predicted[k] for k in keys])
        if ba > best_ba:
            best_c, best_ba = c, ba
    model = fit(rows, idx, best_c)
    prob = probability(model, rows, idx)
    return model, choose_threshold(summary_scores(rows, idx, prob), labels), best_c


Index = npt.NDArray[np.int64]
T = TypeVar("T")


@dataclass(frozen=True)
class Fitted(Generic[T]):
    """A judge fitted on some rows: its score for any rows, its threshold, and what it is."""

    score: Callable[[Index], Array]
    threshold: float
    model: T


def cross_validate(
    rows: Rows, pairs: Sequence[Pair], fit_on: Callable[[Index], Fitted[T]]
) -> tuple[Fitted[T], dict[str, float], dict[str, float]]:
    """Outer grouped CV of `fit_on` (its out-of-fold predictions give the reported scores),
    then the final fit on every row; returns it with the cross-validated and in-sample
    balanced accuracy by origin."""
    labels = [p.label for p in pairs]
    everything = np.arange(len(rows.y))
    predicted = np.zeros(len(pairs), dtype=int)
    row_groups = np.array([pairs[p].group for p in rows.pair])
    for tr, te in GroupKFold(OUTER_FOLDS).split(everything, groups=row_groups):
        fold = fit_on(tr)
        for k, v in summary_scores(rows, te, fold.score(te)).items():
            predicted[k] = int(v >= fold.threshold)
    final = fit_on(everything)
    scores = summary_scores(rows, everything, final.score(everything))
    in_sample = [int(scores[k] >= final.threshold) for k in range(len(pairs))]
    return (
        final,
        by_origin(pairs, labels, predicted.tolist()),
        by_origin(pairs, labels, in_sample),
    )


def provenance(
    args: argparse.Namespace,
    pairs: Sequence[Pair],
    rows: Rows,
    cv: dict[str, float],
    in_sample: dict[str, float],
) -> dict[str, Any]:
    """What the shipped file records of how it was made, and prints the scores."""
    print("cross-validated balanced accuracy:", {k: round(v, 3) for k, v in cv.items()})
    print("in-sample (final fit):", {k: round(v, 3) for k, v in in_sample.items()})
    return {
        "trained_on": args.data.name,
        "sha256": file_sha256(args.data),
        "pairs": len(pairs),
        "sentences": len(rows.y),
        "cross_validated": {k: round(v, 4) for k, v in cv.items()},
        "in_sample": {k: round(v, 4) for k, v in in_sample.items()},
        "script": "scripts/train_judge.py" + (" --llm" if args.llm else ""),
    }


def main_llm(args: argparse.Namespace, pairs: Sequence[Pair]) -> Path:
    """Only the threshold on the LLM's support probability is chosen."""
    labels = [p.label for p in pairs]
    rows = featurize(pairs, CachedJudge(local_llm_judge(get_settings()), args.llm_cache))

    def fit_on(idx: Index) -> Fitted[None]:
        threshold = choose_threshold(summary_scores(rows, idx, rows.llm[idx]), labels)
        return Fitted(lambda te: rows.llm[te], threshold, None)

    final, cv, in_sample = cross_validate(rows, pairs, fit_on)
    meta = provenance(args, pairs, rows, cv, in_sample)
    meta["model"] = resolve_model_path(get_settings()).name
    print(f"threshold={final.threshold:.4f}")
    out: Path = args.out or calibration_path()
    Calibration(threshold=round(final.threshold, 4), meta=meta).save(out)
    return out


def main_features(args: argparse.Namespace, pairs: Sequence[Pair]) -> Path:
    """C and the threshold are chosen by the inner CV of `train`."""
    labels = [p.label for p in pairs]
    groups = [p.group for p in pairs]
    rows = featurize(pairs)

    def fit_on(idx: Index) -> Fitted[tuple[SignedLogistic, float]]:
        model, threshold, c = train(rows, idx, labels, groups)
        return Fitted(lambda te: probability(model, rows, te), threshold, (model, c))

    final, cv, in_sample = cross_validate(rows, pairs, fit_on)
    model, c = final.model
    meta = provenance(args, pairs, rows, cv, in_sample)
    served = int((rows.decided == 0).sum())
    meta |= {"C": c, "fitted_on_sentences": served, "signs": SIGNS}
    print(f"C={c} threshold={final.threshold:.4f} (fitted on {served} judged sentences)")
    print("coefficients:", dict(zip(FEATURE_NAMES, np.round(model.coef, 3).tolist(), strict=True)))
    out: Path = args.out or default_model_path()
    FeatureModel(
        features=list(FEATURE_NAMES),
        mean=[round(float(v), 6) for v in model.mean],
        scale=[round(float(v), 6) for v in model.scale],
        coef=[round(float(v), 6) for v in model.coef],
        intercept=round(model.intercept, 6),
        threshold=round(final.threshold, 4),
        meta=meta,
    ).save(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="default: the shipped file")
    parser.add_argument("--llm", action="store_true", help="calibrate the local LLM judge")
    parser.add_argument("--llm-cache", type=Path, help="JSONL of the LLM's answers")
    args = parser.parse_args()
    pairs = load_pairs(args.data)
    out = main_llm(args, pairs) if args.llm else main_features(args, pairs)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
