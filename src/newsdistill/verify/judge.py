"""Judges score how well evidence supports a claim, beyond the hard checks.

`Judge` is the pluggable interface: the lexical judge below is the baseline that needs nothing;
stronger judges (a trained feature model, an LLM) implement the same method.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from newsdistill.errors import ConfigError
from newsdistill.nlp.lexicon import STOPWORDS

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


JudgeFactory = Callable[[], Judge]
_JUDGES: dict[str, JudgeFactory] = {"overlap": OverlapJudge}


def register_judge(name: str, factory: JudgeFactory) -> None:
    _JUDGES[name] = factory


def get_judge(name: str) -> Judge:
    try:
        return _JUDGES[name]()
    except KeyError:
        raise ConfigError(f"unknown judge {name!r}; choose one of: {', '.join(_JUDGES)}") from None
