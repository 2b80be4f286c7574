"""The nouns of newsdistill, passed from stage to stage as typed pydantic models.

Feed → Article → Story → StoryBrief (evidence chosen by code) → DraftDigest (worded by a Writer)
→ Digest (every sentence a Claim with Citations and a Verification).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

# 1.1: the short form (summary, key_points); 1.2: writer_run; 1.3: the digest's and each
# source's language; 1.4: each model call's backend and model, and the judge's calls
DIGEST_SCHEMA_VERSION = "1.4"
SUMMARY_MAX_WORDS = 60


class Feed(BaseModel):
    id: int | None = None
    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetched_at: dt.datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    error_count: int = 0
    topic: str | None = None  # the OPML category or the user's own group
    poll_interval: int | None = None  # seconds between polls; None: the configured default
    next_poll_at: dt.datetime | None = None


class ArticleStatus(StrEnum):
    READY = "ready"  # extracted, awaiting clustering
    CLUSTERED = "clustered"
    DUPLICATE = "duplicate"  # a syndicated copy; its text lives in `duplicate_of`
    FAILED = "failed"  # fetch or extraction failed; `error` says why


class Article(BaseModel):
    """One news article, its text split into sentences once so that citations stay stable."""

    id: int | None = None
    url: str
    canonical_url: str | None = None
    title: str
    text: str
    sentences: list[str] = Field(default_factory=list)
    outlet: str
    author: str | None = None
    published: dt.datetime
    language: str | None = None
    feed_id: int | None = None
    content_hash: str = ""
    status: ArticleStatus = ArticleStatus.READY
    error: str | None = None
    duplicate_of: int | None = None
    story_id: str | None = None
    fetched_at: dt.datetime | None = None


class Story(BaseModel):
    id: str
    headline: str
    first_published: dt.datetime
    last_updated: dt.datetime
    article_ids: list[int] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    digest_version: int = 0
    topics: list[str] = Field(default_factory=list)  # its feeds' topics, most articles first
    closed_at: dt.datetime | None = None  # no new reports for a while: readable, never "new"


class Citation(BaseModel):
    """Points at one source sentence: article id and sentence position (None: the title)."""

    article_id: int
    sentence: int | None
    outlet: str


# --- What code hands a writer -------------------------------------------------------------


SectionKind = Literal["details", "background", "reactions", "next"]
# How a model writer works (Settings.writer_mode): reword the extractive draft piece by piece,
# or write the whole digest from the evidence.
WriterMode = Literal["narrow", "compose"]


class SourceSentence(BaseModel):
    """A sentence (or title) of a source, as the verifier checks claims against it."""

    text: str
    outlet: str = ""  # who published it; for `newsdistill check`, the file it was read from
    published: dt.datetime | None = None


class EvidenceSentence(SourceSentence):
    """A numbered source sentence a writer may rest its sentences on."""

    number: int
    article_id: int
    sentence: int  # index into Article.sentences
    outlet: str
    published: dt.datetime
    kind: SectionKind = "details"
    support: list[int] = Field(default_factory=list)  # other evidence numbers saying the same
    outlets: list[str] = Field(default_factory=list)  # every outlet reporting it
    # The evidence number of the sentence before it in its article, when it cannot be read
    # without that one ("But he warned…"): it is printed right after it, or not at all.
    follows: int | None = None
    # It speaks of a future that later reports have overtaken ("ready for tomorrow's final").
    stale: bool = False


class DisagreementValue(BaseModel):
    value: str  # normalised, e.g. "3" or "2026-11-24"
    display: str  # as a reader should see it, e.g. "three" or "24 November"
    outlets: list[str]
    citations: list[Citation]


class Disagreement(BaseModel):
    """Outlets report different values for the same fact."""

    fact: str  # e.g. "the number of workers killed"
    kind: Literal["number", "date", "attribution", "place"]
    values: list[DisagreementValue]


class DatedEvent(BaseModel):
    date: dt.date
    evidence: int  # evidence number of the sentence stating it


class StoryBrief(BaseModel):
    """Everything a writer may use: code has chosen the facts, the writer only words them."""

    story_id: str
    titles: list[EvidenceSentence]  # article titles, numbered like evidence
    evidence: list[EvidenceSentence]
    disagreements: list[Disagreement] = Field(default_factory=list)
    events: list[DatedEvent] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    language: str | None = None  # the evidence's one language (ISO 639-1); None reads English

    def by_number(self) -> dict[int, EvidenceSentence]:
        return {e.number: e for e in [*self.titles, *self.evidence]}


# --- What a writer returns ----------------------------------------------------------------


class DraftSentence(BaseModel):
    text: str
    evidence: list[int]  # evidence numbers the sentence rests on


class DraftSection(BaseModel):
    heading: str
    kind: SectionKind
    sentences: list[DraftSentence]


class DraftEvent(BaseModel):
    event: str
    date: dt.date
    details: DraftSentence


class DraftDigest(BaseModel):
    headline: DraftSentence
    lede: DraftSentence
    sections: list[DraftSection]
    path_ahead: list[DraftSentence] = Field(default_factory=list)
    key_developments: list[DraftEvent] = Field(default_factory=list)
    # The short form, for the front page and feed items.
    summary: list[DraftSentence] = Field(default_factory=list)
    key_points: list[DraftSentence] = Field(default_factory=list)


# --- What a model writer did for one story -------------------------------------------------


CallOutcome = Literal["accepted", "rejected", "backend error"]


class ModelCall(BaseModel):
    """One call to a model back-end, and what became of its answer."""

    job: str  # e.g. "lede", "compose", "revise"; "judge" for a judge's
    # Who answered: the back-end ("openai", "llama-cpp") and the model's id at the server or
    # its file name. None in digests older than schema 1.4.
    backend: str | None = None
    model: str | None = None
    prompt_sha256: str  # of the messages sent, as JSON: the same prompt has the same hash
    prompt_tokens: int
    completion_tokens: int
    seconds: float  # once sent: retries included, waiting for a free slot not
    # A judge's answer is always "accepted" (used as its score), unless the back-end failed.
    outcome: CallOutcome
    reason: str | None = None  # why the answer was rejected, or the back-end's error


class WriterJob(BaseModel):
    """One piece of the digest a model writer was asked to word, and who worded it in the end."""

    job: str  # e.g. "headline", "fuse", "key_points", "revise"
    worded_by: Literal["model", "fallback"]
    reason: str | None = None  # why it fell back to the extractive wording


class WriterRun(BaseModel):
    """What a model writer did for one digest: its jobs and every model call they made."""

    requested: str  # the writer asked for, e.g. "local"
    mode: WriterMode
    jobs: list[WriterJob] = Field(default_factory=list)
    calls: list[ModelCall] = Field(default_factory=list)

    def model_worded(self) -> bool:
        """Whether the model's wording of any job was accepted."""
        return any(j.worded_by == "model" for j in self.jobs)


# --- The published digest -----------------------------------------------------------------


Verdict = Literal["supported", "unsupported", "contradicted"]


class Verification(BaseModel):
    verdict: Verdict
    score: float
    evidence: list[Citation] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    checked_by: str = ""  # which judge decided


class Claim(BaseModel):
    """One published sentence (or bullet, or table cell) with where it came from."""

    text: str
    citations: list[Citation]
    verification: Verification | None = None
    origin: Literal["writer", "source", "code"] = "writer"
    # Set when one outlet alone reports the claim; `text` then says so ("…, according to X.").
    attribution: str | None = None


class Section(BaseModel):
    heading: str
    kind: SectionKind
    claims: list[Claim]


class KeyDevelopment(BaseModel):
    event: str
    date: dt.date
    details: Claim


class SourceRef(BaseModel):
    article_id: int
    outlet: str
    title: str
    url: str
    published: dt.datetime
    also_published_by: list[str] = Field(default_factory=list)
    language: str | None = None  # ISO 639-1, when known


class VerificationSummary(BaseModel):
    sentences: int
    verified: int
    sources: int
    replaced: int = 0
    dropped: int = 0


class Digest(BaseModel):
    """A story distilled: the JSON form of this model is newsdistill's published schema."""

    schema_version: str = DIGEST_SCHEMA_VERSION
    story_id: str
    version: int
    created_at: dt.datetime
    writer: str  # who worded it: a model writer only if its model did some job (writer_run)
    headline: Claim
    dateline: str
    lede: Claim
    sections: list[Section]
    path_ahead: list[Claim]
    key_developments: list[KeyDevelopment]
    disagreements: list[Disagreement]
    sources: list[SourceRef]
    verification: VerificationSummary
    disclaimer: str
    # The short form: at most SUMMARY_MAX_WORDS words, then 3 to 5 key points; verified like
    # every other claim.
    summary: list[Claim] = Field(default_factory=list)
    key_points: list[Claim] = Field(default_factory=list)
    # A model writer's record of its jobs and calls; None for writers without a model.
    writer_run: WriterRun | None = None
    # Every call a model judge made verifying this digest's sentences, drafts it rejected
    # included, in order; empty for judges without a model.
    judge_calls: list[ModelCall] = Field(default_factory=list)
    # The one language every sentence is in (ISO 639-1); None when no source's is known.
    language: str | None = None

    def body(self) -> list[Claim]:
        """The story as it reads: lede, sections, path ahead (no headline, table or short
        form, which restate it in other forms)."""
        return [self.lede, *(c for s in self.sections for c in s.claims), *self.path_ahead]

    def claims(self) -> list[Claim]:
        """Every published sentence, in reading order."""
        out = [self.headline, *self.summary, *self.key_points, *self.body()]
        out.extend(k.details for k in self.key_developments)
        return out
