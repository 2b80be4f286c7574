"""Dedupe: exact copies by content hash or canonical URL, syndicated copies by MinHash.

Wire stories are republished with a new headline, a byline line added or the last paragraph
trimmed; word 5-gram shingles survive that, so a MinHash Jaccard estimate finds them.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
SCHEME: Final = "affine64"  # pinned: stored signatures must stay comparable across versions
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def content_hash(text: str) -> str:
    """Identical after case and punctuation are ignored: the same article."""
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


def article_link(canonical_url: str | None) -> str | None:
    """The canonical URL if it can name one article: many sites point every page's canonical
    link or og:url at their home page, which would make all their articles one copy."""
    if canonical_url is None or urlsplit(canonical_url).path.strip("/") == "":
        return None
    return canonical_url


def signature(text: str) -> MinHash:
    words = normalise_text(text).split()
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME)
    mh.update_batch([s.encode() for s in shingles])
    return mh


def encode(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def decode(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, seed=7, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint64)
    )


class NearDuplicateIndex:
    """LSH over the signatures of kept articles; finds the best match above a Jaccard threshold."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[int, MinHash] = {}

    def add(self, article_id: int, mh: MinHash) -> None:
        if article_id not in self._sigs:
            self._lsh.insert(str(article_id), mh)
            self._sigs[article_id] = mh

    def best_match(self, mh: MinHash) -> int | None:
        best: tuple[float, int] | None = None
        for key in self._lsh.query(mh):
            other = int(key)
            score = mh.jaccard(self._sigs[other])
            if score >= self.threshold and (best is None or (score, -other) > (best[0], -best[1])):
                best = (score, other)
        return None if best is None else best[1]

    def __len__(self) -> int:
        return len(self._sigs)
