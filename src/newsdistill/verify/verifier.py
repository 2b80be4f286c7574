"""The verifier: every sentence is checked against the story's source sentences before publishing.

For each claim: the cited sentences are tried first, then the nearest other source sentences by
embedding. A claim found word for word in a cited sentence is supported outright; otherwise the
hard checks (numbers, dates, names, quotations) must pass and the judge must score it above its
threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsdistill.models import Article, Citation, Verification
from newsdistill.nlp.embed import Embedder
from newsdistill.verify.checks import EvidenceText, fold, hard_checks
from newsdistill.verify.features import covering, number_conflicts
from newsdistill.verify.judge import Judge, content_words

NEAREST = 4


@dataclass(frozen=True)
class PoolSentence:
    citation: Citation
    evidence: EvidenceText


class SourcePool:
    """All sentences (and titles) of a set of source articles, embedded once on first use."""

    def __init__(self, articles: Sequence[Article], embedder: Embedder) -> None:
        self.sentences: list[PoolSentence] = []
        for a in articles:
            aid = a.id or 0
            self.sentences.append(
                PoolSentence(
                    Citation(article_id=aid, sentence=None, outlet=a.outlet),
                    EvidenceText(a.title, a.published),
                )
            )
            self.sentences.extend(
                PoolSentence(
                    Citation(article_id=aid, sentence=i, outlet=a.outlet),
                    EvidenceText(s, a.published),
                )
                for i, s in enumerate(a.sentences)
            )
        self._index = {
            (p.citation.article_id, p.citation.sentence): k for k, p in enumerate(self.sentences)
        }
        self._folded = [fold(p.evidence.text) for p in self.sentences]
        self.words = [set(content_words(p.evidence.text)) for p in self.sentences]
        self._embedder = embedder
        self._vectors: npt.NDArray[np.float32] | None = None
        self.outlets = sorted({a.outlet for a in articles})

    def vectors(self) -> npt.NDArray[np.float32]:
        if self._vectors is None:
            self._vectors = self._embedder.embed([p.evidence.text for p in self.sentences])
        return self._vectors

    def position(self, citation: Citation) -> int | None:
        return self._index.get((citation.article_id, citation.sentence))

    def nearest(self, vector: npt.NDArray[np.float32], k: int) -> list[int]:
        if not self.sentences:
            return []
        sims = self.vectors() @ vector
        return [int(i) for i in np.argsort(-sims, kind="stable")[:k]]

    def contains(self, positions: Sequence[int], text: str) -> int | None:
        needle = fold(text)
        return next((p for p in positions if needle in self._folded[p]), None)


class Verifier:
    def __init__(self, judge: Judge, embedder: Embedder) -> None:
        self.judge = judge
        self.embedder = embedder

    def verify(
        self,
        pool: SourcePool,
        claims: Sequence[tuple[str, Sequence[Citation]]],
        reference: dt.datetime | None = None,
        ignore_names: Sequence[str] = (),
    ) -> list[Verification]:
        """Verify a batch of (claim text, cited sources); texts should not carry attribution."""
        vectors = self.embedder.embed([text for text, _ in claims])
        return [
            self._one(pool, text, cited, vectors[i], reference, ignore_names)
            for i, (text, cited) in enumerate(claims)
        ]

    def _one(
        self,
        pool: SourcePool,
        text: str,
        cited: Sequence[Citation],
        vector: npt.NDArray[np.float32],
        reference: dt.datetime | None,
        ignore_names: Sequence[str],
    ) -> Verification:
        cited_pos = [p for p in (pool.position(c) for c in cited) if p is not None]
        exact = pool.contains(cited_pos, text)
        if exact is not None:
            return Verification(
                verdict="supported",
                score=1.0,
                evidence=[pool.sentences[exact].citation],
                checked_by="exact",
            )
        near = [p for p in pool.nearest(vector, NEAREST) if p not in cited_pos]
        positions = cited_pos + near
        positions += covering(text, pool.words, positions)
        evidence = [pool.sentences[p].evidence for p in positions]
        texts = [e.text for e in evidence]
        checks = hard_checks(text, evidence, reference, ignore_names)
        # "4 service members" against "three soldiers": a rival count for the same thing.
        checks.contradicted.extend(
            number_conflicts(text, texts, self.embedder, checks.contradicted)
        )
        citations = [pool.sentences[p].citation for p in positions[:3]]
        reasons = checks.reasons()
        # A failed hard check decides alone; the judge (maybe an LLM call) is not asked.
        judged = not reasons
        score = self.judge.score(text, texts) if judged else 0.0
        if checks.contradicted:
            verdict = "contradicted"
        elif checks.unsupported or score < self.judge.threshold:
            verdict = "unsupported"
        else:
            verdict = "supported"
        if judged and score < self.judge.threshold:
            reasons.append(f"{self.judge.name} judge: support {score:.2f} < {self.judge.threshold}")
        return Verification(
            verdict=verdict,  # type: ignore[arg-type]
            score=round(score, 4),
            evidence=citations,
            reasons=reasons,
            checked_by=self.judge.name,
        )
