"""Comparable facts: the values each outlet gives for the same fact, and where they differ.

A fact is keyed by what is counted (people killed, people injured, a fine in euros) or by which
scheduled event a date belongs to (the hearing, the vote). Code decides these; no model does.

Keys and values are language-neutral: a German "drei Bergleute kamen ums Leben" and an English
"four miners were killed" are both the fact "count:killed", with values "3" and "4". Outcome
words, people nouns, event and money nouns are listed for English, German, French and Spanish
(each sentence is read in its article's language), foreign nouns mapped to the English key;
what a disagreement is called, and how it is told, comes from the digest's Wording.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from newsdistill.models import Article, Citation, Disagreement, DisagreementValue
from newsdistill.nlp.dates import extract_dates
from newsdistill.nlp.embed import Embedder
from newsdistill.nlp.quantities import Quantity, extract_quantities
from newsdistill.nlp.text import clean_sentence
from newsdistill.wording import ENGLISH, Wording

# What a count of people is a count of, by the words around it (English, German, French,
# Spanish). Which label a key gets is the Wording's (see Wording.fact_label).
_OUTCOMES: dict[str, re.Pattern[str]] = {
    "killed": re.compile(
        r"\b(kill\w*|died|dead|deaths?|death toll|lost their lives|fatal\w*"
        r"|getötet\w*|tot|Tote[nr]?|ums Leben|starben|gestorben|Todesopfer|Menschenleben|tödlich\w*"
        r"|tué[es]{0,2}|morts?|mortes?|décès|décédé[es]{0,2}|ont péri|perdu la vie"
        r"|muert[oa]s?|murieron|fallecid[oa]s?|fallecieron|perdieron la vida|víctimas mortales)\b",
        re.I,
    ),
    "injured": re.compile(
        r"\b(injur\w*|wounded|hurt|hospitali[sz]ed|verletzt\w*|Verletzte[nr]?|verwundet\w*"
        r"|blessé[es]{0,2}|herid[oa]s?|hospitalizad[oa]s?)\b",
        re.I,
    ),
    "missing": re.compile(
        r"\b(missing|vermisst\w*|Vermisste[nr]?|disparu[es]{0,2}|desaparecid[oa]s?)\b", re.I
    ),
    "arrested": re.compile(
        r"\b(arrest\w*|detained|in custody|festgenommen\w*|verhaftet\w*|Festnahmen?"
        r"|arrêté[es]{0,2}|interpellé[es]{0,2}|garde à vue|detenid[oa]s?|arrestad[oa]s?)\b",
        re.I,
    ),
    "evacuated": re.compile(
        r"\b(evacuat\w*|displaced|homeless|evakuiert\w*|obdachlos\w*|évacué[es]{0,2}"
        r"|sans-abri|evacuad[oa]s?|desalojad[oa]s?)\b",
        re.I,
    ),
}
_PEOPLE = re.compile(
    r"^(people|persons?|workers?|soldiers?|troops?|residents?|passengers?|children|child|"
    r"students?|employees?|staff|firefighters?|officers?|civilians?|miners?|patients?|"
    r"victims?|men|man|women|woman|villagers?|crew|members?|pupils?|migrants?|"
    r"casualties|tourists?|climbers?|fishermen|visitors?|suspects?|protesters?|others|"
    # German (as written, case-folded), French and Spanish (singular or plural)
    r"menschen|personen|arbeiter(?:innen)?|bergleute|bergmänner|soldaten|einwohner|bewohner|"
    r"kinder|passagiere|fahrgäste|mitarbeiter|feuerwehrleute|polizisten|opfer|zivilisten|"
    r"touristen|schüler|demonstranten|verdächtige|migranten|besucher|männer|frauen|"
    r"personnes?|ouvriers?|mineurs?|soldats?|habitants?|passagers?|enfants?|employés?|"
    r"pompiers?|policiers?|civils?|victimes?|touristes?|élèves?|manifestants?|suspects?|"
    r"hommes?|femmes?|personas?|trabajador(?:es)?|mineros?|soldados?|habitantes?|vecinos?|"
    r"pasajeros?|niños?|empleados?|bomberos?|policías?|civil(?:es)?|víctimas?|turistas?|"
    r"alumnos?|manifestantes?|sospechosos?|hombres?|mujer(?:es)?)$",
    re.I,
)
# Words for the same kind of event, so that outlets' wordings compare as one fact; German,
# French and Spanish event nouns map to the English one.
_SYNONYMS = {
    "walkout": "strike",
    "stoppage": "strike",
    "ballot": "vote",
    "talks": "meeting",
    **dict.fromkeys(["anhörung", "audience", "audiencia"], "hearing"),
    **dict.fromkeys(["abstimmung", "scrutin", "votación"], "vote"),
    **dict.fromkeys(["prozess", "procès", "juicio"], "trial"),
    **dict.fromkeys(["wahl", "élection", "elecciones"], "election"),
    **dict.fromkeys(["sitzung", "treffen", "réunion", "reunión"], "meeting"),
    **dict.fromkeys(["gipfel", "sommet", "cumbre"], "summit"),
    **dict.fromkeys(["streik", "grève", "huelga"], "strike"),
    **dict.fromkeys(["frist", "échéance", "plazo"], "deadline"),
    **dict.fromkeys(["beerdigung", "obsèques", "funérailles", "funeral"], "funeral"),
    **dict.fromkeys(["untersuchung", "enquête", "investigación"], "inquiry"),
    **dict.fromkeys(["wiedereröffnung", "réouverture", "reapertura"], "reopening"),
    **dict.fromkeys(["eröffnung", "ouverture", "apertura"], "opening"),
    **dict.fromkeys(["schließung", "fermeture", "cierre"], "closure"),
    **dict.fromkeys(["urteil", "veredicto"], "verdict"),
    **dict.fromkeys(["entscheidung", "décision", "decisión"], "decision"),
    **dict.fromkeys(["besuch", "visite", "visita"], "visit"),
    **dict.fromkeys(["kundgebung", "manifestation", "manifestación"], "protest"),
}
# Between an outcome word and the number it governs: "killing three", "injured at least 27".
_LINK = re.compile(
    r"\s+(?:at least |about |some |nearly |almost |more than |over |mindestens |etwa |rund "
    r"|fast |mehr als |über |au moins |environ |près de |plus de |al menos |unos |unas "
    r"|casi |más de )?"
)
_DIGITS = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|zwei|drei|vier|fünf|sechs"
    r"|sieben|acht|neun|zehn|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|dos|tres|cuatro"
    r"|cinco|seis|siete|ocho|nueve|diez)\b",
    re.I,
)
# "A pensioner, 81, died": a number set off by commas or brackets after a noun is an age.
_AGE = re.compile(r"\w(?:,|\s\()\s?$")
# A count in a sentence about an earlier year is history ("the 1958 quake killed 63").
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Scheduled or dated events whose date outlets may state differently.
_EVENT_NOUNS = re.compile(
    r"\b(hearing|vote|trial|inquest|election|meeting|summit|strike|launch|deadline|funeral|"
    r"ceremony|referendum|sentencing|debate|session|talks|inquiry|reopening|opening|closure|"
    r"walkout|stoppage|shutdown|protest|rally|visit|flyby|decision|ballot|verdict|auction|"
    r"match|final|release|announcement|"
    rf"{'|'.join(k for k in _SYNONYMS if k.isalpha())})\b",
    re.I,
)
_MONEY_NOUNS = re.compile(
    r"\b(fine|damages|budget|package|loan|deal|cost|bill|compensation|funding|investment|"
    r"price|bail|reward|payout|penalty|bond|grant|contract|settlement|aid|"
    r"Strafe|Geldstrafe|Schaden|Schäden|Haushalt|Kredit|Kosten|Entschädigung|Hilfe|Preis|"
    r"amende|dommages|budget|prêt|coût|indemnisation|aide|prix|"
    r"multa|daños|presupuesto|préstamo|coste|costo|indemnización|ayuda|precio)\b",
    re.I,
)
# Money nouns of German, French and Spanish, as the English noun of the key.
_MONEY_SYNONYMS = {
    **dict.fromkeys(["strafe", "geldstrafe", "amende", "multa"], "fine"),
    **dict.fromkeys(["schaden", "schäden", "dommages", "daños"], "damages"),
    **dict.fromkeys(["haushalt", "presupuesto"], "budget"),
    **dict.fromkeys(["kredit", "prêt", "préstamo"], "loan"),
    **dict.fromkeys(["kosten", "coût", "coste", "costo"], "cost"),
    **dict.fromkeys(["entschädigung", "indemnisation", "indemnización"], "compensation"),
    **dict.fromkeys(["hilfe", "aide", "ayuda"], "aid"),
    **dict.fromkeys(["preis", "prix", "precio"], "price"),
}


def _count_key(sentence: str, q: Quantity) -> str | None:
    """What a count of people counts, from the outcome word right next to it.

    "three workers were killed", "14 people injured" (the word follows), or "killing three",
    "injured 27" (the word directly precedes); "Lena Haldor, 34, …" (an age) has neither.
    """
    outcome_word = q.unit is not None and any(p.fullmatch(q.unit) for p in _OUTCOMES.values())
    if q.unit is not None and not _PEOPLE.match(q.unit) and not outcome_word:
        return None  # "3 injured" reads "injured" as the unit: that is still a count of people
    before = sentence[: q.start]
    if _AGE.search(before) and sentence[q.end : q.end + 1] in (",", ")"):
        return None
    after = sentence[q.end : q.end + 45]
    found: tuple[int, str] | None = None
    for key, pattern in _OUTCOMES.items():
        following = pattern.search(after)
        if following and not _DIGITS.search(after[: following.start()]):
            distance = following.start()
        elif any(_LINK.fullmatch(before[m.end() :]) for m in pattern.finditer(before)):
            distance = 0
        else:
            continue
        if found is None or distance < found[0]:
            found = (distance, f"count:{key}")
    return None if found is None else found[1]


def _nearest(
    pattern: re.Pattern[str], sentence: str, start: int, end: int, limit: int = 60
) -> tuple[int, str] | None:
    """The match of `pattern` closest to sentence[start:end], with its distance."""
    best: tuple[int, str] | None = None
    for m in pattern.finditer(sentence):
        distance = max(m.start() - end, start - m.end(), 0)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, m.group(1).lower())
    return best


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


SAME_EVENT = 0.25  # embedding cosine above which two dated sentences may speak of one event
UNKEYED = "?"  # a date whose event the sentence does not name
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class FactMention:
    fact: str
    label: str
    kind: str
    value: str
    display: str


@dataclass(frozen=True)
class FactValue(FactMention):
    """A fact as one outlet's sentence states it."""

    article_id: int
    sentence: int
    outlet: str
    published: dt.datetime
    text: str
    language: str | None = None  # the article's


def facts_in(
    sentence: str, published: dt.datetime | None, language: str | None = None
) -> list[FactMention]:
    """The comparable facts a sentence states; dates resolve against `published`. The
    sentence is read in `language` (English when None); labels are English."""
    sentence = clean_sentence(sentence)
    out: list[FactMention] = []
    history = published is not None and any(
        int(y) < published.year for y in _YEAR.findall(sentence)
    )
    for q in extract_quantities(sentence, language):
        if q.kind == "count" and not history:
            key = _count_key(sentence, q)
            if key:
                label = ENGLISH.fact_label(key)
                out.append(FactMention(key, label, "number", _format_number(q.value), q.text))
        elif q.kind == "money" and q.unit:
            near = _nearest(_MONEY_NOUNS, sentence, q.start, q.end)
            if near:
                key = f"money:{_MONEY_SYNONYMS.get(near[1], near[1])}"
                value = f"{q.unit} {_format_number(q.value)}"
                out.append(FactMention(key, ENGLISH.fact_label(key), "number", value, q.text))
    nearest: dict[str, tuple[int, FactMention]] = {}
    for d in extract_dates(sentence, published, language):
        # Only explicit calendar days ("Monday 23 November"): "tomorrow" or a bare weekday
        # depends on when the outlet wrote, which is no disagreement.
        if d.value is None or d.granularity != "day" or not _DIGIT.search(d.text):
            continue
        event = _nearest(_EVENT_NOUNS, sentence, d.start, d.end, limit=len(sentence))
        event_noun = _SYNONYMS.get(event[1], event[1]) if event else None
        key = f"date:{event_noun or UNKEYED}"
        mention = FactMention(
            key,
            ENGLISH.fact_label(key) if event_noun else "",
            "date",
            d.value.isoformat(),
            d.text,
        )
        # "due to begin on 23 November and end on 24 November": the date nearest the event
        # word is the event's date.
        distance = event[0] if event else len(sentence)
        if mention.fact not in nearest or distance < nearest[mention.fact][0]:
            nearest[mention.fact] = (distance, mention)
    out.extend(m for _, m in nearest.values())
    return out


def sentence_facts(article: Article, index: int) -> list[FactValue]:
    """The comparable facts stated in one sentence of an article, attributed to its outlet."""
    return [
        FactValue(
            m.fact,
            m.label,
            m.kind,
            m.value,
            m.display,
            article_id=article.id or 0,
            sentence=index,
            outlet=article.outlet,
            published=article.published,
            text=article.sentences[index],
            language=article.language,
        )
        for m in facts_in(article.sentences[index], article.published, article.language)
    ]


def find_disagreements(
    facts: list[FactValue], embedder: Embedder, words: Wording = ENGLISH
) -> list[Disagreement]:
    """Facts for which outlets give different values; each value keeps its sources.

    One outlet repeating a figure in several sentences counts once; an outlet that gives two
    values for the same fact itself (e.g. "three dead, one of them a firefighter, four hurt")
    is too ambiguous to set against others, so only each outlet's most frequent value counts.
    Facts may come from sources in any language; labels and values are worded in `words`'s
    (a value as its sources in that language word it, else as `words` writes it).
    """
    by_fact: dict[str, list[FactValue]] = defaultdict(list)
    for f in _resolve_unkeyed(facts, embedder):
        by_fact[f.fact].append(f)
    out: list[Disagreement] = []
    for key in sorted(by_fact):
        values = by_fact[key]
        per_outlet: dict[str, dict[str, list[FactValue]]] = defaultdict(lambda: defaultdict(list))
        for f in values:
            per_outlet[f.outlet][f.value].append(f)
        reach = {v: sum(v in ov for ov in per_outlet.values()) for v in {f.value for f in values}}
        chosen: dict[str, list[FactValue]] = defaultdict(list)
        for outlet_values in per_outlet.values():
            # An outlet's own most repeated value; on a tie, the one more outlets give.
            value, items = max(
                outlet_values.items(), key=lambda kv: (len(kv[1]), reach[kv[0]], kv[0])
            )
            chosen[value].extend(items)
        if len(chosen) < 2:
            continue
        ordered = sorted(chosen.items(), key=lambda kv: (-len({f.outlet for f in kv[1]}), kv[0]))
        out.append(
            Disagreement(
                fact=words.fact_label(key),
                kind="date" if values[0].kind == "date" else "number",
                values=[
                    DisagreementValue(
                        value=value,
                        display=_display(items, words),
                        outlets=sorted({f.outlet for f in items}),
                        citations=[
                            Citation(article_id=f.article_id, sentence=f.sentence, outlet=f.outlet)
                            for f in items
                        ],
                    )
                    for value, items in ordered
                ],
            )
        )
    return out


def _display(items: list[FactValue], words: Wording) -> str:
    """How a value reads in a digest in `words`'s language."""
    own = [f for f in items if f.language in (None, words.language)]
    return _common_display(own) if own else words.value(items[0].kind, items[0].value)


def _common_display(items: list[FactValue]) -> str:
    """The wording most sources use; number words in lower case ("Three", "FOUR" → "four")."""
    counts: dict[str, int] = defaultdict(int)
    for f in items:
        display = f.display.lower() if f.kind == "number" and f.display.isalpha() else f.display
        counts[display] += 1
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def disagreement_sentence(d: Disagreement, words: Wording = ENGLISH) -> str:
    """The in-place sentence showing every side, in `words`'s language: 'Sources differ on
    the number of people killed: four of the five outlets report three, The Daily Flash
    four.' Outlets are named up to two a side; more are counted (the citation lists them
    all)."""
    total = len({o for v in d.values for o in v.outlets})
    return words.differ_note(d.fact, [(v.outlets, v.display) for v in d.values], total)


def _resolve_unkeyed(facts: list[FactValue], embedder: Embedder) -> list[FactValue]:
    """A date whose sentence names no event takes the event of the most similar dated sentence
    from another outlet ("down tools from 25 November" ~ "the strike begins on 23 November");
    with no such sentence it is left out."""
    keyed = [f for f in facts if f.kind == "date" and not f.fact.endswith(UNKEYED)]
    unkeyed = [f for f in facts if f.kind == "date" and f.fact.endswith(UNKEYED)]
    out = [f for f in facts if not (f.kind == "date" and f.fact.endswith(UNKEYED))]
    if not keyed or not unkeyed:
        return out
    # Meaning, not shared words: outlets paraphrase ("down tools" for "strike").
    vectors = embedder.embed([f.text for f in unkeyed] + [f.text for f in keyed])
    sims = vectors @ vectors.T
    for i, f in enumerate(unkeyed):
        scored = [
            (float(sims[i, len(unkeyed) + j]), g)
            for j, g in enumerate(keyed)
            if g.outlet != f.outlet
        ]
        if scored:
            score, g = max(scored, key=lambda sg: sg[0])
            if score >= SAME_EVENT:
                out.append(replace(f, fact=g.fact, label=g.label))
    return out


def disputed_outlets(
    text: str,
    disagreements: list[Disagreement],
    published: dt.datetime | None,
    language: str | None = None,
) -> list[str] | None:
    """The outlets behind the value, if `text` (in `language`) states one side of a
    disagreement; else None."""
    mentions = facts_in(text, published, language)
    for d in disagreements:
        for m in mentions:
            if m.kind != d.kind:
                continue
            for v in d.values:
                if v.value == m.value:
                    return v.outlets
    return None
