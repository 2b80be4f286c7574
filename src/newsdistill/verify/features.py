"""Features of a (claim, evidence sentences) pair for the trained "features" judge.

The judge only sees claims that passed the hard checks against the same evidence, so no
feature repeats a hard check: what is left to judge is how much of the claim the evidence
says, and how closely. Each feature can only move support one way (scripts/train_judge.py fits
them with those signs): more of the claim's words and meaning in the evidence raise it, word
pairs the evidence never has lower it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from newsdistill.nlp.embed import Embedder
from newsdistill.verify.judge import content_words

FEATURE_NAMES: tuple[str, ...] = (
    "recall_best",
    "recall_union",
    "cos_max",
    "cos_mean",
    "novel_bigrams",
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _recall(words: Sequence[str], seen: set[str]) -> float:
    return sum(w in seen for w in words) / len(words) if words else 1.0


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = _TOKEN.findall(text.casefold())
    return set(itertools.pairwise(tokens))


def claim_features(
    claim: str, evidence: Sequence[str], embedder: Embedder
) -> npt.NDArray[np.float64]:
    """The feature vector of `claim` against `evidence`, in FEATURE_NAMES order."""
    words = content_words(claim)
    sets = [set(content_words(e)) for e in evidence]
    union = set().union(*sets) if sets else set()
    vectors = embedder.embed([claim, *evidence])
    sims = vectors[1:] @ vectors[0] if evidence else np.zeros(1, dtype=np.float32)
    claim_bigrams = _bigrams(claim)
    seen_bigrams = set().union(*(_bigrams(e) for e in evidence)) if evidence else set()
    values = {
        "recall_best": max((_recall(words, s) for s in sets), default=0.0),
        "recall_union": _recall(words, union),
        "cos_max": float(sims.max()),
        "cos_mean": float(sims.mean()),
        "novel_bigrams": (
            len(claim_bigrams - seen_bigrams) / len(claim_bigrams) if claim_bigrams else 0.0
        ),
    }
    return np.array([values[name] for name in FEATURE_NAMES], dtype=np.float64)
