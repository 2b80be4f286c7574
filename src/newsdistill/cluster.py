"""Incremental story clustering.

Each new article joins the best-matching recent story or opens a new one. The match is the
article's mean similarity to the story's members (average link), where the similarity of two
articles mixes meaning (cosine of the sentence embeddings of title and lead) with wording
(cosine of their TF-IDF word vectors, rarity counted over the articles seen so far). Words
carry what tells one event from another of the same kind (the places, people and numbers of
two earthquakes or two votes); meaning carries paraphrase across outlets. Average link, rather
than the closest member or a centroid alone, keeps a story from drifting as it grows: a new
article must resemble the story as a whole. A story also grows harder to join as it ages.

Story ids are derived from the first article, so they never change as a story grows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsdistill.models import Article
from newsdistill.nlp.embed import Embedder

if TYPE_CHECKING:
    from newsdistill.config import Settings

Vector = npt.NDArray[np.float32]
WordCounts = Mapping[str, int]
WordVector = tuple[dict[str, float], float]  # TF-IDF weight per word, and the vector's norm
WORDS = "words"  # the profile signal: word → count in an article, → member count in a story
LEAD_SENTENCES = 1  # title + lead sentence say what happened; more costs time, not accuracy
SIGNAL_CHARS = 3000  # the words of the first ~500 are enough to tell events apart


@dataclass
class ClusterState:
    """What the incremental clusterer keeps per story between runs (the store persists it)."""

    story_id: str
    centroid: Vector
    profile: dict[str, dict[str, float]]  # signal ("words") → term → member count
    first_published: dt.datetime
    last_updated: dt.datetime
    article_count: int
    headline: str
    members: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ClusterParams:
    """Tuned on the clustering dev split (see docs/evaluation.md)."""

    threshold: float = 0.25
    window_hours: float = 72.0  # candidates: stories with a member this close in time
    embedding_weight: float = 0.5  # the rest of the similarity is the TF-IDF word cosine
    age_penalty: float = 0.3  # per window of story age beyond `penalty_free_hours`
    penalty_free_hours: float = 48.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ClusterParams:
        """These defaults with what the settings override."""
        given = {
            "threshold": settings.cluster_threshold,
            "window_hours": settings.cluster_window_hours,
        }
        return cls(**{k: v for k, v in given.items() if v is not None})


@dataclass(frozen=True)
class ArticleFeatures:
    article_id: int
    key: str  # stable text to derive a new story's id from (URL)
    title: str
    published: dt.datetime
    embedding: Vector
    words: WordCounts

    def profile(self) -> dict[str, dict[str, int]]:
        """What the store keeps of the article for clustering later arrivals."""
        return {WORDS: dict(self.words)}


@dataclass(frozen=True)
class Assignment:
    story_id: str
    created: bool
    score: float


def story_id_for(key: str) -> str:
    return "s" + hashlib.sha256(key.encode()).hexdigest()[:11]


def member_words(profile: Mapping[str, object]) -> dict[str, int]:
    """An article's stored word counts (empty for a profile without them)."""
    words = profile.get(WORDS)
    if not isinstance(words, Mapping):
        return {}
    return {str(w): int(c) for w, c in words.items()}


class Clusterer:
    """Holds recent stories in memory; `assign` is the whole per-article decision."""

    def __init__(
        self,
        params: ClusterParams,
        states: Sequence[ClusterState],
        member_profiles: Mapping[int, Mapping[str, object]],
    ) -> None:
        self.params = params
        self.states = {s.story_id: s for s in states}
        self._members: dict[str, list[WordCounts]] = {
            s.story_id: [member_words(member_profiles.get(m, {})) for m in s.members]
            for s in states
        }
        # Document frequencies over the articles held, for rarity weights.
        self._df: Counter[str] = Counter()
        for s in states:
            self._df.update({w: int(c) for w, c in s.profile.get(WORDS, {}).items()})
        self._seen = sum(s.article_count for s in states)

    def idf(self, word: str) -> float:
        return math.log((self._seen + 1) / (self._df[word] + 1)) + 1.0

    def _weights(self, words: WordCounts) -> WordVector:
        """Sublinear-tf × idf weights of an article's words, and their norm."""
        weights = {w: (1.0 + math.log(c)) * self.idf(w) for w, c in words.items()}
        return weights, math.sqrt(sum(v * v for v in weights.values()))

    def word_similarity(self, words: WordCounts, story_id: str) -> float:
        """Mean TF-IDF cosine between the article and each member of the story."""
        return self._mean_cosine(self._weights(words), story_id)

    def _mean_cosine(self, vector: WordVector, story_id: str) -> float:
        mine, norm = vector
        members = self._members.get(story_id, [])
        if not norm or not members:
            return 0.0
        total = 0.0
        for member in members:
            theirs, their_norm = self._weights(member)
            if their_norm:
                dot = sum(v * theirs[w] for w, v in mine.items() if w in theirs)
                total += dot / (norm * their_norm)
        return total / len(members)

    def score(self, features: ArticleFeatures, state: ClusterState) -> float:
        """How well the article fits the story: the threshold applies to this."""
        return self._score(features, self._weights(features.words), state)

    def _score(self, features: ArticleFeatures, words: WordVector, state: ClusterState) -> float:
        p = self.params
        # The centroid is the mean of the members' unit vectors, so this is their mean cosine.
        meaning = float(features.embedding @ state.centroid)
        wording = self._mean_cosine(words, state.story_id)
        age = max(
            abs((features.published - state.first_published).total_seconds()),
            abs((features.published - state.last_updated).total_seconds()),
        )
        aged = max(0.0, age / 3600 - p.penalty_free_hours) / p.window_hours
        similarity = p.embedding_weight * meaning + (1 - p.embedding_weight) * wording
        return similarity - p.age_penalty * aged

    def candidates(self, published: dt.datetime) -> list[ClusterState]:
        window = dt.timedelta(hours=self.params.window_hours)
        return [
            s
            for s in self.states.values()
            if s.first_published - window <= published <= s.last_updated + window
        ]

    def assign(self, features: ArticleFeatures) -> tuple[Assignment, ClusterState]:
        self._df.update(features.words.keys())
        self._seen += 1
        words = self._weights(features.words)  # once, not once per candidate story
        best: tuple[float, ClusterState] | None = None
        for state in self.candidates(features.published):
            score = self._score(features, words, state)
            if best is None or score > best[0]:
                best = (score, state)
        if best is not None and best[0] >= self.params.threshold:
            state = best[1]
            self._join(state, features)
            return Assignment(state.story_id, False, best[0]), state
        state = ClusterState(
            story_id=story_id_for(features.key),
            centroid=features.embedding.copy(),
            profile={WORDS: dict.fromkeys(features.words, 1.0)},
            first_published=features.published,
            last_updated=features.published,
            article_count=1,
            headline=features.title,
            members=[features.article_id],
        )
        self.states[state.story_id] = state
        self._members[state.story_id] = [features.words]
        return Assignment(state.story_id, True, best[0] if best else 0.0), state

    def _join(self, state: ClusterState, features: ArticleFeatures) -> None:
        n = state.article_count
        state.centroid = ((state.centroid * n + features.embedding) / (n + 1)).astype(np.float32)
        counts = state.profile.setdefault(WORDS, {})
        for w in features.words:
            counts[w] = counts.get(w, 0.0) + 1.0
        state.article_count = n + 1
        state.first_published = min(state.first_published, features.published)
        state.last_updated = max(state.last_updated, features.published)
        state.members.append(features.article_id)
        self._members.setdefault(state.story_id, []).append(features.words)


_WORD = re.compile(r"\b\w\w+\b")


def word_counts(text: str) -> Counter[str]:
    """Words of a text (two letters or more, casefolded, no stop words) and their counts."""
    return Counter(w for w in _WORD.findall(text.casefold()) if w not in ENGLISH_STOP_WORDS)


def article_features(articles: Sequence[Article], embedder: Embedder) -> list[ArticleFeatures]:
    """What the clusterer compares: the embedding of title and lead, and the words of the
    text's start."""
    leads = [" ".join([a.title, *a.sentences[:LEAD_SENTENCES]]) for a in articles]
    vectors = embedder.embed(leads)
    return [
        ArticleFeatures(
            article_id=a.id or 0,
            key=a.url,
            title=a.title,
            published=a.published,
            embedding=vectors[i],
            words=word_counts(" ".join([a.title, *a.sentences])[:SIGNAL_CHARS]),
        )
        for i, a in enumerate(articles)
    ]
