"""Sentence helpers for distilling: wire datelines stripped, and TF-IDF cosine similarity
(cheap, deterministic, and good enough to tell whether two sentences state the same thing)."""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer

Matrix = npt.NDArray[np.float64]
_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .'-]{1,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?,\s+\w{3,9}\.?\s+\d{1,2}"
    r"\s+\([^)]{1,40}\)\s*[-–—]+\s*"
)


def clean_sentence(sentence: str) -> str:
    """Strip a wire dateline ('LONDON, Nov 18 (Wire) - ') from a sentence's start."""
    return _DATELINE.sub("", sentence).strip()


def similarity(texts: list[str]) -> Matrix:
    """Pairwise cosine similarity of the texts' TF-IDF vectors (English stop words removed)."""
    if not texts:
        return np.zeros((0, 0))
    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # every text was stop words only
        return np.eye(len(texts))
    sims: Matrix = (vectors @ vectors.T).toarray()
    return sims
