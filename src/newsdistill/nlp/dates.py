"""Date mentions in news sentences, resolved against the article's publication date.

Mentions are found with regular expressions (explicit dates, weekdays, "yesterday", "last week",
"three days ago", years after a preposition), not spaCy: they are predictable, fast, and every
pattern found can be resolved. A date without a year, a bare month or a weekday is placed
before publication unless the nearest tense cue speaks of what is ahead ("will", "plans",
"is due to", "expects ... to"; see _TENSE_CUE). dateparser resolves "N days/weeks ago".

Granularity says how precise ``value`` is: "day", "relative" (a week: "last week", "two weeks
ago"; ``value`` is a day in that week), "month" and "year" (``value`` is the first day of the
month or year), or "unknown" (``value`` is None: no publication date to resolve against, or an
ambiguous form such as "3/4/2024").

Why not ``dateparser.search.search_dates`` (issue #14). Measured with dateparser 1.5.0,
``languages=["en"]``, ``RELATIVE_BASE`` the publication date and ``PREFER_DATES_FROM`` "future"
for sentences with a future cue, else "past", on the demo corpus (704 sentences) and the
NeuS/AllSides dev excerpts (2,045 sentences, no publication dates: spans only):

- Precision. Demo: 498 spans from dateparser against our 258. 258 of its spans touch none of
  ours, and all but 7 of them are no date: "We" (read as Wednesday), "now", "may" and "march"
  as verbs, ages and percentages as years ("Haldor, 34" is 1934, "89%" is 1989), scores
  ("2-1"), durations ("six months", "48-hour"), clock times ("0115 GMT" is the year 115). Dev:
  1,049 spans against our 686, the same kinds of error. None of our spans is false on the demo;
  on dev the false ones were titles (ABC's "This Week", "Tucker Carlson Tonight") and "his
  performance weeks ago", now left out.
- Resolution. Of the 240 demo spans both find, 60 get different values and dateparser's is
  wrong in all 60: a weekday named on its own publication day goes a week back (or ahead), the
  year of "Monday 23 November" or "Nov 19" ignores the weekday and the nearest year, "March 1
  next year" loses "next year", spans run into neighbouring numbers ("48 hours from Wednesday
  25 November" is in 2048). 70 more are months or years returned as an invented day.
- As the resolver behind this finder (``dateparser.parse`` on each of our day mentions, same
  settings): 48 of 164 differ, all dateparser's errors of the kinds above.
- Speed: 11 to 18 times slower in the same runs (220-700 against 3,400-12,000 sentences/s;
  the machine was shared).
The real dates it found and we did not were years in ranges ("between 2022 and 2025") and after
"for" ("forecast for 2027"), now matched here; decades ("the 1970s", "a decade ago") are not:
no granularity fits them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import dateparser

__all__ = ["GRANULARITIES", "DateMention", "date_spans", "extract_dates", "same_date"]

#: From finest to coarsest; "unknown" has no value to compare.
GRANULARITIES = ("day", "relative", "month", "year", "unknown")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression and its resolved calendar date (see the module docstring)."""

    text: str
    start: int
    end: int
    value: dt.date | None
    granularity: str


_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
# News capitalises month and day names; matching them case-sensitively keeps "may" (the verb)
# and "march" (the noun) out.
_FULL_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH = rf"(?:{_FULL_MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19\d\d|20\d\d|2100)"
# The counts that "three weeks ago" may have (dateparser resolves these; "several" it does not).
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety)"
)
# Tense cues. A date takes the tense of the nearest cue before it in its stretch of the
# sentence (between strong breaks), else of the nearest one after it ("On Friday, the
# president will travel"), else the past: "Troops arrived in January and will leave in
# March", "He said on Monday that he would resign on Friday". Looking ahead: modal future,
# plans, schedules and expectations ("plans a parade on Saturday", "said they expected the
# road to reopen on Saturday", "faces a vote on Thursday, when lawmakers are due to vote").
# A bare "next" is no cue ("next to", "the next day"); "next Friday" and "next week" are
# dates with their own modifier.
_FUTURE_CUE = (
    r"\b(?:will|won['’]t|shall|upcoming|scheduled)\b|\w['’]ll\b"
    r"|\bwould\b(?!\s+(?:not\s+)?have\b)"
    r"|\b(?:is|are|['’]s|['’]re)\s+(?:not\s+)?"
    r"(?:expected|set|scheduled|due|planned|going|likely|poised|to)\b"
    r"|\bexpect(?:s|ing)?\b|\bexpected\b(?=(?:\s+[\w'’-]+){0,4}?\s+to\b)"
    r"|\bplan(?:s|ning)?\b|\bplanned\s+for\b|\bset\s+to\b|\bdue\s+(?:on|in|at|for|by)\b"
    r"|\b(?:hope|aim|intend|prepare|seek)(?:s|ing)?\s+to\b"
    r"|\bnext\s+(?:season|spring|summer|autumn|winter|weekend)\b"
)
# Past forms: common irregular ones and lower-case words in -ed (not "-eed": "need").
_PAST_FORM = (
    r"(?:said|told|began|met|went|came|took|made|gave|found|saw|struck|held|left|won|lost|rose"
    r"|fell|spoke|wrote|sent|brought|thought|knew|became|ran|got|paid|sold|bought|kept|led"
    r"|shook|broke|stood|drove|flew|swept|tore|fled|sank|felt|heard|meant|chose|threw|grew"
    r"|drew|beat)\b"
    r"|(?-i:(?!(?:hundred|bed|red|shed|wed|sacred|naked|wicked|kindred)\b)[a-z]+[a-df-z]ed\b)"
)
# Neither: a participle after a present or infinitive "be" ("will be held", "if the bill is
# unchanged"), and "was" in a condition ("would begin once it was safe"). Matched so that
# their words are not read as past cues.
_NEUTRAL_CUE = (
    rf"\b(?:is|are|be|been|being)\s+(?:not\s+)?(?:[a-z]+ly\s+)?(?:{_PAST_FORM})"
    r"|\b(?:once|if|unless|until)\s+(?:[\w'’-]+\s+){0,3}?(?:was|were|had)\b"
)
_PAST_CUE = rf"\bwould\s+(?:not\s+)?have\b|\b(?:was|were|had|did|ago)\b|\b(?:{_PAST_FORM})"
# Future cues come first: "is expected to" looks ahead, "expected" alone does not.
_TENSE_CUE = re.compile(
    rf"(?P<future>{_FUTURE_CUE})|(?P<neutral>{_NEUTRAL_CUE})|(?P<past>{_PAST_CUE})",
    re.IGNORECASE,
)
# Breaks between statements that do not share a tense: "Police arrested two men; on Friday
# the pair will appear in court".
_STRONG_BREAK = re.compile(r"[;:—–]|\s-\s")
# A relative clause between commas has its own tense: "The committee is expected to consider
# the bill, which is based on measures approved by nine committees, on Monday."
_ASIDE = re.compile(r",\s*(?:which|who|whom|whose)\b[^,;:]*,")
_DATE_PHRASE = r"(?<![\w.])(?P<d>{})(?![\w-])"


def _pattern(body: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(_DATE_PHRASE.format(body), flags)


_Resolution = tuple[dt.date | None, str]
_Resolver = Callable[[re.Match[str], dt.date | None, bool], _Resolution]


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_day_near(
    month: int, day: int, published: dt.date, future: bool, weekday: int | None = None
) -> dt.date | None:
    """The year for a month-day: the one a named weekday fits ("Tuesday, Nov. 24"), else the
    next one on or after publication when the clause speaks of the future, else the nearest.

    News mostly reports the recent past and the near future, and its tense is often unmarked
    ("the rules kick in on March 1", "at the January 20 meeting"), so nearest is the default.
    """
    candidates = [d for y in range(-1, 2) if (d := _valid(published.year + y, month, day))]
    if weekday is not None:
        matching = [d for d in candidates if d.weekday() == weekday]
        if matching:
            return min(matching, key=lambda d: abs((d - published).days))
    if future:
        # One day of slack: the publication time zone may differ from the event's.
        later = [d for d in candidates if d >= published - dt.timedelta(days=1)]
        return min(later) if later else None
    return min(candidates, key=lambda d: abs((d - published).days)) if candidates else None


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _explicit_day(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    month = _MONTH_NUMBERS[m["month"].rstrip(".").casefold()]
    day = _number(m["day"])
    if m["year"]:
        value = _valid(int(m["year"]), month, day)
    else:
        named = m["weekday"]
        weekday = _WEEKDAY_NUMBERS[named.casefold()] if named else None
        value = _month_day_near(month, day, published, future, weekday) if published else None
    return (value, "day") if value else (None, "unknown")


def _iso(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    value = _valid(int(m["year"]), int(m["month"]), int(m["day"]))
    return (value, "day") if value else (None, "unknown")


def _slashed(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    first, second = int(m["a"]), int(m["b"])
    year = int(m["year"]) + (2000 if len(m["year"]) == 2 else 0)
    # 3/4/2024 is March 4 in the US and 3 April elsewhere: only resolve unambiguous ones.
    if first > 12:
        value = _valid(year, second, first)
    elif second > 12:
        value = _valid(year, first, second)
    else:
        value = None
    return (value, "day") if value else (None, "unknown")


def _month_year(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    return dt.date(int(m["year"]), _MONTH_NUMBERS[m["month"].rstrip(".").casefold()], 1), "month"


def _month_alone(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    if published is None:
        return None, "unknown"
    month = _MONTH_NUMBERS[m["month"].casefold()]
    modifier = (m.groupdict().get("mod") or "").casefold()
    in_year = dt.date(published.year, month, 1)
    current = dt.date(published.year, published.month, 1)
    if modifier == "next" or (modifier != "last" and future):
        # "next November" is never the current month; "in November" may be.
        if in_year > current or (in_year == current and modifier != "next"):
            return in_year, "month"
        return dt.date(published.year + 1, month, 1), "month"
    if in_year < current or (in_year == current and modifier != "last"):
        return in_year, "month"
    return dt.date(published.year - 1, month, 1), "month"


def _year(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    return dt.date(int(m["year"]), 1, 1), "year"


def _weekday(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    if published is None:
        return None, "unknown"
    modifier = (m["mod"] or "").casefold()
    ahead = (_WEEKDAY_NUMBERS[m["weekday"].casefold()] - published.weekday()) % 7
    if modifier == "next":
        return published + dt.timedelta(days=ahead or 7), "day"
    if modifier == "last":
        return published - dt.timedelta(days=(7 - ahead) or 7), "day"
    if future:
        return published + dt.timedelta(days=ahead), "day"
    return published - dt.timedelta(days=(7 - ahead) % 7), "day"


_DAY_OFFSETS = {"yesterday": -1, "night": -1, "tomorrow": 1}
_UNIT_GRANULARITY = {"day": "day", "week": "relative", "month": "month", "year": "year"}
_MODIFIER_SIGN = {"last": -1, "past": -1, "this": 0, "next": 1}


def _first_of(value: dt.date, granularity: str) -> dt.date:
    if granularity == "month":
        return value.replace(day=1)
    if granularity == "year":
        return value.replace(month=1, day=1)
    return value


def _relative_day(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    if published is None:
        return None, "unknown"
    # The last word decides: "last night" is yesterday, "this morning" is today.
    offset = _DAY_OFFSETS.get(m["word"].casefold().split()[-1], 0)
    return published + dt.timedelta(days=offset), "day"


def _relative_period(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    if published is None:
        return None, "unknown"
    unit = m["unit"].casefold()
    sign = _MODIFIER_SIGN[m["mod"].casefold()]
    granularity = _UNIT_GRANULARITY[unit]
    if unit == "week":
        return published + dt.timedelta(weeks=sign), granularity
    if unit == "month":
        month_index = published.year * 12 + published.month - 1 + sign
        return dt.date(month_index // 12, month_index % 12 + 1, 1), granularity
    return dt.date(published.year + sign, 1, 1), granularity


def _ago(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    if published is None:
        return None, "unknown"
    base = dt.datetime.combine(published, dt.time(12))
    parsed = dateparser.parse(
        m["d"], languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    )
    if parsed is None:
        return None, "unknown"
    granularity = _UNIT_GRANULARITY[m["unit"].casefold()]
    return _first_of(parsed.date(), granularity), granularity


_WEEKDAY_MENTION = _pattern(
    rf"(?:(?P<mod>last|next|this)\s+)?(?P<weekday>{_WEEKDAY})", re.IGNORECASE
)
_RELATIVE_DAY = _pattern(
    r"(?P<word>today|tonight|yesterday|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))",
    re.IGNORECASE,
)
_RELATIVE_PERIOD = _pattern(
    r"(?:(?:earlier|later)\s+)?(?P<mod>last|past|this|next)\s+(?P<unit>week|month|year)",
    re.IGNORECASE,
)
# Earlier patterns win where matches overlap ("Tuesday, Nov. 18" is one mention, not two).
_PATTERNS: list[tuple[re.Pattern[str], _Resolver]] = [
    (_pattern(r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"), _iso),
    (_pattern(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}|\d\d)"), _slashed),
    (
        _pattern(
            rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?P<month>{_MONTH})\s+(?P<day>{_DAY})"
            rf"(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _explicit_day,
    ),
    (
        _pattern(
            rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})"
            rf"(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _explicit_day,
    ),
    (_pattern(rf"(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})"), _month_year),
    (_pattern(rf"(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<month>{_FULL_MONTH})"), _month_alone),
    (
        re.compile(
            rf"\b(?:[Ii]n|[Ss]ince|until|till|by|from|through|during|before|after|early|late|mid"
            rf"|of)[\s-]+(?P<d>(?P<month>{_FULL_MONTH}))\b(?!\s+\d)"
        ),
        _month_alone,
    ),
    (
        re.compile(
            rf"\b(?:[Ii]n|[Ss]ince|until|till|by|from|through|during|before|after|early|late|mid"
            rf"|of|[Bb]etween|for|(?<=\d{{4}}\s)(?:and|to|or))[\s-]+(?P<d>(?P<year>{_YEAR}))"
            rf"(?![\w-]|\s*(?:%|per\s*cent))"
        ),
        _year,
    ),
    (_WEEKDAY_MENTION, _weekday),
    (_RELATIVE_DAY, _relative_day),
    (_RELATIVE_PERIOD, _relative_period),
    (
        _pattern(
            rf"(?:\d+|an?|{_NUMBER_WORD}(?:-{_NUMBER_WORD})?)\s+(?P<unit>day|week|month|year)s?\s+ago",
            re.IGNORECASE,
        ),
        _ago,
    ),
]


# Day words in a title: "the Sunday Times", ABC's "This Week", "Tucker Carlson Tonight".
_THE_BEFORE = re.compile(r"\b[Tt]he\s$")
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
_TITLE_CASE = re.compile(r"(?:[A-Z][a-z]+\s+)*[A-Z][a-z]+")
_QUOTE_OR_NAME_BEFORE = re.compile(r"(?:[\"“‘']|[A-Z][a-z]+\s)$")
_QUOTE_AFTER = re.compile(r"[.,!?]?[\"”’'](?!s\b)")


def _in_title(sentence: str, m: re.Match[str]) -> bool:
    """Whether the match is part of a name rather than a date."""
    start, end = m.span("d")
    if m.re is _WEEKDAY_MENTION:
        return bool(
            not m["mod"]
            and _THE_BEFORE.search(sentence[:start])
            and _CAPITAL_AFTER.match(sentence, end)
        )
    # A quoted title: the day words close the quotation.
    return bool(
        m.re in (_RELATIVE_DAY, _RELATIVE_PERIOD)
        and _TITLE_CASE.fullmatch(m["d"])
        and _QUOTE_OR_NAME_BEFORE.search(sentence[:start])
        and _QUOTE_AFTER.match(sentence, end)
    )


def _matches(sentence: str) -> list[tuple[re.Match[str], _Resolver]]:
    taken: list[tuple[re.Match[str], _Resolver]] = []
    for pattern, resolve in _PATTERNS:
        for m in pattern.finditer(sentence):
            start, end = m.span("d")
            if _in_title(sentence, m):
                continue
            if all(end <= t.start("d") or start >= t.end("d") for t, _ in taken):
                taken.append((m, resolve))
    return sorted(taken, key=lambda item: item[0].start("d"))


def date_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the date expressions in ``sentence`` (no resolution)."""
    return [m.span("d") for m, _ in _matches(sentence)]


def _looks_ahead(sentence: str, start: int, end: int, cues: list[re.Match[str]]) -> bool:
    """Whether the date at ``start:end`` is spoken of as ahead (see _TENSE_CUE)."""
    breaks = [b.span() for b in _STRONG_BREAK.finditer(sentence)]
    stretch_start = max((e for s, e in breaks if e <= start), default=0)
    stretch_end = min((s for s, e in breaks if s >= end), default=len(sentence))
    asides = [a.span() for a in _ASIDE.finditer(sentence) if not a.start() <= start < a.end()]
    relevant = [
        c
        for c in cues
        if stretch_start <= c.start()
        and c.end() <= stretch_end
        and not any(a <= c.start() < b for a, b in asides)
    ]
    before = [c for c in relevant if c.end() <= start]
    after = [c for c in relevant if c.start() >= end]
    nearest = before[-1] if before else (after[0] if after else None)
    return nearest is not None and nearest["future"] is not None


def extract_dates(sentence: str, published: dt.datetime | None) -> list[DateMention]:
    """Date mentions in ``sentence``, resolved relative to the publication datetime."""
    base = published.date() if published else None
    matches = _matches(sentence)
    if not matches:  # most sentences: skip the scan for tense cues
        return []
    cues = [c for c in _TENSE_CUE.finditer(sentence) if c["neutral"] is None]
    mentions: list[DateMention] = []
    for m, resolve in matches:
        start, end = m.span("d")
        value, granularity = resolve(m, base, _looks_ahead(sentence, start, end, cues))
        mentions.append(DateMention(m["d"], start, end, value, granularity))
    return mentions


def _week(value: dt.date) -> tuple[int, int]:
    iso = value.isocalendar()
    return iso.year, iso.week


def same_date(a: DateMention, b: DateMention) -> bool:
    """Whether two mentions can denote the same date, compared at the coarser granularity."""
    if a.value is None or b.value is None:
        return False
    coarser = max(GRANULARITIES.index(a.granularity), GRANULARITIES.index(b.granularity))
    level = GRANULARITIES[coarser]
    if level == "day":
        return a.value == b.value
    if level == "relative":
        return _week(a.value) == _week(b.value)
    if level == "month":
        return (a.value.year, a.value.month) == (b.value.year, b.value.month)
    return a.value.year == b.value.year
