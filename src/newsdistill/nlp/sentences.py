"""Sentence splitting for news text: blingfire, plus repair of its typical bad splits."""

from __future__ import annotations

import re

import blingfire

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
_LAST_WORD = re.compile(r"(?:^|[\s(\"'“‘])([A-Za-z]+)\.$")
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


def _is_bad_split(before: str, after: str) -> bool:
    if _CONTINUES.match(after):
        return True
    # "J. R. Smith": a lone capital initial followed by a capitalised name.
    if _INITIAL.search(before) and after[:1].isupper():
        return True
    if _DAY_ORDINAL.search(before) and _GERMAN_MONTH.match(after):
        return True
    match = _LAST_WORD.search(before)
    if match is None:
        return False
    if after[:1].isdigit():
        return _BEFORE_NUMBER.fullmatch(match.group(1)) is not None
    return after[:1].isupper() and _BEFORE_NAME.fullmatch(match.group(1)) is not None


def _split_paragraph(paragraph: str) -> list[str]:
    sentences: list[str] = []
    pieces = _BREAK_BEFORE_TITLE.sub("\\1\n", blingfire.text_to_sentences(paragraph))
    for piece in (p.strip() for p in pieces.split("\n")):
        if not piece:
            continue
        if sentences and _is_bad_split(sentences[-1], piece):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def split_sentences(text: str) -> list[str]:
    """Split article text into sentences with normalised whitespace.

    Line breaks are paragraph boundaries: no sentence spans two lines.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        paragraph = _SPACE.sub(" ", line).strip()
        if paragraph:
            sentences.extend(_split_paragraph(paragraph))
    return sentences
