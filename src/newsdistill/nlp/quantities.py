"""Numbers in news sentences: counts, money, percentages and ordinals, digits or words.

Years, times of day, days of the month in dates, and numbers that are part of a name
("F-16", "No. 10", "Flight 370") are not quantities; the rules are conservative, so a number
that might be one of those is left out rather than misread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsdistill.nlp.dates import date_spans
from newsdistill.nlp.language import primary_language
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


def extract_quantities(sentence: str, language: str | None = None) -> list[Quantity]:
    """Quantities in ``sentence``, in order of position.

    `language` (ISO 639-1) picks the number words and separators: German, French and Spanish
    have their own (see _Numbers); None and every other language are read as English.
    """
    reader = _READERS.get(primary_language(language))
    time = _TIME if reader is None else reader.time
    excluded = date_spans(sentence, language) + [t.span() for t in time.finditer(sentence)]
    rules: list[tuple[re.Pattern[str], Callable[[re.Match[str], str], Quantity | None]]]
    if reader is None:
        rules = [(_ORDINAL, _ordinal), (_QUANTITY, _cardinal)]
    else:
        rules = [
            (reader.ordinal, lambda m, s: _foreign_ordinal(m, s, reader)),
            (reader.quantity, lambda m, s: _foreign_cardinal(m, s, reader)),
        ]
    found: list[Quantity] = []
    # Ordinals first, so that "twenty-first" is not read as the cardinal "twenty".
    for pattern, build in rules:
        for m in pattern.finditer(sentence):
            taken = excluded + [(q.start, q.end) for q in found]
            if _overlaps(m.start(), m.end(), taken):
                continue
            quantity = build(m, sentence)
            if quantity is not None:
                found.append(quantity)
    return sorted(found, key=lambda q: q.start)


# --- German, French and Spanish --------------------------------------------------------------
# The same kinds of quantity, read with each language's number words, decimal comma and
# thousands separator ("3,5" is three and a half, "3.500" / "3 500" three thousand five
# hundred), percent and currency words, and the noun a number counts. English keeps the
# rules above, which were tuned on English news; any other language is read as English.


@dataclass(frozen=True)
class _Numbers:
    language: str
    units: dict[str, float]  # number words added up ("vingt et un", "treinta y dos")
    hundreds: frozenset[str]  # words multiplying what comes before by 100
    scales: dict[str, float]  # thousand and above; written before the counted noun
    articles: str  # "a"/"one" words (among `units`) that count only before a scale
    links: str  # words between number words ("und" is inside German words)
    thousands: str  # the thousands separators' class
    percent: str
    points: str  # percentage points
    currencies: dict[str, str]  # a currency word (casefolded, singular) → code
    currency_words: str
    naming: str  # words before a number that names rather than counts
    time: str
    ordinal: str
    modifiers: frozenset[str]  # words between a number and its noun ("drei weitere Tote")
    not_nouns: frozenset[str]


def _table(words: str, start: int = 0, step: int = 1) -> dict[str, float]:
    return {w: float(start + step * i) for i, w in enumerate(words.split()) if w != "-"}


_GERMAN = _Numbers(
    language="de",
    units=_table(
        "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn"
        " vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn"
    )
    | {"ein": 1.0, "eine": 1.0, "einen": 1.0, "einem": 1.0, "einer": 1.0, "zwo": 2.0}
    | _table("zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig", 20, 10)
    | {"dreissig": 30.0},
    hundreds=frozenset({"hundert"}),
    scales={
        "tausend": 1e3,
        "million": 1e6,
        "millionen": 1e6,
        "mio": 1e6,
        "milliarde": 1e9,
        "milliarden": 1e9,
        "mrd": 1e9,
        "billion": 1e12,
        "billionen": 1e12,
    },
    articles="ein|eine|einer|einen|einem",
    links="",
    thousands=r"\.",
    percent=r"%|Prozent\b",
    points=r"Prozentpunkte?n?\b",
    currencies={
        "euro": "EUR",
        "dollar": "USD",
        "us-dollar": "USD",
        "pfund": "GBP",
        "franken": "CHF",
        "€": "EUR",
        "$": "USD",
    },
    currency_words=r"Euro|US-Dollar|Dollar|Pfund|Franken|€|\$",
    naming=r"(?:\b(?:Nr|Art|Abs)\.|#|\b(?:Nummer|Artikel|Paragraf|Flug|Linie|Route|Zimmer|Gleis"
    r"|Seite|Kapitel|Bundesstraße|Autobahn|Tor))\s*$|[A-Za-z]-$",
    time=r"\b\d{1,2}(?:[.:]\d{2})?\s*Uhr\b|\b\d{1,2}:\d{2}\b",
    ordinal=r"(?<![\w.,])(?P<digits>\d+)\.(?=\s+[^\W\d_])",
    modifiers=frozenset("weitere weiteren andere anderen neue neuen zusätzliche".split()),
    not_nouns=frozenset("Uhr Prozent Euro Dollar Mal".split()),
)
_FRENCH = _Numbers(
    language="fr",
    units=_table(
        "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize"
        " quatorze quinze seize"
    )
    | {"une": 1.0}
    | _table("vingt trente quarante cinquante soixante", 20, 10)
    | {"vingts": 20.0},
    hundreds=frozenset({"cent", "cents"}),
    scales={"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9},
    articles="un|une",
    links=r"et",
    thousands=r"[ \u00a0\u202f.]",
    percent=r"%|pour\s*cent\b",
    points=r"points?\s+de\s+pourcentage\b",
    currencies={
        "euro": "EUR",
        "dollar": "USD",
        "livre": "GBP",
        "franc": "CHF",
        "€": "EUR",
        "$": "USD",
    },
    currency_words=r"(?:d['’]|de\s+)?(?:euros?|dollars?|livres\s+sterling|francs\s+suisses)\b"
    r"|€|\$",
    naming=r"(?:\b(?:n°|no\.?|art\.)|#|\b(?:numéro|article|vol|ligne|route|autoroute|chambre"
    r"|porte|quai|page|chapitre))\s*$|[A-Za-z]-$",
    time=r"\b\d{1,2}\s*h\s*\d{0,2}\b|\b\d{1,2}:\d{2}\b",
    ordinal=r"(?<![\w.,])(?P<digits>\d+)(?:er|re|e|ème|ième)\b",
    modifiers=frozenset("autres nouveaux nouvelles nouvel premiers derniers".split()),
    not_nouns=frozenset(
        "de des d du la le les l et ou à au aux en dans par pour sur sous avec sans selon"
        " qui que dont plus moins fois".split()
    ),
)
_SPANISH = _Numbers(
    language="es",
    units=_table(
        "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece"
        " catorce quince dieciséis diecisiete dieciocho diecinueve veinte veintiuno"
        " veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete"
        " veintiocho veintinueve"
    )
    | {"un": 1.0, "una": 1.0, "veintiún": 21.0}
    | _table("treinta cuarenta cincuenta sesenta setenta ochenta noventa", 30, 10)
    | {"cien": 100.0}
    | _table(
        "- doscientos trescientos cuatrocientos quinientos seiscientos setecientos"
        " ochocientos novecientos",
        100,
        100,
    )
    | _table(
        "- doscientas trescientas cuatrocientas quinientas seiscientas setecientas"
        " ochocientas novecientas",
        100,
        100,
    ),
    hundreds=frozenset({"ciento"}),
    scales={"mil": 1e3, "millón": 1e6, "millones": 1e6, "billón": 1e12, "billones": 1e12},
    articles="un|una",
    links=r"y",
    thousands=r"\.",
    percent=r"%|por\s+ciento\b",
    points=r"puntos?\s+porcentuales?\b",
    currencies={
        "euro": "EUR",
        "dólar": "USD",
        "dólare": "USD",
        "libra": "GBP",
        "€": "EUR",
        "$": "USD",
    },
    currency_words=r"(?:de\s+)?(?:euros?|dólar(?:es)?|libras\s+esterlinas)\b|€|\$",
    naming=r"(?:\b(?:núm\.|nº|n\.º|art\.)|#|\b(?:número|artículo|vuelo|línea|ruta|autopista"
    r"|habitación|puerta|andén|página|capítulo))\s*$|[A-Za-z]-$",
    time=r"\b(?:las?\s+)\d{1,2}(?:[:.]\d{2})?\b|\b\d{1,2}(?::\d{2})?\s*(?:horas|h)\b"
    r"|\b\d{1,2}:\d{2}\b",
    ordinal=r"(?<![\w.,])(?P<digits>\d+)\.?[ºª°]",
    modifiers=frozenset("otros otras nuevos nuevas más".split()),
    not_nouns=frozenset(
        "de del la el los las lo y o a al en por para con sin según que más menos años año"
        " veces".split()
    ),
)
_OTHER_LANGUAGES = {n.language: n for n in (_GERMAN, _FRENCH, _SPANISH)}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@dataclass(frozen=True)
class _Reader:
    """A language's number patterns, compiled once."""

    numbers: _Numbers
    quantity: re.Pattern[str]
    ordinal: re.Pattern[str]
    time: re.Pattern[str]
    naming: re.Pattern[str]


def _reader(n: _Numbers) -> _Reader:
    scale = rf"(?i:{_alternatives(n.scales)})\.?"
    # "tausend", "mille", "mil" join number words; millions and above follow them.
    morpheme = _alternatives([*n.units, *n.hundreds, *(w for w, f in n.scales.items() if f < 1e6)])
    # German writes a number in one word ("dreiundzwanzig", "zweihundert"): any run of its
    # morphemes, checked by _foreign_words; the others join words with spaces and hyphens.
    word = f"(?:{morpheme}|und)+" if n.language == "de" else f"(?:{morpheme})"
    link = rf"(?:\s+(?:{n.links})\s+|[\s-]+)" if n.links else r"[\s-]+"
    # An article ("eine", "un") is a number word too; alone it is rejected in _foreign_cardinal.
    words = rf"{word}(?:{link}{word})*(?:\s+{scale})?"
    digits = rf"\d{{1,3}}(?:{n.thousands}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
    quantity = re.compile(
        r"(?<![\w.,$£€¥₹])"
        r"(?:(?P<cur>US\$|[$£€¥₹])\s?)?"
        rf"(?:(?P<digits>{digits})(?:\s*(?P<scale>{scale})(?!\w))?|(?P<words>(?i:{words})))"
        r"(?!\w)"
        rf"(?:\s*(?P<pct>(?i:{n.points})|{n.percent})|\s*(?P<curword>(?i:{n.currency_words})))?"
    )
    return _Reader(
        n,
        quantity,
        re.compile(n.ordinal),
        re.compile(n.time, re.IGNORECASE),
        re.compile(n.naming, re.IGNORECASE),
    )


_READERS = {code: _reader(n) for code, n in _OTHER_LANGUAGES.items()}


def _german_word(word: str, n: _Numbers) -> float | None:
    """ "dreiundzwanzig" → 23, "zweihundertfünfzig" → 250, "zweitausend" → 2000."""
    if word in n.units:
        return n.units[word]
    for scale, factor in (("tausend", 1e3), ("hundert", 1e2)):
        if scale in word:
            left, right = word.split(scale, 1)
            lv = _german_word(left, n) if left else 1.0
            rv = _german_word(right, n) if right else 0.0
            return None if lv is None or rv is None else lv * factor + rv
    if "und" in word:
        units, tens = word.split("und", 1)
        uv, tv = _german_word(units, n), _german_word(tens, n)
        return None if uv is None or tv is None or tv < 20 else uv + tv
    return None


def _foreign_words(text: str, n: _Numbers) -> float | None:
    """The value of a number in words of language `n`, or None if `text` is not one."""
    total = current = 0.0
    for token in re.split(r"[\s-]+", text.casefold()):
        token = token.rstrip(".")
        if token in n.links.split("|"):
            continue
        if token in n.hundreds:
            current = (current or 1.0) * 100
        elif token in n.scales:
            factor = n.scales[token]
            if current == 0 and 0 < total < factor:  # "mil millones": a thousand millions
                total *= factor
            else:
                total += (current or 1.0) * factor
            current = 0.0
        elif token in ("vingt", "vingts") and current == 4:  # "quatre-vingt-dix"
            current = 80.0
        elif n.language == "de" and (value := _german_word(token, n)) is not None:
            current += value
        elif token in n.units:
            current += n.units[token]
        else:
            return None
    value = total + current
    return value or None


def _foreign_singular(word: str, language: str) -> str:
    """A noun, singular where the ending says so; German nouns are kept as written (their
    plurals have no one ending), only case-folded."""
    word = word.casefold()
    if language == "es" and len(word) > 4 and word.endswith("es") and word[-3] in "rlndzj":
        return word[:-2]
    if language in ("fr", "es") and len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def _foreign_noun(after: str, n: _Numbers) -> str | None:
    """The noun a number counts: German capitalises it, French and Spanish do not; one
    modifier ("weitere", "autres", "otros") may come between."""
    words = re.findall(r"[^\W\d_][\w'’-]*", after[:60])
    gap = re.match(r"^\s+", after)
    if not words or gap is None or not after[gap.end() :].startswith(words[0]):
        return None
    for word in words[:2]:
        if word.casefold() in n.modifiers:
            continue
        if n.language == "de":
            capital = word[:1].isupper() and word not in n.not_nouns
            return _foreign_singular(word, "de") if capital else None
        if word.islower() and word not in n.not_nouns:
            return _foreign_singular(word, n.language)
        return None
    return None


def _foreign_cardinal(m: re.Match[str], sentence: str, r: _Reader) -> Quantity | None:
    n = r.numbers
    before, after = sentence[: m.start()], sentence[m.end() :]
    if m["digits"]:
        # "45-jährige": an age, glued to its number ("45 ans", "45 años" have the unit "an").
        if r.naming.search(before) or re.match(r"-[Jj]ährig", after):
            return None
        bare = m["digits"]
        value = float(re.sub(n.thousands, "", bare).replace(",", "."))
        if m["scale"]:
            value *= n.scales[m["scale"].rstrip(".").casefold()]
        plain = not (m["scale"] or m["pct"] or m["cur"] or m["curword"])
        year = plain and re.fullmatch(r"\d{4}", bare) and 1900 <= value <= 2100
        if year and _foreign_noun(after, n) is None:
            return None
    else:
        words = m["words"].casefold().split()
        if len(words) == 1 and words[0] in n.articles.split("|"):
            return None  # "un", "eine": an article, unless a scale follows
        found = _foreign_words(m["words"], n)
        if found is None:
            return None
        value = found
    currency = None
    if m["cur"]:
        currency = _CURRENCY_PREFIXES.get(m["cur"].strip().casefold())
    elif m["curword"]:
        word = re.sub(r"^(?:d['’]|de\s+)", "", m["curword"].casefold()).split()[0]
        currency = n.currencies.get(word, n.currencies.get(word.rstrip("s")))
    unit: str | None
    if currency:
        kind, unit = "money", currency
    elif m["pct"]:
        kind = "percent"
        unit = "percentage point" if re.fullmatch(n.points, m["pct"], re.I) else None
    else:
        kind = "count" if value.is_integer() else "number"
        unit = _foreign_noun(after, n)
    return Quantity(value, kind, unit, m.group(), m.start(), m.end())


def _foreign_ordinal(m: re.Match[str], sentence: str, r: _Reader) -> Quantity | None:
    return Quantity(float(m["digits"]), "ordinal", None, m.group(), m.start(), m.end())
