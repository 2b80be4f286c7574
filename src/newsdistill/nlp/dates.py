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

from newsdistill.nlp.language import primary_language

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
# German, French and Spanish names (casefolded; none names another month or day in English).
_FOREIGN_MONTHS = {
    "de": "januar jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november"
    "|dezember",
    "fr": "janvier janv.|février févr.|mars|avril avr.|mai|juin|juillet juil.|août"
    "|septembre sept.|octobre oct.|novembre nov.|décembre déc.",
    "es": "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre setiembre|octubre"
    "|noviembre|diciembre",
}
_FOREIGN_WEEKDAYS = {
    "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
}
_MONTH_NUMBERS |= {
    form.rstrip("."): number
    for table in _FOREIGN_MONTHS.values()
    for number, forms in enumerate(table.split("|"), start=1)
    for form in forms.split()
}
_WEEKDAY_NUMBERS |= {
    name: number
    for table in _FOREIGN_WEEKDAYS.values()
    for number, name in enumerate(table.split())
}
_WEEKDAY_NUMBERS["sonnabend"] = 5
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
    modifier = _modifier(m.groupdict().get("mod"))
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
    modifier = _modifier(m["mod"] or m.groupdict().get("mod2"))
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
# German, French and Spanish modifiers, as the English word whose meaning they have.
_MODIFIER_WORDS = {
    **dict.fromkeys(
        "letzte letzten letzter letztes vergangene vergangenen vergangener".split(), "last"
    ),
    **dict.fromkeys("nächste nächsten nächster nächstes kommende kommenden".split(), "next"),
    **dict.fromkeys("diese diesen dieser dieses ce cet cette este esta".split(), "this"),
    **dict.fromkeys("dernier dernière passé passée pasado pasada".split(), "last"),
    **dict.fromkeys("prochain prochaine próximo próxima".split(), "next"),
    "que viene": "next",
}
_UNIT_WORDS = {
    **dict.fromkeys("tag tage tagen jour jours día días".split(), "day"),
    **dict.fromkeys("woche wochen semaine semaines semana semanas".split(), "week"),
    **dict.fromkeys("monat monate monaten monats mois mes meses".split(), "month"),
    **dict.fromkeys("jahr jahre jahren jahres an ans année années año años".split(), "year"),
}


def _modifier(text: str | None) -> str:
    word = " ".join((text or "").casefold().split())
    return _MODIFIER_WORDS.get(word, word)


def _unit(text: str) -> str:
    word = text.casefold()
    return _UNIT_WORDS.get(word, word)


def _first_of(value: dt.date, granularity: str) -> dt.date:
    if granularity == "month":
        return value.replace(day=1)
    if granularity == "year":
        return value.replace(month=1, day=1)
    return value


def _relative_day(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    if published is None:
        return None, "unknown"
    # The last word decides: "last night" is yesterday, "this morning" is today; a German,
    # French or Spanish phrase is looked up whole ("heute Morgen" is today, "morgen" tomorrow).
    phrase = " ".join(m["word"].split())
    words = phrase.split()
    offset = _FOREIGN_DAY_OFFSETS.get(
        phrase, _FOREIGN_DAY_OFFSETS.get(words[0], _DAY_OFFSETS.get(words[-1].casefold(), 0))
    )
    return published + dt.timedelta(days=offset), "day"


def _relative_period(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    if published is None:
        return None, "unknown"
    unit = _unit(m["unit"])
    sign = _MODIFIER_SIGN[_modifier(m["mod"])]
    granularity = _UNIT_GRANULARITY[unit]
    if unit == "week":
        return published + dt.timedelta(weeks=sign), granularity
    if unit == "month":
        month_index = published.year * 12 + published.month - 1 + sign
        return dt.date(month_index // 12, month_index % 12 + 1, 1), granularity
    return dt.date(published.year + sign, 1, 1), granularity


def _ago_in(language: str) -> _Resolver:
    """ "three days ago", "vor drei Tagen", "il y a trois jours", "hace tres días": dateparser
    reads them in the sentence's language (with the count in digits: it misses "hace tres")."""

    def resolve(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
        if published is None:
            return None, "unknown"
        base = dt.datetime.combine(published, dt.time(12))
        text = m["d"]
        if language != "en" and m["count"] and not m["count"].isdigit():
            value = _COUNT_WORDS.get(m["count"].casefold())
            if value is None:
                return None, "unknown"
            text = text.replace(m["count"], str(value), 1)
        parsed = dateparser.parse(
            text,
            languages=[language],
            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
        )
        if parsed is None:
            return None, "unknown"
        granularity = _UNIT_GRANULARITY[_unit(m["unit"])]
        return _first_of(parsed.date(), granularity), granularity

    return resolve


_ago = _ago_in("en")


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


# --- German, French and Spanish ---------------------------------------------------------------
# The same kinds of mention as in English, with the resolvers above: explicit days ("3. März
# 2026", "le 3 mars", "el 3 de marzo de 2026"), months with a year, months after a preposition,
# weekdays with or without a modifier, the days around publication, this/last/next week, month
# or year, and "N days ago". Day-first numeric dates ("3.3.2026", "03/03/2026") are not ambiguous
# there. Month and day names are lower case in French and Spanish, capitalised in German.
_FOREIGN_DAY_OFFSETS = {
    **dict.fromkeys(
        ["heute", "Heute", "aujourd'hui", "aujourd’hui", "Aujourd'hui", "hoy", "Hoy"], 0
    ),
    **dict.fromkeys(["gestern", "Gestern", "hier", "Hier", "ayer", "Ayer", "anoche", "Anoche"], -1),
    **dict.fromkeys(["vorgestern", "Vorgestern", "avant-hier", "anteayer"], -2),
    **dict.fromkeys(["morgen", "demain", "Demain", "mañana"], 1),
    **dict.fromkeys(["übermorgen", "après-demain", "pasado mañana"], 2),
    "hier soir": -1,
    "la nuit dernière": -1,
}
_COUNT_WORDS = {
    w: i
    for words in (
        "- ein zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
        "- un deux trois quatre cinq six sept huit neuf dix onze douze",
        "- un dos tres cuatro cinco seis siete ocho nueve diez once doce",
    )
    for i, w in enumerate(words.split())
    if w != "-"
} | {"einem": 1, "einer": 1, "une": 1, "una": 1}
_COUNT = rf"(?P<count>\d+|{'|'.join(sorted(_COUNT_WORDS, key=len, reverse=True))})"


def _names(table: str) -> str:
    forms = [form for group in table.split("|") for form in group.split()]
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


def _dotted(m: re.Match[str], published: dt.date | None, future: bool) -> _Resolution:
    value = _valid(int(m["year"]) + (2000 if len(m["year"]) == 2 else 0), int(m["b"]), int(m["a"]))
    return (value, "day") if value else (None, "unknown")


def _foreign_patterns(language: str) -> list[tuple[re.Pattern[str], _Resolver]]:
    month = f"(?:{_names(_FOREIGN_MONTHS[language])})"
    weekday = f"(?:{_names(_FOREIGN_WEEKDAYS[language])}|Sonnabend)"
    i = re.IGNORECASE
    iso = (_pattern(r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"), _iso)
    numeric = (_pattern(r"(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<year>\d{4}|\d\d)"), _dotted)
    year = rf"(?P<year>{_YEAR})"
    ago = _ago_in(language)
    if language == "de":
        months = rf"(?P<month>(?i:{month}))"
        return [
            iso,
            numeric,
            (
                _pattern(
                    rf"(?:(?P<weekday>(?i:{weekday})),?\s+(?:(?:den|dem)\s+)?)?"
                    rf"(?P<day>{_DAY})\.\s*{months}(?:\s+{year})?"
                ),
                _explicit_day,
            ),
            (_pattern(rf"{months}\s+{year}"), _month_year),
            (
                re.compile(
                    rf"\b(?:[Ii]m|[Ss]eit|[Bb]is|[Aa]b|[Vv]or|[Nn]ach|Anfang|Ende|Mitte)\s+"
                    rf"(?P<d>{months})\b(?!\s+\d)"
                ),
                _month_alone,
            ),
            (
                re.compile(
                    rf"\b(?:[Ii]m\s+Jahr(?:e)?|[Ss]eit|[Bb]is|[Aa]b|für|[Zz]wischen"
                    rf"|(?<=\d{{4}}\s)und)\s+(?P<d>{year})(?![\w-]|\s*%|\s*Prozent)"
                ),
                _year,
            ),
            (
                _pattern(
                    rf"(?:(?P<mod>(?i:nächsten|kommenden|letzten|vergangenen|diesen))\s+)?"
                    rf"(?P<weekday>(?i:{weekday}))"
                ),
                _weekday,
            ),
            (
                _pattern(
                    r"(?P<word>(?:[Hh]eute|[Gg]estern)(?:\s+(?:Morgen|Vormittag|Mittag"
                    r"|Nachmittag|Abend|Nacht|früh))?|[Vv]orgestern|übermorgen|morgen)"
                ),
                _relative_day,
            ),
            (
                _pattern(
                    r"(?P<mod>(?i:letzte[nrs]?|vergangene[nrs]?|nächste[nrs]?|kommende[nrs]?"
                    r"|diese[nrs]?))\s+(?P<unit>Woche|Monat|Jahr)(?:e?s)?"
                ),
                _relative_period,
            ),
            (
                _pattern(
                    rf"(?i:vor\s+{_COUNT}\s+(?P<unit>Tag(?:en)?|Wochen?|Monat(?:en)?"
                    rf"|Jahr(?:en)?))"
                ),
                ago,
            ),
        ]
    if language == "fr":
        return [
            iso,
            numeric,
            (
                _pattern(
                    rf"(?:(?P<weekday>{weekday})\s+)?(?P<day>1er|{_DAY})\s+(?P<month>{month})"
                    rf"(?:\s+{year})?",
                    i,
                ),
                _explicit_day,
            ),
            (_pattern(rf"(?P<month>{month})\s+{year}", i), _month_year),
            (
                re.compile(
                    rf"\b(?:[Ee]n|[Dd]epuis|jusqu['’]en|d['’]ici|début|fin|mi-)\s*"
                    rf"(?P<d>(?P<month>{month}))(?![\w-])(?!\s+\d)"
                ),
                _month_alone,
            ),
            (
                re.compile(
                    rf"\b(?:[Ee]n|[Dd]epuis|jusqu['’]en|d['’]ici|[Ee]ntre|pour"
                    rf"|(?<=\d{{4}}\s)et)\s+(?P<d>{year})(?![\w-]|\s*%|\s*pour\s*cent)"
                ),
                _year,
            ),
            (_pattern(rf"(?P<weekday>{weekday})(?:\s+(?P<mod>prochain|dernier))?", i), _weekday),
            (
                _pattern(
                    r"(?P<word>[Aa]ujourd['’]hui|[Aa]vant-hier|[Aa]près-demain|hier\s+soir"
                    r"|[Hh]ier|[Dd]emain|la\s+nuit\s+dernière)"
                ),
                _relative_day,
            ),
            (
                _pattern(
                    r"(?:la|le|l['’])\s*(?P<unit>semaine|mois|année|an)\s+"
                    r"(?P<mod>dernière|dernier|passée|passé|prochaine|prochain)",
                    i,
                ),
                _relative_period,
            ),
            (
                _pattern(r"(?P<mod>cette|ce|cet)\s+(?P<unit>semaine|mois|année)", i),
                _relative_period,
            ),
            (
                _pattern(
                    rf"il\s+y\s+a\s+{_COUNT}\s+(?P<unit>jours?|semaines?|mois|ans|an|années?)", i
                ),
                ago,
            ),
        ]
    return [  # Spanish
        iso,
        numeric,
        (
            _pattern(
                rf"(?:(?P<weekday>{weekday}),?\s+)?(?P<day>{_DAY})\s+de\s+(?P<month>{month})"
                rf"(?:\s+de(?:l)?\s+{year})?",
                i,
            ),
            _explicit_day,
        ),
        (_pattern(rf"(?P<month>{month})\s+de(?:l)?\s+{year}", i), _month_year),
        (
            re.compile(
                rf"\b(?:[Ee]n|[Dd]esde|[Hh]asta|finales\s+de|principios\s+de|mediados\s+de)"
                rf"\s+(?P<d>(?P<month>{month}))\b(?!\s+(?:de\s+)?\d)"
            ),
            _month_alone,
        ),
        (
            re.compile(
                rf"\b(?:[Ee]n|[Dd]esde|[Hh]asta|[Ee]ntre|para|(?<=\d{{4}}\s)y)\s+"
                rf"(?P<d>{year})(?![\w-]|\s*%|\s*por\s+ciento)"
            ),
            _year,
        ),
        (
            _pattern(
                rf"(?:(?P<mod>próximo)\s+)?(?P<weekday>{weekday})"
                r"(?:\s+(?P<mod2>pasado|próximo|que\s+viene))?",
                i,
            ),
            _weekday,
        ),
        (
            _pattern(
                r"(?P<word>[Hh]oy|[Aa]nteayer|[Aa]yer|[Aa]noche|pasado\s+mañana"
                r"|(?<![Ll]a\s)(?<![Ee]sta\s)(?<![Pp]or\s)mañana)"
            ),
            _relative_day,
        ),
        (
            _pattern(
                r"(?:la|el)\s+(?P<unit>semana|mes|año)\s+(?P<mod>pasad[oa]|próxim[oa]"
                r"|que\s+viene)",
                i,
            ),
            _relative_period,
        ),
        (
            _pattern(r"(?:la|el)\s+(?P<mod>próxim[oa])\s+(?P<unit>semana|mes|año)", i),
            _relative_period,
        ),
        (_pattern(r"(?P<mod>est[ea])\s+(?P<unit>semana|mes|año)", i), _relative_period),
        (_pattern(rf"hace\s+{_COUNT}\s+(?P<unit>días?|semanas?|mes(?:es)?|años?)", i), ago),
    ]


# Future tense and what looks ahead; past tense. Any other clue reads as past, as in English.
_FOREIGN_TENSE = {
    "de": re.compile(
        r"(?P<future>\b(?:wird|werden|wirst|soll|sollen|sollte|sollten|will|wollen|plant|planen"
        r"|geplant|voraussichtlich|angesetzt|bevorstehende[nmrs]?|kommende[nmrs]?)\b)"
        r"|(?P<past>\b(?:war|waren|wurde|wurden|hatte|hatten|hat|haben|sagte|teilte|erklärte)\b"
        r"|\bge[a-zäöüß]{3,}(?:t|en)\b)"
    ),
    "fr": re.compile(
        r"(?P<future>\b(?:va|vont|doit|doivent|devrait|devraient|prévu[es]{0,2}|prévoit"
        r"|prévoient|compte|comptent|prochaine?s?)\b"
        r"|\b(?!(?:caméra|opéra|extra|choléra|mantra)\b)[a-zéèêàâîôûç]{2,}r(?:a|ont)\b)"
        r"|(?P<past>\b(?:a|ont|avait|avaient|était|étaient|fut|furent)\b)"
    ),
    "es": re.compile(
        r"(?P<future>\b(?:va|van)\s+a\b|\b(?:prevé|prevén|previsto|prevista|próxim[oa]s?"
        r"|deberá|deberán)\b|\b[a-záéíóúñ]{2,}r(?:á|án)\b)"
        r"|(?P<past>\b(?:fue|fueron|era|eran|había|habían|ha|han)\b"
        r"|\b[a-záéíóúñ]{2,}(?:ó|aron|ieron)\b)"
    ),
}
_FOREIGN_PATTERNS = {language: _foreign_patterns(language) for language in _FOREIGN_TENSE}


def _rules(
    language: str | None,
) -> tuple[list[tuple[re.Pattern[str], _Resolver]], re.Pattern[str]]:
    """A language's date patterns and tense cues; English for None and languages without."""
    code = primary_language(language)
    if code in _FOREIGN_PATTERNS:
        return _FOREIGN_PATTERNS[code], _FOREIGN_TENSE[code]
    return _PATTERNS, _TENSE_CUE


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


def _matches(sentence: str, language: str | None) -> list[tuple[re.Match[str], _Resolver]]:
    taken: list[tuple[re.Match[str], _Resolver]] = []
    for pattern, resolve in _rules(language)[0]:
        for m in pattern.finditer(sentence):
            start, end = m.span("d")
            if _in_title(sentence, m):
                continue
            if all(end <= t.start("d") or start >= t.end("d") for t, _ in taken):
                taken.append((m, resolve))
    return sorted(taken, key=lambda item: item[0].start("d"))


def date_spans(sentence: str, language: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the date expressions in ``sentence`` (no resolution)."""
    return [m.span("d") for m, _ in _matches(sentence, language)]


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


def extract_dates(
    sentence: str, published: dt.datetime | None, language: str | None = None
) -> list[DateMention]:
    """Date mentions in ``sentence``, resolved relative to the publication datetime.

    `language` (ISO 639-1) picks the month and day names, relative words and tense cues:
    German, French and Spanish have their own; None and any other language are read as
    English.
    """
    base = published.date() if published else None
    matches = _matches(sentence, language)
    if not matches:  # most sentences: skip the scan for tense cues
        return []
    tense = _rules(language)[1]
    cues = [c for c in tense.finditer(sentence) if c.groupdict().get("neutral") is None]
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
