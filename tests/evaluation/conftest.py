"""Fixtures for the evaluation harness tests: a fast stand-in embedder and the shared data."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

# CI lays shared/ beside the clone; a developer's checkout has it at /work/shared.
_BESIDE = Path(__file__).resolve().parents[3] / "shared" / "eval"
SHARED = _BESIDE if _BESIDE.is_dir() else Path("/work/shared/eval")
CLUSTERING_DEV = SHARED / "clustering_allsides" / "dev.jsonl"
MDS_DEV = SHARED / "mds_neus_allsides" / "dev.jsonl"


class HashEmbedder:
    """Bag of words hashed into 256 dimensions: similar texts get similar unit vectors, at no
    model cost, so the harness logic can be tested quickly."""

    dim = 256

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.casefold()):
                out[i, zlib.crc32(word.encode()) % self.dim] += 1.0
        out[~out.any(axis=1), 0] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


def needs(path: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not path.is_file(), reason=f"{path} is absent (the shared evaluation data)"
    )
