"""Compose mode: a capable model writes the whole digest from the numbered evidence.

Code still decides what the model may say: it sees only the brief's numbered titles and evidence
sentences (instructions planted in them stripped, stale forward looks left out), the dated events
code found, and the disagreements, each a fact whose every value must be reported. It answers
with one JSON object in the digest's form, each sentence listing the numbers of the evidence it
rests on. Each part (headline, lede, sections, path ahead, key developments, summary, key
points) is read on its own: a part that cites evidence the model was not given, dates a row on a
day code did not find for its evidence, or is malformed, too long or empty keeps the extractive
draft's version. The verifier then checks every sentence, as for any writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, get_args

from newsdistill.llm import JsonSchema, guard
from newsdistill.models import (
    SUMMARY_MAX_WORDS,
    DraftDigest,
    DraftEvent,
    DraftSection,
    DraftSentence,
    SectionKind,
    StoryBrief,
    WriterJob,
)
from newsdistill.writers.model_io import (
    MAX_HEADLINE_WORDS,
    MAX_LEDE_WORDS,
    Rejected,
    at_most,
    dispute_payload,
    sentence_of,
    text_of,
)

PARTS = ("headline", "lede", "sections", "path_ahead", "key_developments", "summary", "key_points")
KINDS: tuple[SectionKind, ...] = get_args(SectionKind)
MAX_HEADING_WORDS = 6
MAX_LABEL_WORDS = 12
MAX_SECTION_SENTENCES = 4
MAX_PATH_AHEAD = 3
MAX_ROWS = 6
MAX_SUMMARY_SENTENCES = 3
KEY_POINTS = (3, 5)
MAX_EVIDENCE_PER_SENTENCE = 4
MAX_TOKENS = 1800  # the whole digest; a cut-off answer is not JSON and falls back whole

TASK = (
    'Write a news digest of one story from the numbered source sentences in "titles" and '
    '"evidence", as one JSON object in this form:\n'
    '- "headline": at most 14 words, sentence case, present tense, no full stop;\n'
    '- "lede": one sentence of at most 45 words saying what happened;\n'
    '- "sections": what happened (kind "details"), "background", "reactions" and what comes '
    '"next", each once, with a short "heading" and 1 to 4 sentences; leave out a kind the '
    'evidence says nothing for (an evidence item\'s "section" suggests where it belongs);\n'
    '- "path_ahead": up to 3 sentences on what happens next;\n'
    '- "key_developments": one row for each item of "dated_events": "event", a label of at '
    'most 12 words; "date", the item\'s date; "details", one sentence citing the item\'s '
    "evidence;\n"
    '- "summary": 1 to 3 sentences, at most 60 words in all;\n'
    '- "key_points": 3 to 5 short sentences.\n'
    'Every sentence lists in "evidence" the numbers "n" of the items that state what it says. '
    "Use only facts those items state, and tell each fact once in the sections."
)
DISPUTE_TASK = (
    ' "sources_disagree" lists facts on which outlets report different values: whenever you '
    "state such a fact, give every value with the outlets reporting it and cite the evidence "
    "of each; never choose one, merge them or explain the difference."
)


def shown_evidence(brief: StoryBrief) -> dict[int, str]:
    """The text the model is given, by evidence number: without planted instructions, and
    without forward looks that later reports overtook (the extractive writer drops them too)."""
    shown = {}
    for e in [*brief.titles, *brief.evidence]:
        stripped = guard.strip_instructions(e.text)
        if stripped and not e.stale:
            shown[e.number] = stripped
    return shown


def payload(brief: StoryBrief, shown: Mapping[int, str]) -> dict[str, Any]:
    def item(number: int, outlet: str, published: dt.datetime) -> dict[str, Any]:
        return {"n": number, "outlet": outlet, "published": published.date().isoformat()}

    out: dict[str, Any] = {
        "task": TASK + (DISPUTE_TASK if brief.disagreements else ""),
        "titles": [
            {**item(t.number, t.outlet, t.published), "text": shown[t.number]}
            for t in brief.titles
            if t.number in shown
        ],
        "evidence": [
            {**item(e.number, e.outlet, e.published), "section": e.kind, "text": shown[e.number]}
            for e in brief.evidence
            if e.number in shown
        ],
        "dated_events": [
            {"date": ev.date.isoformat(), "evidence": ev.evidence}
            for ev in brief.events
            if ev.evidence in shown
        ],
    }
    if brief.disagreements:
        out["sources_disagree"] = dispute_payload(brief.disagreements)
    return out


def schema(numbers: Sequence[int]) -> JsonSchema:
    """The digest's form. Evidence numbers are an enum, so a constrained decoder can only cite
    evidence it was given; a server that only takes plain JSON is checked by `parse`."""

    def obj(**properties: Any) -> JsonSchema:
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }

    def many(item: JsonSchema, most: int) -> JsonSchema:
        return {"type": "array", "items": item, "maxItems": most}

    string = {"type": "string"}
    cited = obj(
        text=string,
        evidence={
            "type": "array",
            "items": {"type": "integer", "enum": list(numbers)},
            "minItems": 1,
            "maxItems": MAX_EVIDENCE_PER_SENTENCE,
        },
    )
    section = obj(
        kind={"type": "string", "enum": list(KINDS)},
        heading=string,
        sentences=many(cited, MAX_SECTION_SENTENCES),
    )
    # [0-9], not \d: llama.cpp's grammar has no \d, and its server crashed on one.
    iso_date = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    row = obj(event=string, date=iso_date, details=cited)
    return {
        "title": "digest",
        **obj(
            headline=cited,
            lede=cited,
            sections=many(section, len(KINDS)),
            path_ahead=many(cited, MAX_PATH_AHEAD),
            key_developments=many(row, MAX_ROWS),
            summary=many(cited, MAX_SUMMARY_SENTENCES),
            key_points=many(cited, KEY_POINTS[1]),
        ),
    }


class _Reader:
    """Reads the parts of a composed digest, rejecting what breaks the rules above."""

    def __init__(self, brief: StoryBrief, shown: Mapping[int, str]) -> None:
        self.brief = brief
        self.shown = shown

    def cited(self, value: object, what: str, *, full_stop: bool = True) -> DraftSentence:
        if not isinstance(value, dict):
            raise Rejected(f"the {what} must be an object with text and evidence")
        said = sentence_of(value.get("text"), f"the {what}'s text")
        if not full_stop:
            said = said.rstrip(".")
        numbers = value.get("evidence")
        if (
            not isinstance(numbers, list)
            or not numbers
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers)
        ):
            raise Rejected(f"the {what} must list the numbers of its evidence")
        unknown = sorted(set(numbers) - set(self.shown))
        if unknown:
            listed = ", ".join(map(str, unknown))
            raise Rejected(f"the {what} cites evidence {listed}, which it was not given")
        return DraftSentence(text=said, evidence=list(dict.fromkeys(numbers)))

    def listed(self, value: object, what: str, most: int) -> list[object]:
        if not isinstance(value, list):
            raise Rejected(f"{what} must be a list")
        if len(value) > most:
            raise Rejected(f"{what} has more than {most} items")
        return value

    def sentences(self, value: object, what: str, most: int) -> list[DraftSentence]:
        items = self.listed(value, what, most)
        return [self.cited(v, f"{what} item {i + 1}") for i, v in enumerate(items)]

    def headline(self, value: object) -> DraftSentence:
        headline = self.cited(value, "headline", full_stop=False)
        at_most(headline.text, MAX_HEADLINE_WORDS, "headline")
        return headline

    def lede(self, value: object) -> DraftSentence:
        lede = self.cited(value, "lede")
        at_most(lede.text, MAX_LEDE_WORDS, "lede")
        return lede

    def sections(self, value: object) -> list[DraftSection]:
        out: dict[SectionKind, DraftSection] = {}
        for i, item in enumerate(self.listed(value, "sections", len(KINDS))):
            what = f"section {i + 1}"
            if not isinstance(item, dict) or item.get("kind") not in KINDS:
                raise Rejected(f"{what} must have a kind, one of {', '.join(KINDS)}")
            kind: SectionKind = item["kind"]
            if kind in out:
                raise Rejected(f'two sections are of the kind "{kind}"')
            heading = at_most(
                text_of(item.get("heading"), f"{what}'s heading"), MAX_HEADING_WORDS, what
            )
            said = self.sentences(item.get("sentences"), what, MAX_SECTION_SENTENCES)
            if not said:
                raise Rejected(f"{what} has no sentences")
            out[kind] = DraftSection(heading=heading.rstrip("."), kind=kind, sentences=said)
        return [out[k] for k in KINDS if k in out]  # the digest's order, whatever the model's

    def path_ahead(self, value: object) -> list[DraftSentence]:
        return self.sentences(value, "path_ahead", MAX_PATH_AHEAD)

    def key_developments(self, value: object) -> list[DraftEvent]:
        rows = []
        for i, item in enumerate(self.listed(value, "key_developments", MAX_ROWS)):
            what = f"key development {i + 1}"
            if not isinstance(item, dict):
                raise Rejected(f"{what} must be an object")
            label = text_of(item.get("event"), f"{what}'s event").rstrip(".")
            at_most(label, MAX_LABEL_WORDS, f"{what}'s event")
            details = self.cited(item.get("details"), f"{what}'s details")
            try:
                day = dt.date.fromisoformat(str(item.get("date")))
            except ValueError:
                raise Rejected(
                    f"{what}'s date {item.get('date')!r} is not a YYYY-MM-DD date"
                ) from None
            # The date is a fact too: only a day code found stated by the cited evidence.
            found = {ev.date for ev in self.brief.events if ev.evidence in details.evidence}
            if day not in found:
                raise Rejected(f"{what}'s date {day} is not a date its evidence gives")
            rows.append(DraftEvent(event=label, date=day, details=details))
        return rows

    def summary(self, value: object) -> list[DraftSentence]:
        summary = self.sentences(value, "summary", MAX_SUMMARY_SENTENCES)
        if sum(len(s.text.split()) for s in summary) > SUMMARY_MAX_WORDS:
            raise Rejected(f"the summary has more than {SUMMARY_MAX_WORDS} words")
        return summary

    def key_points(self, value: object) -> list[DraftSentence]:
        points = self.sentences(value, "key_points", KEY_POINTS[1])
        if points and len(points) < KEY_POINTS[0]:
            raise Rejected(f"key_points has fewer than {KEY_POINTS[0]} items")
        return points


def parse(
    data: Mapping[str, Any], brief: StoryBrief, shown: Mapping[int, str], base: DraftDigest
) -> tuple[DraftDigest, list[WriterJob]]:
    """The composed digest, each part the model's or, when the model's breaks a rule (or is
    empty where the extractive draft has something), the extractive draft's `base` part; and
    who worded each part. Raises Rejected when no part of the model's is usable."""
    reader = _Reader(brief, shown)
    readers: dict[str, Callable[[object], object]] = {
        "headline": reader.headline,
        "lede": reader.lede,
        "sections": reader.sections,
        "path_ahead": reader.path_ahead,
        "key_developments": reader.key_developments,
        "summary": reader.summary,
        "key_points": reader.key_points,
    }
    parts: dict[str, object] = {}
    jobs = []
    for part in PARTS:
        fallback = getattr(base, part)
        try:
            value = readers[part](data.get(part))
            if value == [] and not fallback:
                parts[part] = []  # nothing to say either way: no job for the model
                continue
            if value == []:
                raise Rejected(f"the model wrote no {part}")
        except Rejected as exc:
            parts[part] = fallback
            jobs.append(WriterJob(job=part, worded_by="fallback", reason=str(exc)))
            continue
        parts[part] = value
        jobs.append(WriterJob(job=part, worded_by="model"))
    if not any(j.worded_by == "model" for j in jobs):
        reasons = "; ".join(j.reason or "" for j in jobs)
        raise Rejected(f"no part of the digest was usable: {reasons}")
    return DraftDigest.model_validate(parts), jobs
