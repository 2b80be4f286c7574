"""The extractive writer: no model, deterministic, always available.

It words nothing itself: every sentence is a source sentence chosen from the brief by maximal
marginal relevance (score against redundancy), so it is faithful by construction.
"""

from __future__ import annotations

import datetime as dt
import re

from newsdistill.config import Settings
from newsdistill.distill.facts import disputed_outlets
from newsdistill.models import (
    DraftDigest,
    DraftEvent,
    DraftSection,
    DraftSentence,
    EvidenceSentence,
    SectionKind,
    StoryBrief,
)
from newsdistill.nlp.text import similarity
from newsdistill.plugins import Register, hookimpl
from newsdistill.writers.base import Writer

HEADINGS: dict[SectionKind, str] = {
    "details": "What happened",
    "background": "Background",
    "reactions": "Reactions",
    "next": "What comes next",
}
QUOTAS: dict[SectionKind, int] = {"details": 4, "background": 2, "reactions": 3, "next": 2}
PATH_AHEAD = 3
REDUNDANT = 0.45
RECENT_HOURS = 24
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|where|whose)\b[^,]*,")
_LEADING_TIME = re.compile(
    r"^(on|by|late on|early on|earlier on)\s+[^,]{3,30},\s*|^(yesterday|today|on \w+day),?\s*",
    re.I,
)


def event_label(sentence: str, words: int = 10) -> str:
    """A short label for a timeline row: the sentence's opening words, without a leading time
    phrase or relative clauses (", who visited Kelby on Tuesday,")."""
    text = _LEADING_TIME.sub("", sentence)
    text = _RELATIVE_CLAUSE.sub("", text).rstrip(".")
    text = re.split(r"[\"“]", text)[0]  # a label never opens a quotation it cannot close
    parts = text.split()
    label = " ".join(parts[:words]).rstrip(",;:") + (" …" if len(parts) > words else "")
    return label[:1].upper() + label[1:]


class ExtractiveWriter:
    name = "extractive"

    def __init__(self, settings: Settings | None = None) -> None:
        self.max_sentences = settings.digest_sentences if settings else 14

    def write(self, brief: StoryBrief) -> DraftDigest:
        evidence = brief.evidence
        sims = similarity([e.text for e in evidence])
        used: list[int] = []

        # Sentences another outlet's version of which is already used say nothing new.
        number_at = {e.number: i for i, e in enumerate(evidence)}
        same = [{number_at[n] for n in e.support if n in number_at} for e in evidence]

        def pick(pool: list[int], count: int) -> list[int]:
            picked: list[int] = []
            for i in pool:  # pool is in score order: the first non-redundant ones win
                if len(picked) >= count:
                    break
                if all(sims[i, j] < REDUNDANT and j not in same[i] for j in used):
                    picked.append(i)
                    used.append(i)
            return picked

        # The lede: an outlet's own opening sentence that says what happened, if there is one.
        short = [i for i, e in enumerate(evidence) if len(e.text.split()) <= 45]
        details = [i for i in short if evidence[i].kind == "details"] or short
        recent = _recent(brief)
        opening = [
            i for i in details if evidence[i].sentence <= 1 and evidence[i].published >= recent
        ]
        lede = pick(opening or details or list(range(len(evidence))), 1)
        # Forward-looking statements feed the projected path first, the section gets the rest.
        path = pick([i for i, e in enumerate(evidence) if e.kind == "next"], PATH_AHEAD)
        sections: list[DraftSection] = []
        for kind, quota in QUOTAS.items():
            picked = pick([i for i, e in enumerate(evidence) if e.kind == kind], quota)
            if picked:
                sections.append(
                    DraftSection(
                        heading=HEADINGS[kind],
                        kind=kind,
                        sentences=[_draft(evidence[i]) for i in picked],
                    )
                )
        by_number = brief.by_number()
        events = [
            DraftEvent(
                event=event_label(by_number[ev.evidence].text),
                date=ev.date,
                details=_draft(by_number[ev.evidence]),
            )
            for ev in brief.events
        ]
        return DraftDigest(
            headline=self._headline(brief),
            lede=_draft(evidence[lede[0]]) if lede else self._headline(brief),
            sections=sections,
            path_ahead=[_draft(evidence[i]) for i in path],
            key_developments=events,
        )

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        """Fall back to the first cited source sentence, verbatim."""
        by_number = brief.by_number()
        for number in sentence.evidence:
            if number in by_number:
                return _draft(by_number[number])
        return sentence

    def _headline(self, brief: StoryBrief) -> DraftSentence:
        """The title most like the other titles and the evidence (the story's centre), among
        the latest day's titles (a growing story is told by its newest turn) that take no side
        where sources disagree."""
        titles = brief.titles
        texts = [t.text for t in titles] + [e.text for e in brief.evidence[:10]]
        sims = similarity(texts)
        recent = _recent(brief)
        neutral = [
            i
            for i, t in enumerate(titles)
            if t.published >= recent
            and disputed_outlets(t.text, brief.disagreements, t.published) is None
        ]
        best = max(neutral or range(len(titles)), key=lambda i: (float(sims[i].sum()), -i))
        return _draft(titles[best])


def _recent(brief: StoryBrief) -> dt.datetime:
    """Start of the story's latest day of reporting."""
    return max(t.published for t in brief.titles) - dt.timedelta(hours=RECENT_HOURS)


def _draft(e: EvidenceSentence) -> DraftSentence:
    return DraftSentence(text=e.text, evidence=[e.number])


@hookimpl
def register_writers(register: Register[Writer]) -> None:
    register("extractive", ExtractiveWriter)
