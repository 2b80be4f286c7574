"""Judges score how well evidence supports a claim, beyond the hard checks.

`Judge` is the pluggable interface: the lexical judge below is the baseline that needs nothing;
stronger judges (a trained feature model, an LLM) implement the same method. Judges are found by
name among those the plugins register (newsdistill.plugins).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from newsdistill import plugins
from newsdistill.config import Settings, get_settings
from newsdistill.models import ModelCall
from newsdistill.nlp.lexicon import STOPWORDS
from newsdistill.plugins import Register, hookimpl

# Numbers keep their decimals and separators: "$1.5bn" is "1.5bn", not "1" and "5bn".
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*[a-z]*|[a-z0-9]+")


def content_words(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.casefold()) if t not in STOPWORDS]


class Judge(Protocol):
    name: str
    threshold: float

    def score(self, claim: str, evidence: Sequence[str]) -> float:
        """Probability-like support score in [0, 1] for `claim` given `evidence`."""
        ...


@runtime_checkable
class BatchJudge(Protocol):
    """A judge that scores many claims faster together than one by one (a model server
    answers concurrent requests together)."""

    def score_many(self, pairs: Sequence[tuple[str, Sequence[str]]]) -> list[float]:
        """`score(claim, evidence)` of each pair, in order."""
        ...


@runtime_checkable
class RecordsCalls(Protocol):
    """A judge that calls a model and keeps the record of each call (ModelCall)."""

    def take_calls(self) -> list[ModelCall]:
        """The calls made since the last take, in order; they are forgotten."""
        ...


def score_all(judge: Judge, pairs: Sequence[tuple[str, Sequence[str]]]) -> list[float]:
    """Each (claim, evidence) pair's score, together when the judge can batch them."""
    if isinstance(judge, BatchJudge):
        return judge.score_many(pairs)
    return [judge.score(claim, evidence) for claim, evidence in pairs]


class OverlapJudge:
    """Share of the claim's content words found in the evidence: the lexical baseline."""

    name = "overlap"

    def __init__(self, threshold: float = 0.75) -> None:
        self.threshold = threshold

    def score(self, claim: str, evidence: Sequence[str]) -> float:
        words = content_words(claim)
        if not words:
            return 1.0
        seen = {w for e in evidence for w in content_words(e)}
        return sum(w in seen for w in words) / len(words)


def judge_names() -> list[str]:
    return plugins.judges().names()


def get_judge(name: str, settings: Settings | None = None) -> Judge:
    """The judge a plugin registered under `name`, built from `settings` (by default the
    environment's)."""
    return plugins.judges().build(name, settings or get_settings())


def _overlap(settings: Settings) -> Judge:
    return OverlapJudge()


@hookimpl
def register_judges(register: Register[Judge]) -> None:
    register("overlap", _overlap)
