"""Sentence splitting for news text: blingfire, plus repair of its typical bad splits.

One splitter for every language: blingfire's model is language-neutral, and what differs by
language is which abbreviations and ordinal dots end no sentence (German "am 3. März", "z. B.",
"Dra. López", "3,5 Mio. Euro"). Those come from the text's language; English rules apply when
it is unknown, as before languages were told apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import blingfire

from newsdistill.nlp.language import primary_language

__all__ = ["split_sentences"]

# Abbreviations that news style puts before a name or before a number: a break right after
# one of them, followed by a name or a number respectively, is a bad split ("Lt. | Col. Smith",
# "on Nov. | 18"). Abbreviations that may end a sentence ("St.", "ft.") are left to blingfire.
_BEFORE_NAME = re.compile(
    r"mr|mrs|ms|dr|prof|gen|lt|col|sgt|capt|cpt|maj|cmdr|adm|brig|sen|rep|gov|pres|rev|fr|hon",
    re.IGNORECASE,
)
_BEFORE_NUMBER = re.compile(
    r"no|nos|vol|art|sec|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec", re.IGNORECASE
)
# German writes a day as an ordinal after a preposition or article: "am 20. November", "bis
# Freitag, den 20. November". A break after the day's number, before a month's name, is a bad
# split; the preposition keeps "won 3 to 1. November brought..." two sentences.
_DAY_ORDINAL = re.compile(
    r"(?:^|\s)(?:am|an|bis|vom|zum|den|dem|ab|seit)\s+(?:[12]\d|3[01]|0?[1-9])\.$",
    re.IGNORECASE,
)
_GERMAN_MONTH = re.compile(
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember)\b"
)
_LAST_WORD = re.compile(r"(?:^|[\s(\"'“‘])([^\W\d_]+)\.$")
# German writes ordinals with a dot ("der 3. März", "die 2. Bundesliga"): in German text a day's
# number before a month's name is never a sentence's end, with or without a preposition.
_NUMBER_DOT = re.compile(r"(?:^|\s)(?:[12]\d|3[01]|0?[1-9])\.$")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")
# A piece that starts in lower case (after opening quotes/brackets) continues the previous
# sentence: '"Are you?" she asked.' must stay together.
_CONTINUES = re.compile(r"^[\"'“”‘’(\[]*[a-z]+(?![\w-])")
_SPACE = re.compile(r"\s+")
# blingfire does not break before a title ("He left. Mr. Jones stayed." stays whole); a
# lower-case word ending a sentence, then a title and a capitalised name, is a boundary.
_BREAK_BEFORE_TITLE = re.compile(
    r"(\b[a-z]{2,}[.!?][\"'”’]?) "
    r"(?=(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt)\. [A-Z])"
)


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class _Abbreviations:
    """A language's abbreviations that end no sentence before a name, before a number, or at
    all (the last are never sentence-final in news text: "z. B.", "Mio.", "p. ej.")."""

    before_name: re.Pattern[str]
    before_number: re.Pattern[str]
    never_final: re.Pattern[str] | None = None
    ordinal_months: bool = False  # "3. März" (see _NUMBER_DOT)


_ENGLISH = _Abbreviations(_BEFORE_NAME, _BEFORE_NUMBER)
_BY_LANGUAGE = {
    "de": _Abbreviations(
        _words(r"hr|fr|frau|herr|dr|prof|dipl|ing|st|sankt|min|pfr|gen|oberst|lt"),
        _words(
            r"nr|art|abs|bd|s|kap|ziff|tel|ca|jan|feb|febr|mär|apr|jun|jul|aug|sep|sept|okt"
            r"|nov|dez"
        ),
        _words(r"z|b|d|h|u|a|o|ä|bzw|vgl|ca|mio|mrd|tsd|ggf|evtl|inkl|zzgl|usw|sog|ehem|geb"),
        ordinal_months=True,
    ),
    "fr": _Abbreviations(
        _words(r"m|mm|mme|mmes|mlle|dr|pr|me|mgr|st|ste|gén|col|cdt|lt"),
        _words(r"n|no|nos|art|vol|p|env|janv|févr|fév|avr|juil|sept|oct|nov|déc"),
        _words(r"p|ex|cf|env|av|apr|mds|md|mln|c.-à-d"),
    ),
    "es": _Abbreviations(
        _words(r"sr|sra|srta|sres|dr|dra|d|dña|lic|ing|prof|gral|gen|cnel|tte|sto|sta|ud|uds"),
        _words(r"núm|nº|art|vol|pág|p|aprox|ene|feb|mar|abr|jun|jul|ago|sept|sep|oct|nov|dic"),
        _words(r"p|ej|ee|uu|aprox|etc|mill|mll"),
    ),
}


def _abbreviations(language: str | None) -> _Abbreviations:
    return _BY_LANGUAGE.get(primary_language(language), _ENGLISH)


def _is_bad_split(before: str, after: str, rules: _Abbreviations) -> bool:
    if _CONTINUES.match(after):
        return True
    # "J. R. Smith": a lone capital initial followed by a capitalised name.
    if _INITIAL.search(before) and after[:1].isupper():
        return True
    ordinal = _NUMBER_DOT if rules.ordinal_months else _DAY_ORDINAL
    if ordinal.search(before) and _GERMAN_MONTH.match(after):
        return True
    match = _LAST_WORD.search(before)
    if match is None:
        return False
    word = match.group(1)
    if rules.never_final is not None and rules.never_final.fullmatch(word):
        return True
    if after[:1].isdigit():
        return rules.before_number.fullmatch(word) is not None
    return after[:1].isupper() and rules.before_name.fullmatch(word) is not None


def _split_paragraph(paragraph: str, rules: _Abbreviations) -> list[str]:
    sentences: list[str] = []
    pieces = _BREAK_BEFORE_TITLE.sub("\\1\n", blingfire.text_to_sentences(paragraph))
    for piece in (p.strip() for p in pieces.split("\n")):
        if not piece:
            continue
        if sentences and _is_bad_split(sentences[-1], piece, rules):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Split article text into sentences with normalised whitespace.

    Line breaks are paragraph boundaries: no sentence spans two lines. `language` (ISO 639-1)
    picks the abbreviations that end no sentence; English ones when it is None or has none.
    """
    rules = _abbreviations(language)
    sentences: list[str] = []
    for line in text.splitlines():
        paragraph = _SPACE.sub(" ", line).strip()
        if paragraph:
            sentences.extend(_split_paragraph(paragraph, rules))
    return sentences
