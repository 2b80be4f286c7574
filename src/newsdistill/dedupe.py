"""Dedupe: exact copies by content hash or canonical URL, syndicated copies by MinHash.

Wire stories are republished with a new headline, a byline line added or the last paragraph
trimmed; word 5-gram shingles survive that, so a MinHash Jaccard estimate finds them.

Words are Unicode word characters, so Cyrillic, Greek, Arabic or Devanagari text shingles as
Latin text does. Scripts written without spaces between words (Chinese, Japanese, Thai, Lao,
Khmer, Burmese) would make one paragraph one "word": there each character is a token, and
shingles are runs of five characters.
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
_UNSPACED = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Burmese
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
)
# A character of an unspaced script is a token of its own; any other word is one token.
_TOKEN = re.compile(rf"[{_UNSPACED}]|(?:(?![{_UNSPACED}])\w)+")


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


def tokens(text: str) -> list[str]:
    """The units shingles are made of: words, or characters where words have no spaces."""
    return _TOKEN.findall(text.casefold())


def signature(text: str) -> MinHash:
    words = tokens(text)
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
