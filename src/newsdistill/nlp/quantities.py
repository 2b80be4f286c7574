"""Numbers in news sentences: counts, money, percentages and ordinals, digits or words.

Years, times of day, days of the month in dates, and numbers that are part of a name
("F-16", "No. 10", "Flight 370") are not quantities; the rules are conservative, so a number
that might be one of those is left out rather than misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdistill.nlp.dates import date_spans
from newsdistill.nlp.lexicon import CARDINALS, MULTIPLIERS, SCALES, TENS, UNITS

__all__ = ["Quantity", "extract_quantities", "number_from_words"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in a sentence.

    ``kind`` is "count" (a whole number), "number" (a fraction such as 6.2), "money",
    "percent" or "ordinal". ``unit`` is the currency code for money, "percentage point" for
    percentage points, and otherwise the singular of the noun right after the number
    ("three soldiers" → "soldier"), or None when there is none ("3 killed").
    """

    value: float
    kind: str
    unit: str | None
    text: str
    start: int
    end: int


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_CARDINALS: dict[str, float] = {w: float(v) for w, v in CARDINALS.items()}
_SCALES: dict[str, float] = {w: float(v) for w, v in SCALES.items()}
_ABBREVIATED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
_ORDINAL_UNITS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
    " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
)
_ORDINALS: dict[str, float] = {w: float(i) for i, w in enumerate(_ORDINAL_UNITS, start=1)} | {
    t[:-1] + "ieth": float(10 * i) for i, t in enumerate(TENS, start=2)
}
_ORDINALS |= {"hundredth": 100.0, "thousandth": 1e3, "millionth": 1e6}

_NUMBER_WORD = (
    rf"(?:(?:{'|'.join(TENS)})(?:-(?:{'|'.join(UNITS[1:10])}))?|{'|'.join(UNITS[1:])}"
    r"|hundred|thousand|million|billion|trillion|dozen)\b"
)
# "a dozen", "a hundred", "half a million"; a bare "a" is never a number.
_WORDS = (
    rf"(?:(?:half\s+)?an?\s+(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?"
    rf"{_NUMBER_WORD}(?:(?:\s+and\s+|\s+|-){_NUMBER_WORD})*"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CURRENCY_PREFIXES = {
    "$": "USD",
    "us$": "USD",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
    "nz$": "NZD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
}
_CURRENCY_CODES = _words("USD EUR GBP JPY CNY INR CHF CAD AUD RUB")
_CURRENCY_WORDS = {
    "dollar": "USD",
    "euro": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "rupee": "INR",
    "pounds sterling": "GBP",
} | {code.casefold(): code for code in _CURRENCY_CODES}
_QUANTITY = re.compile(
    r"(?<![\w.,$£€¥₹])"
    rf"(?:(?P<cur>US\$|A\$|C\$|HK\$|NZ\$|[$£€¥₹]|(?:{'|'.join(_CURRENCY_CODES)})\s)\s?)?"
    r"(?:"
    rf"(?P<digits>{_DIGITS})(?:(?P<abbr>bn|mn|tn|[mbk])\b|\s+(?P<scale>{'|'.join(_SCALES)})\b)?"
    rf"|(?P<words>(?i:{_WORDS}))"
    r")(?!\w)"
    r"(?:\s*(?P<pct>%|(?i:per\s*cent|percent|percentage\s+points?)\b)"
    rf"|\s+(?P<curword>(?i:dollars?|euros?|yen|yuan|rupees?|pounds\s+sterling)\b"
    rf"|(?:{'|'.join(_CURRENCY_CODES)})\b))?"
)
_ORDINAL = re.compile(
    r"(?<![\w.,])(?P<digits>\d+)(?:st|nd|rd|th)\b"
    rf"|(?<![\w-])(?P<words>(?i:(?:(?:{'|'.join(TENS)})-)?(?:{'|'.join(_ORDINALS)})))\b"
)
_TIME = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.m\.|[ap]m\b|o'clock)|\b\d{1,2}:\d{2}\b", re.IGNORECASE
)
# Numbers that name something rather than count it.
_NAMING_PREFIX = re.compile(
    r"(?:(?:\b(?:No|Nos|Vol|Art)\.|#|\b(?:number|article|section|chapter|resolution|flight"
    r"|route|highway|interstate|room|gate|platform|terminal|page|paragraph))\s*|[A-Za-z]-)$",
    re.IGNORECASE,
)
# "one" is more often a pronoun than a count: "no one", "the one who", "one of the largest".
_PRONOUN_ONE_BEFORE = re.compile(
    r"\b(?:no|any|every|some|each|the|this|that|which|another)\s+$", re.IGNORECASE
)
_PRONOUN_ONE_AFTER = re.compile(r"^\s+(?:of|another|or|who|that)\b", re.IGNORECASE)
# "a third of", "one second": a fraction or a unit of time, not a rank.
_FRACTION_BEFORE = re.compile(r"\b(?:a|an|one|\d+)[\s-]+$", re.IGNORECASE)
_NEXT_WORDS = re.compile(r"^[\s-]+([A-Za-z][A-Za-z'’]*)(?:\s+([A-Za-z][A-Za-z'’]*))?")
_NOT_NOUNS = frozenset(
    _words(
        """a an the and or but nor of to in on at by for from with without into onto over under
    about above below after before during since until than as per via off out up down
    is are was were be been being has have had do does did will would can could may might
    must shall should who whom whose which that this these those it its he she they them we
    you i his her their our your my more most less least fewer much many other others such
    times percent cent year-old years-old each every all both either neither some any no not
    so too very also only just even still yet then there here when where while if whether
    later earlier ago apiece overall altogether"""
    )
)
# Adjectives that may sit between a number and what it counts ("three more soldiers").
_MODIFIERS = frozenset(
    _words("more other additional new further young senior separate armed unarmed")
)
# Plural nouns that the suffix rules get wrong; collective nouns map to themselves.
_IRREGULAR_SINGULARS = {
    "people": "person",
    "police": "police",
    "personnel": "personnel",
    "men": "man",
    "women": "woman",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "heroes": "hero",
    "torpedoes": "torpedo",
}


def number_from_words(text: str) -> float | None:
    """The value of a number written in words and/or digits, or None if ``text`` is not one.

    "twenty-one" → 21, "a dozen" → 12, "half a million" → 500000, "1.2 million" → 1200000,
    "two hundred and fifty" → 250.
    """
    tokens = re.split(r"[\s-]+", text.strip().casefold().replace(",", ""))
    total = current = 0.0
    seen_number = False
    for token in tokens:
        if token in _CARDINALS:
            current += _CARDINALS[token]
        elif re.fullmatch(r"\d+(?:\.\d+)?", token):
            current += float(token)
        elif token in MULTIPLIERS:
            current = (current or 1.0) * MULTIPLIERS[token]
        elif token in _SCALES:
            total += (current or 1.0) * _SCALES[token]
            current = 0.0
        elif token == "half":
            current = current + 0.5 if current else 0.5
            continue
        elif token in ("a", "an", "and"):
            continue
        else:
            return None
        seen_number = True
    return total + current if seen_number else None


def _singular(word: str) -> str:
    word = word.casefold().rstrip("'’")
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")) or not word.endswith("s"):
        return word
    return word[:-1]


def _is_plural(word: str) -> bool:
    return word.casefold() in _IRREGULAR_SINGULARS or _singular(word) != word.casefold()


def _noun_like(word: str) -> bool:
    """A lower-case content word that is not a past participle, adverb or -ing form."""
    lowered = word.casefold()
    return (
        word.islower()
        and lowered not in _NOT_NOUNS
        and lowered not in _CARDINALS
        and lowered not in _SCALES
        and not lowered.endswith(("ed", "ly", "ing"))
    )


def _counted_noun(after: str) -> str | None:
    """The noun a number counts, from the text that follows it ("three Israeli soldiers")."""
    match = _NEXT_WORDS.match(after)
    if match is None:
        return None
    first, second = match.group(1), match.group(2)
    if _noun_like(first):
        return _singular(first)
    # Skip one adjective ("three Israeli soldiers", "two wounded men"), but only before a
    # plural noun: in "3 killed later" the word after "killed" is not what was counted.
    modifier = first[:1].isupper() or first.endswith("ed") or first.casefold() in _MODIFIERS
    if modifier and second is not None and _noun_like(second) and _is_plural(second):
        return _singular(second)
    return None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _currency(m: re.Match[str]) -> str | None:
    if m["cur"]:
        return _CURRENCY_PREFIXES.get(m["cur"].strip().casefold(), m["cur"].strip().upper())
    if m["curword"]:
        word = " ".join(m["curword"].split()).casefold()
        return _CURRENCY_WORDS.get(word, _CURRENCY_WORDS.get(word.rstrip("s")))
    return None


def _value(m: re.Match[str]) -> float | None:
    if m["words"]:
        return number_from_words(m["words"])
    value = float(m["digits"].replace(",", ""))
    if m["abbr"]:
        value *= _ABBREVIATED_SCALES[m["abbr"]]
    elif m["scale"]:
        value *= _SCALES[m["scale"]]
    return value


def _is_year(m: re.Match[str], after: str) -> bool:
    """A bare 1900-2100 is a year unless a plural noun follows ("2000 people")."""
    digits = m["digits"]
    if not digits or m["abbr"] or m["scale"] or m["pct"] or m["cur"] or m["curword"]:
        return False
    if not re.fullmatch(r"\d{4}", digits) or not 1900 <= int(digits) <= 2100:
        return False
    noun = _NEXT_WORDS.match(after)
    return noun is None or not (_noun_like(noun.group(1)) and _is_plural(noun.group(1)))


def _cardinal(m: re.Match[str], sentence: str) -> Quantity | None:
    before, after = sentence[: m.start()], sentence[m.end() :]
    if m["digits"] and (_NAMING_PREFIX.search(before) or _is_year(m, after)):
        return None
    # A lone "m"/"b"/"k" only means million/billion/thousand after a currency ("£3m");
    # "a 5m wall" is five metres.
    if m["abbr"] in ("m", "b", "k") and not m["cur"]:
        return None
    if (
        m["words"]
        and m["words"].casefold() == "one"
        and (_PRONOUN_ONE_BEFORE.search(before) or _PRONOUN_ONE_AFTER.match(after))
    ):
        return None
    value = _value(m)
    if value is None:
        return None
    currency = _currency(m)
    unit: str | None
    if currency:
        kind, unit = "money", currency
    elif m["pct"]:
        kind = "percent"
        unit = "percentage point" if m["pct"].casefold().startswith("percentage") else None
    else:
        kind = "count" if value.is_integer() else "number"
        unit = _counted_noun(after)
    return Quantity(value, kind, unit, m.group(), m.start(), m.end())


def _ordinal(m: re.Match[str], sentence: str) -> Quantity | None:
    if m["digits"]:
        value = float(m["digits"])
    else:
        if _FRACTION_BEFORE.search(sentence[: m.start()]):
            return None
        *tens, unit = m["words"].casefold().split("-")
        value = _ORDINALS[unit] + (_CARDINALS[tens[0]] if tens else 0.0)
    return Quantity(value, "ordinal", None, m.group(), m.start(), m.end())


def extract_quantities(sentence: str) -> list[Quantity]:
    """Quantities in ``sentence``, in order of position."""
    excluded = date_spans(sentence) + [t.span() for t in _TIME.finditer(sentence)]
    found: list[Quantity] = []
    # Ordinals first, so that "twenty-first" is not read as the cardinal "twenty".
    for pattern, build in ((_ORDINAL, _ordinal), (_QUANTITY, _cardinal)):
        for m in pattern.finditer(sentence):
            taken = excluded + [(q.start, q.end) for q in found]
            if _overlaps(m.start(), m.end(), taken):
                continue
            quantity = build(m, sentence)
            if quantity is not None:
                found.append(quantity)
    return sorted(found, key=lambda q: q.start)
