"""The "features" judge: logistic regression over verify.features, loaded from plain JSON.

The coefficients are produced by scripts/train_judge.py on the factcons_news dev split; the JSON
also records how they were chosen and their cross-validated scores. No pickle is loaded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsdistill.config import Settings
from newsdistill.errors import ModelLoadError
from newsdistill.nlp.embed import CachedEmbedder, Embedder, get_embedder
from newsdistill.plugins import Register, hookimpl
from newsdistill.verify.features import FEATURE_NAMES, claim_features
from newsdistill.verify.judge import Judge

MODEL_FILE = "features_judge.json"


def default_model_path() -> Path:
    return Path(str(resources.files("newsdistill.verify") / "data" / MODEL_FILE))


@dataclass
class FeatureModel:
    """A standardised logistic regression: p = sigmoid(coef · (x - mean) / scale + intercept)."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Support probability of each row of `x` (or of one vector)."""
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale) @ np.asarray(self.coef)
        p: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-(z + self.intercept)))
        return p

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.__dict__, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None) -> FeatureModel:
        """Read a model file; its features must be exactly the ones this code computes."""
        path = path or default_model_path()
        try:
            model = cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise ModelLoadError(f"cannot load judge model {path}: {exc}") from None
        if tuple(model.features) != FEATURE_NAMES:
            raise ModelLoadError(f"{path} was trained on other features: {model.features}")
        sizes = {len(model.mean), len(model.scale), len(model.coef)}
        if sizes != {len(FEATURE_NAMES)} or not all(math.isfinite(c) for c in model.coef):
            raise ModelLoadError(f"{path}: coefficients do not match the features")
        return model


class FeatureJudge:
    """Judge whose score is the feature model's support probability for the claim."""

    name = "features"

    def __init__(self, model: FeatureModel | None = None, embedder: Embedder | None = None):
        self.model = model or FeatureModel.load()
        self.threshold = self.model.threshold
        self.meta = self.model.meta
        self.embedder = embedder or CachedEmbedder(get_embedder())

    def features(self, claim: str, evidence: Sequence[str]) -> npt.NDArray[np.float64]:
        return claim_features(claim, evidence, self.embedder)

    def score(self, claim: str, evidence: Sequence[str]) -> float:
        return float(self.model.probability(self.features(claim, evidence)))


def _features(settings: Settings) -> Judge:
    return FeatureJudge(embedder=CachedEmbedder(get_embedder(settings)))


@hookimpl
def register_judges(register: Register[Judge]) -> None:
    register("features", _features)
