"""Features of a (claim, evidence sentences) pair for trained judges, and evidence retrieval.

Every feature is computed from the claim and the evidence sentences alone, so the same scorer
serves the pipeline's Verifier (evidence = cited and nearest source sentences), `newsdistill
check` and the evaluation (evidence retrieved from a document per summary sentence).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from newsdistill.nlp.embed import Embedder
from newsdistill.nlp.entities import Entity, extract_entities
from newsdistill.nlp.lexicon import NEGATION
from newsdistill.nlp.quantities import Quantity, extract_quantities
from newsdistill.verify.checks import (
    EvidenceText,
    check_dates,
    check_entities,
    check_numbers,
    check_quotes,
)
from newsdistill.verify.judge import content_words

FEATURE_NAMES: tuple[str, ...] = (
    "recall_best",
    "recall_union",
    "cos_max",
    "cos_mean",
    "novel_bigrams",
    "novel_words",
    "numbers_unsupported",
    "numbers_contradicted",
    "dates_unsupported",
    "entities_unsupported",
    "quotes_unsupported",
    "negation_mismatch",
    "log_length",
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words either side of a number, within its clause, say what is counted ("that killed 4
# American service members"); compared by embedding they tell a rival count from another one.
_WINDOW = 3
_CLAUSE_END = re.compile(r"[,;:()\[\]—–]|\.(?:\s|$)")
#: Cosine between two numbers' contexts above which they count the same thing.
SAME_COUNT_CONTEXT = 0.6
_COUNTABLE = frozenset({"count", "number"})
#: At most this many sentences are added to a claim's evidence to cover its words.
COVER_LIMIT = 2


@dataclass(frozen=True)
class Passage:
    """A source sentence and where it comes from (a file, an outlet, a document)."""

    text: str
    source: str = ""
    published: dt.datetime | None = None

    def evidence(self) -> EvidenceText:
        return EvidenceText(self.text, self.published)


class EvidenceIndex:
    """Source sentences to retrieve evidence from: nearest by embedding plus best by words.

    Lexical retrieval catches the sentence a claim copies names and numbers from when the
    embedding prefers a looser paraphrase, and vice versa.
    """

    def __init__(self, passages: Sequence[Passage], embedder: Embedder) -> None:
        self.passages = list(passages)
        self.embedder = embedder
        self.vectors = embedder.embed([p.text for p in self.passages])
        self._words = [set(content_words(p.text)) for p in self.passages]

    def retrieve(
        self, claim: str, k_embed: int = 3, k_lexical: int = 2, k_cover: int = COVER_LIMIT
    ) -> list[int]:
        """Positions of the evidence for `claim`: embedding hits first, then the best by
        words, then what covers the words they still lack."""
        if not self.passages:
            return []
        sims = self.vectors @ self.embedder.embed([claim])[0]
        by_embedding = [int(i) for i in np.argsort(-sims, kind="stable")[:k_embed]]
        words = content_words(claim)
        recall = [sum(w in seen for w in words) for seen in self._words]
        by_words = sorted(range(len(recall)), key=lambda i: (-recall[i], -sims[i]))[:k_lexical]
        chosen = list(dict.fromkeys(by_embedding + by_words))
        return chosen + covering(claim, self._words, chosen, k_cover)


def covering(
    claim: str,
    passage_words: Sequence[set[str]],
    chosen: Sequence[int],
    limit: int = COVER_LIMIT,
) -> list[int]:
    """Passages to add to `chosen` so that the evidence holds the claim's words, greedily:
    each time the passage with most of the words still missing (earliest on ties), where a
    number or a capitalised word counts three times.

    A summary sentence often joins facts from several source sentences ("$5bn in 2023" from
    one, the product from another); the nearest sentences by meaning can miss the one that
    holds a number or a name, and a hard check would then call it "in no source".
    """
    weights = _word_weights(claim)
    missing = set(weights).difference(*(passage_words[i] for i in chosen))
    added: list[int] = []
    while missing and len(added) < limit:
        gains = [sum(weights[w] for w in missing & words) for words in passage_words]
        best = max(range(len(gains)), key=lambda i: (gains[i], -i), default=None)
        if best is None or not gains[best]:
            break
        added.append(best)
        missing -= passage_words[best]
    return added


_SPECIFIC = re.compile(r"\d|^[A-Z]")


def _word_weights(claim: str) -> dict[str, int]:
    """The claim's content words, weighted: numbers and names (capitalised past the first
    word) are what the hard checks look for."""
    words = set(content_words(claim))
    specific = {
        w
        for i, raw in enumerate(claim.split())
        if _SPECIFIC.search(raw) and (i > 0 or any(c.isdigit() for c in raw))
        for w in content_words(raw)
    }
    return {w: 3 if w in specific else 1 for w in words}


@lru_cache(maxsize=4096)
def _claim_entities(claim: str) -> tuple[Entity, ...]:
    # A claim is checked against several evidence sets (revisions, judges): parse it once.
    return tuple(extract_entities([claim])[0])


def _recall(words: Sequence[str], seen: set[str]) -> float:
    return sum(w in seen for w in words) / len(words) if words else 1.0


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = _TOKEN.findall(text.casefold())
    return set(itertools.pairwise(tokens))


def _negated(text: str) -> bool:
    return len(NEGATION.findall(text)) % 2 == 1


def _context(sentence: str, q: Quantity) -> str:
    before, after = sentence[: q.start], sentence[q.end :]
    starts = [m.end() for m in _CLAUSE_END.finditer(before)]
    if starts:
        before = before[starts[-1] :]
    end = _CLAUSE_END.search(after)
    if end:
        after = after[: end.start()]
    return " ".join([*before.split()[-_WINDOW:], *after.split()[:_WINDOW]])


def number_conflicts(
    claim: str, evidence: Sequence[str], embedder: Embedder, already: Sequence[str] = ()
) -> list[str]:
    """Counts in the claim that an evidence sentence gives differently for the same thing.

    The hard check only sees a rival when both numbers carry the same unit noun ("three
    soldiers" / "four soldiers"); here a rival is any count in the evidence whose surrounding
    words mean the same as the claim's ("death of three American soldiers" / "killed 4
    American service members"). Numbers found in the evidence, or named in `already`, are left
    alone.
    """
    stated = [(s, q) for s in evidence for q in extract_quantities(s)]
    values = {q.value for _, q in stated}
    mine = [
        q
        for q in extract_quantities(claim)
        if q.kind in _COUNTABLE and q.value not in values and not any(q.text in a for a in already)
    ]
    rivals = [(s, q) for s, q in stated if q.kind in _COUNTABLE]
    if not mine or not rivals:
        return []
    vectors = embedder.embed(
        [_context(claim, q) for q in mine] + [_context(s, q) for s, q in rivals]
    )
    sims = vectors[: len(mine)] @ vectors[len(mine) :].T
    out = []
    for i, q in enumerate(mine):
        j = int(np.argmax(sims[i]))
        if sims[i, j] >= SAME_COUNT_CONTEXT:
            source, rival = rivals[j]
            out.append(f"sources give {rival.text} ({_context(source, rival)!r}), not {q.text}")
    return out


def claim_features(
    claim: str, evidence: Sequence[str], embedder: Embedder
) -> npt.NDArray[np.float64]:
    """The feature vector of `claim` against `evidence`, in FEATURE_NAMES order."""
    words = content_words(claim)
    sets = [set(content_words(e)) for e in evidence]
    union = set().union(*sets) if sets else set()
    vectors = embedder.embed([claim, *evidence])
    sims = vectors[1:] @ vectors[0] if evidence else np.zeros(1, dtype=np.float32)
    best = evidence[int(np.argmax(sims))] if evidence else ""
    claim_bigrams = _bigrams(claim)
    seen_bigrams = set().union(*(_bigrams(e) for e in evidence)) if evidence else set()
    texts = [EvidenceText(e) for e in evidence]
    numbers = check_numbers(claim, texts)
    conflicts = number_conflicts(claim, evidence, embedder, numbers.contradicted)
    values = {
        "recall_best": max((_recall(words, s) for s in sets), default=0.0),
        "recall_union": _recall(words, union),
        "cos_max": float(sims.max()),
        "cos_mean": float(sims.mean()),
        "novel_bigrams": (
            len(claim_bigrams - seen_bigrams) / len(claim_bigrams) if claim_bigrams else 0.0
        ),
        "novel_words": math.log1p(sum(w not in union for w in words)),
        "numbers_unsupported": float(len(numbers.unsupported)),
        "numbers_contradicted": float(len(numbers.contradicted) + len(conflicts)),
        "dates_unsupported": float(len(check_dates(claim, texts, None).unsupported)),
        "entities_unsupported": float(
            len(check_entities(claim, texts, _claim_entities(claim)).unsupported)
        ),
        "quotes_unsupported": float(len(check_quotes(claim, texts).unsupported)),
        "negation_mismatch": float(_negated(claim) != _negated(best)),
        "log_length": math.log1p(len(words)),
    }
    return np.array([values[name] for name in FEATURE_NAMES], dtype=np.float64)
