"""Distill one story: brief → writer draft → verification → the published Digest.

This is the only place a Digest is built, and it publishes no claim whose verdict is not
"supported": a rejected sentence goes back to the writer once with the reason, then is replaced by
the source sentence it cites, and is dropped if even that fails.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsdistill.distill.brief import build_brief, disputed_sentences
from newsdistill.distill.facts import disagreement_sentence, disputed_outlets, facts_in
from newsdistill.distill.writer import RecordsRuns, Writer
from newsdistill.errors import WriterError
from newsdistill.models import (
    SUMMARY_MAX_WORDS,
    Article,
    Citation,
    Claim,
    Digest,
    Disagreement,
    DraftDigest,
    DraftSentence,
    KeyDevelopment,
    Section,
    SourceRef,
    SourceSentence,
    StoryBrief,
    Verification,
    VerificationSummary,
)
from newsdistill.nlp.embed import CachedEmbedder
from newsdistill.nlp.style import event_phrase
from newsdistill.verify import SourcePool, Verifier
from newsdistill.verify.checks import hard_checks
from newsdistill.verify.judge import RecordsCalls
from newsdistill.wording import ENGLISH, Wording, wording

log = logging.getLogger(__name__)


# A quotation and the verb that gives its speaker: '"…," Callander said.'
# Speech verbs in the languages digests are worded in (en, de, fr, es).
_SAID = (
    r"said|says|told|added|sagte|sagt|erklärte|betonte|a déclaré|a dit|déclare|a affirmé|"
    r"dijo|afirmó|declaró|señaló"
)
_QUOTED_SPEAKER = re.compile(
    rf"[\"“„«][^\"”“»]{{12,}}[\"”“»].*\b(?:{_SAID})\b|"
    rf"\b(?:{_SAID}|told \w+)[:,]?\s+[\"“„«]"
)


class UnverifiedClaimError(AssertionError):
    """Raised if a digest would publish a claim that is not supported: a bug, never data."""


@dataclass
class _Tally:
    replaced: int = 0
    dropped: int = 0


class Distiller:
    """Turns a story's articles into a verified Digest with a given writer. `fallback` (the
    extractive writer, given by the caller so that distilling imports no writer) drafts when
    the writer fails and gives the source sentence that replaces a rejected one."""

    def __init__(
        self, writer: Writer, verifier: Verifier, *, fallback: Writer, language: str | None = None
    ) -> None:
        self.writer = writer
        self.verifier = verifier
        self.fallback = fallback
        self.language = language  # the reader's language, when set

    def distill(
        self,
        story_id: str,
        articles: Sequence[Article],
        copies: Sequence[Article],
        version: int,
        now: dt.datetime | None = None,
    ) -> Digest:
        articles = sorted(articles, key=lambda a: (a.published, a.id or 0))
        # One digest, one language: it is written and verified from the sources in that
        # language; the others are listed among the sources, marked with theirs.
        language = digest_language(articles, self.language)
        listed = articles
        articles = [a for a in articles if a.language in (None, language)]
        others = [a for a in listed if a not in articles]
        embedder = CachedEmbedder(self.verifier.embedder)
        judge = self.verifier.judge
        if isinstance(judge, RecordsCalls):
            judge.take_calls()  # a story that failed half-way leaves its calls behind
        verifier = Verifier(judge, embedder, language)
        words = wording(language)
        # Other languages' numbers and dates take part in the disagreements (language-neutral).
        brief, _ = build_brief(story_id, list(articles), embedder, words=words, foreign=others)
        draft, writer_name = self._draft(brief)
        # The extractive draft gives the fallback headline and lede: written once, and not at
        # all again when it is the draft.
        extractive = draft if writer_name == self.fallback.name else self.fallback.write(brief)
        job = _Job(self, verifier, brief, SourcePool.of_articles(articles, embedder), articles)
        job.words = words
        job.language = language
        job.sources = {a.id or 0: a for a in listed}
        job.prefetch(draft)
        # A headline is one outlet's title: attributed only if it takes a side in a dispute.
        headline = job.claim(
            draft.headline,
            fallback=extractive.headline,
            attribute="disputed",
            unique=False,
        )
        lede = job.claim(draft.lede)
        sections = []
        for section in draft.sections:
            claims = job.claims(section.sentences)
            if claims:
                heading = words.headings[section.kind]  # the digest's language, whoever drafted
                sections.append(Section(heading=heading, kind=section.kind, claims=claims))
        path = job.claims(draft.path_ahead)
        _place_disagreements(job, lede, sections, path)
        events = []
        for event in draft.key_developments:
            # A timeline row may repeat a sentence of the body: it is a different view of it.
            details = job.claim(event.details, unique=False)
            if details is None:
                continue
            label = event.event if job.label_ok(event.event, details) else None
            phrase = event_phrase(details.text) if label is None else None
            if label is None and phrase and job.label_ok(phrase, details):
                label = phrase
            if label is not None:  # a row without a true, short label is no row
                events.append(KeyDevelopment(event=label, date=event.date, details=details))
        # The short form restates the body: its claims are checked the same way, and may
        # repeat body sentences.
        summary = _within(
            [c for c in (job.claim(s, unique=False) for s in draft.summary) if c],
            SUMMARY_MAX_WORDS,
        )
        key_points = [c for c in (job.claim(s, unique=False) for s in draft.key_points) if c]
        if headline is None or lede is None:
            # Nothing verifiable to lead with: the story's first title and sentence, verbatim.
            headline = headline or job.claim(
                extractive.headline, attribute="disputed", unique=False
            )
            lede = lede or job.claim(extractive.lede)
        if headline is None or lede is None:
            raise WriterError(f"story {story_id}: no verifiable headline or lede")
        # Read after the revisions above, which the run records too.
        run = self.writer.last_run() if isinstance(self.writer, RecordsRuns) else None
        if run is not None and not run.model_worded():
            writer_name = self.fallback.name  # every model job fell back: nothing is its wording
        digest = Digest(
            story_id=story_id,
            version=version,
            created_at=now or dt.datetime.now(dt.UTC),
            writer=writer_name,
            headline=headline,
            dateline=_dateline(listed, words),
            lede=lede,
            sections=sections,
            path_ahead=path,
            key_developments=events,
            disagreements=brief.disagreements,
            sources=_sources(listed, copies),
            verification=VerificationSummary(sentences=0, verified=0, sources=len(articles)),
            disclaimer=words.disclaimer,
            summary=summary or [lede],
            key_points=key_points,
            writer_run=run,
            judge_calls=judge.take_calls() if isinstance(judge, RecordsCalls) else [],
            language=language,
        )
        claims = digest.claims()
        verified = sum(
            c.verification is not None and c.verification.verdict == "supported" for c in claims
        )
        if verified != len(claims):
            raise UnverifiedClaimError(f"story {story_id}: an unverified claim reached assembly")
        digest.verification = VerificationSummary(
            sentences=len(claims),
            verified=verified,
            sources=len(articles),
            replaced=job.tally.replaced,
            dropped=job.tally.dropped,
        )
        return digest

    def _draft(self, brief: StoryBrief) -> tuple[DraftDigest, str]:
        try:
            return self.writer.write(brief), self.writer.name
        except WriterError as exc:
            log.warning(
                "writer %s failed on %s (%s); using extractive",
                self.writer.name,
                brief.story_id,
                exc,
            )
            return self.fallback.write(brief), self.fallback.name


class _Job:
    """The verification of one draft against one story's sources."""

    def __init__(
        self,
        owner: Distiller,
        verifier: Verifier,
        brief: StoryBrief,
        pool: SourcePool,
        articles: Sequence[Article],
    ) -> None:
        self.owner = owner
        self.verifier = verifier
        self.brief = brief
        self.pool = pool
        self.by_number = brief.by_number()
        self.latest = max(a.published for a in articles)
        self.disputed = disputed_sentences(brief.disagreements)
        self.tally = _Tally()
        self._used: set[str] = set()
        self.words = ENGLISH  # the digest's language's, set by the Distiller
        self.language: str | None = None  # the digest's, set by the Distiller
        # Every source by id, other languages' too: disagreements cite them.
        self.sources: dict[int, Article] = {a.id or 0: a for a in articles}
        self._verified: dict[tuple[str, tuple[int, ...]], Verification] = {}

    def prefetch(self, draft: DraftDigest) -> None:
        """Verify the draft's sentences in one batch, which a model judge sends to its server
        together; `claim` then finds their verifications done (revisions are checked as they
        come)."""
        sentences = [
            draft.headline,
            draft.lede,
            *(s for section in draft.sections for s in section.sentences),
            *draft.path_ahead,
            *(event.details for event in draft.key_developments),
            *draft.summary,
            *draft.key_points,
        ]
        todo = {(s.text, tuple(s.evidence)): s for s in sentences}
        verifications = self.verifier.verify(
            self.pool,
            [(s.text, self.citations(s)) for s in todo.values()],
            reference=self.latest,
            ignore_names=self.pool.outlets,
        )
        self._verified.update(zip(todo, verifications, strict=True))

    def citations(self, sentence: DraftSentence) -> list[Citation]:
        out = []
        for n in sentence.evidence:
            e = self.by_number.get(n)
            if e is not None:
                out.append(
                    Citation(
                        article_id=e.article_id,
                        sentence=None if e.sentence < 0 else e.sentence,
                        outlet=e.outlet,
                    )
                )
        return out

    def claims(self, sentences: Sequence[DraftSentence]) -> list[Claim]:
        return [c for c in (self.claim(s) for s in sentences) if c is not None]

    def claim(
        self,
        sentence: DraftSentence,
        fallback: DraftSentence | None = None,
        attribute: Literal["any", "disputed"] = "any",
        unique: bool = True,
    ) -> Claim | None:
        """Verify one sentence, revising or replacing it when it fails; None when dropped.

        With a `fallback` (the headline's: a source title), that is the only replacement: a
        revision resting on the same evidence as the lede would turn the lede into a headline.
        Only `unique` claims count against repeats, so a headline or a table row never blocks
        the body sentence it echoes.
        """
        attempts: list[tuple[DraftSentence, str]] = [(sentence, "writer")]
        candidate, origin = sentence, "writer"
        verification = self._verify(candidate)
        if verification.verdict != "supported":
            if fallback is None:
                try:
                    revised = self.owner.writer.revise(
                        self.brief, sentence, "; ".join(verification.reasons)
                    )
                    attempts.append((revised, "writer"))
                except WriterError as exc:
                    log.info("revision failed: %s", exc)
            replacement = fallback or self.owner.fallback.revise(self.brief, sentence, "")
            attempts.append((replacement, "source"))
            for candidate, kind in attempts[1:]:
                verification = self._verify(candidate)
                if verification.verdict == "supported":
                    self.tally.replaced += 1
                    origin = kind
                    break
            else:
                self.tally.dropped += 1
                return None
        key = candidate.text.strip().casefold()
        if unique:
            if key in self._used:  # a revision may land on a sentence already published
                return None
            self._used.add(key)
        citations = self.citations(candidate)
        claim = Claim(
            text=candidate.text,
            citations=citations,
            verification=verification,
            origin=origin,  # type: ignore[arg-type]
        )
        return self._attribute(claim, attribute)

    def _verify(self, sentence: DraftSentence) -> Verification:
        done = self._verified.get((sentence.text, tuple(sentence.evidence)))
        if done is not None:
            return done.model_copy(deep=True)  # each claim its own, as when verified anew
        return self.verifier.verify(
            self.pool,
            [(sentence.text, self.citations(sentence))],
            reference=self.latest,
            ignore_names=self.pool.outlets,
        )[0]

    def _attribute(self, claim: Claim, mode: Literal["any", "disputed"]) -> Claim:
        """Name the outlets behind a claim that states one side of a disagreement, or (mode
        "any") that only one outlet reports; consensus claims stay unattributed."""
        outlets = self._disputed_outlets(claim)
        if outlets is None and mode == "disputed":
            return claim
        if outlets is None and _QUOTED_SPEAKER.search(claim.text):
            return claim  # a named speaker's quotation carries its own attribution
        if outlets is None:
            supporting = {c.outlet for c in claim.citations}
            for c in claim.citations:
                for e in self.brief.evidence:
                    if e.article_id == c.article_id and e.sentence == c.sentence:
                        supporting.update(e.outlets)
            if len(supporting) != 1 or len(self.brief.outlets) == 1:
                return claim
            outlets = sorted(supporting)
        who = self.words.outlets_phrase(outlets, len(self.brief.outlets))
        text = self.words.attributed(claim.text, who)
        return claim.model_copy(update={"text": text, "attribution": who})

    def _disputed_outlets(self, claim: Claim) -> list[str] | None:
        outlets = self._outlets_of_value(claim)
        if outlets is None and any(
            (c.article_id, c.sentence) in self.disputed for c in claim.citations
        ):
            outlets = sorted({c.outlet for c in claim.citations})
        return outlets

    def _outlets_of_value(self, claim: Claim) -> list[str] | None:
        return disputed_outlets(claim.text, self.brief.disagreements, self.latest, self.language)

    def disagreement_claim(self, d: Disagreement) -> Claim | None:
        """Checked again from the sources: every sentence cited for a value must state it (which
        event a date belongs to may have been inferred from a similar sentence, so the value is
        what is checked)."""
        for v in d.values:
            for c in v.citations:
                source = self.sources.get(c.article_id)
                if source is None or c.sentence is None or c.sentence >= len(source.sentences):
                    return None
                text = source.sentences[c.sentence]
                stated = facts_in(text, source.published, source.language)
                if not any(m.kind == d.kind and m.value == v.value for m in stated):
                    log.warning(
                        "disagreement on %s: %s not stated in its source", d.fact, v.display
                    )
                    return None
        citations = [c for v in d.values for c in v.citations]
        return Claim(
            text=disagreement_sentence(d, self.words),
            citations=citations,
            verification=Verification(
                verdict="supported", score=1.0, evidence=citations, checked_by="disagreement"
            ),
            origin="code",
        )

    def label_ok(self, label: str, details: Claim) -> bool:
        """A timeline label states nothing its row's sources do not: the details sentence and
        the titles of the articles it cites (a label may be one of those titles)."""
        cited = {c.article_id for c in details.citations}
        titles = [t.text for t in self.brief.titles if t.article_id in cited]
        evidence = [
            SourceSentence(text=text, published=self.latest) for text in [details.text, *titles]
        ]
        return hard_checks(label, evidence, self.latest, language=self.language).ok


def _within(claims: list[Claim], words: int) -> list[Claim]:
    """The first claims that fit in `words` (at least one): attribution added in assembly may
    lengthen what the writer measured."""
    out: list[Claim] = []
    for claim in claims:
        if out and sum(len(c.text.split()) for c in [*out, claim]) > words:
            break
        out.append(claim)
    return out


def _place_disagreements(
    job: _Job, lede: Claim | None, sections: list[Section], path: list[Claim]
) -> None:
    """Each "Sources differ" note once, where the disputed fact is first told: first in "What
    happened" when the lede states it (the note then follows the lede), else right after the
    first sentence of the sections or the path ahead stating one of its values, else first in
    "What happened"."""
    for d in job.brief.disagreements:
        note = job.disagreement_claim(d)
        if note is None:
            continue

        def states(claim: Claim, d: Disagreement = d) -> bool:
            return disputed_outlets(claim.text, [d], job.latest, job.language) is not None

        places = [s.claims for s in sections] + [path]
        told = next(
            ((claims, k) for claims in places for k, c in enumerate(claims) if states(c)), None
        )
        if told is not None and not (lede is not None and states(lede)):
            claims, k = told
            claims.insert(k + 1, note)
            continue
        details = next((s for s in sections if s.kind == "details"), None)
        if details is None:
            details = Section(heading=job.words.headings["details"], kind="details", claims=[])
            sections.insert(0, details)
        details.claims.insert(0, note)


def _dateline(articles: Sequence[Article], words: Wording) -> str:
    latest = max(a.published for a in articles)
    return words.dated(latest, len(articles), len({a.outlet for a in articles}))


def _sources(articles: Sequence[Article], copies: Sequence[Article]) -> list[SourceRef]:
    return [
        SourceRef(
            article_id=a.id or 0,
            outlet=a.outlet,
            title=a.title,
            url=a.canonical_url or a.url,
            published=a.published,
            also_published_by=sorted({c.outlet for c in copies if c.duplicate_of == a.id}),
            language=a.language,
        )
        for a in articles
    ]


def digest_language(articles: Sequence[Article], preferred: str | None = None) -> str | None:
    """The language a story's digest is written in: `preferred` (the reader's) when a source
    is in it, else the one most of its sources are in; on a tie, the first report's."""
    languages = [a.language for a in articles if a.language]
    if preferred and preferred in languages:
        return preferred
    counts = Counter(languages)
    return max(languages, key=lambda lang: counts[lang], default=None)
