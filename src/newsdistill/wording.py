"""The words a digest adds around its sources' sentences, per language: section headings,
the page's own headings, attributions, the dateline and the disclaimer.

A digest is written in one language (see distill.assemble.digest_language), so everything
it adds must be in that language too. English, German, French and Spanish are written out;
any other language gets English furniture around its own sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from newsdistill.models import SectionKind, VerificationSummary
from newsdistill.nlp.language import primary_language


def language_name(code: str, in_language: str = "en") -> str:
    """A language's name for readers ("de" → "German"), from Unicode CLDR via Babel; the code
    itself when CLDR does not know it."""
    try:
        name = Locale.parse(code).get_display_name(in_language)
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


@dataclass(frozen=True)
class Wording:
    language: str
    headings: dict[SectionKind, str]
    in_short: str
    key_developments: str
    path_ahead: str
    sources: str
    table: tuple[str, str, str]  # event · date · details
    and_: str
    numbers: tuple[str, ...]  # 0..10 spelled out
    all_outlets: str  # "{n}": how many
    some_outlets: str  # "{k} of {n}"
    according_to: str  # "{text}" (without its full stop) and "{who}"
    according_to_first: str  # when the sentence does not end in a full stop
    dateline: str  # "{date}", "{reports}", "{outlets}"
    report: tuple[str, str]  # singular, plural
    outlet: tuple[str, str]
    written_in: str  # "{name}": a source's language, as its name in this language
    verified_line: str  # "{verified}", "{sentences}", "{sources}" (with its noun)
    source: tuple[str, str]
    disclaimer: str
    # "Sources differ" notes (distill.facts): "{fact}", "{first}", "{verb}", "{value}",
    # "{others}"; the verb after one outlet or several; labels of facts by key
    # ("count:killed", "date:hearing"), else the money or date label ("{noun}": the key's).
    differ: str
    differ_verb: tuple[str, str]
    fact_labels: dict[str, str]
    money_label: str
    date_label: str

    def spelled(self, n: int) -> str:
        return self.numbers[n] if 0 <= n < len(self.numbers) else str(n)

    def join(self, names: list[str]) -> str:
        """'A', 'A and B', 'A, B and C' in this language."""
        if len(names) <= 2:
            return f" {self.and_} ".join(names)
        return f"{', '.join(names[:-1])} {self.and_} {names[-1]}"

    def outlets_phrase(self, outlets: list[str], total: int) -> str:
        """Who says it: one or two outlets by name, more as a share of all."""
        if len(outlets) <= 2:
            return self.join(outlets)
        if len(outlets) >= total:
            return self.all_outlets.format(n=self.spelled(total))
        return self.some_outlets.format(k=self.spelled(len(outlets)), n=self.spelled(total))

    def attributed(self, text: str, who: str) -> str:
        text = text.rstrip()
        if text.endswith(".") and not text.endswith(".."):
            return self.according_to.format(text=text[:-1], who=who)
        return self.according_to_first.format(text=text, who=who)

    def verified(self, summary: VerificationSummary) -> str:
        """E.g. "25 of 25 sentences verified against 4 sources"."""
        return self.verified_line.format(
            verified=summary.verified,
            sentences=summary.sentences,
            sources=f"{summary.sources} {self.source[summary.sources != 1]}",
        )

    def in_language(self, code: str) -> str:
        """A source's language: "in German", "auf Deutsch", "en allemand"."""
        return self.written_in.format(name=language_name(code, self.language))

    def date(self, day: dt.date) -> str:
        """A date in a sentence: "7 February 2024", "7. Februar 2024", "7 février 2024"."""
        if self.language == "en":
            return f"{day.day} {day:%B %Y}"  # the C locale's English month names
        return format_date(day, format="long", locale=self.language)

    def fact_label(self, key: str) -> str:
        """What a fact is, for a reader: "count:killed" → "the number of people killed"."""
        if key in self.fact_labels:
            return self.fact_labels[key]
        kind, _, noun = key.partition(":")
        return (self.money_label if kind == "money" else self.date_label).format(noun=noun)

    def value(self, kind: str, value: str) -> str:
        """A fact's normalised value ("3", "EUR 2500000", "2026-03-03") in this language, for
        a value that no source in this language words."""
        if kind == "date":
            return self.date(dt.date.fromisoformat(value))
        code, _, amount = value.rpartition(" ")
        number = float(amount)
        if not code and number.is_integer() and 0 < number <= 10:
            return self.spelled(int(number))
        shown = format_decimal(number, locale=self.language)
        return f"{shown} {code}" if code else shown

    def differ_note(self, fact: str, sides: list[tuple[list[str], str]], total: int) -> str:
        """'Sources differ on the number of people killed: four of the five outlets report
        three, The Daily Flash four.' `sides` are (outlets, value), the most reported first."""
        (first, value), *others = sides
        return self.differ.format(
            fact=fact,
            first=self.outlets_phrase(first, total),
            verb=self.differ_verb[len(first) != 1],
            value=value,
            others=self.join([f"{self.outlets_phrase(o, total)} {v}" for o, v in others]),
        )

    def dated(self, latest: dt.datetime, reports: int, outlets: int) -> str:
        return self.dateline.format(
            date=format_date(latest.date(), format="long", locale=self.language),
            reports=f"{reports} {self.report[reports != 1]}",
            outlets=f"{outlets} {self.outlet[outlets != 1]}",
        )


ENGLISH = Wording(
    language="en",
    headings={
        "details": "What happened",
        "background": "Background",
        "reactions": "Reactions",
        "next": "What comes next",
    },
    in_short="In short",
    key_developments="Key developments",
    path_ahead="Projected path ahead",
    sources="Sources",
    table=("Event", "Date", "Details"),
    and_="and",
    numbers=tuple("no one two three four five six seven eight nine ten".split()),
    all_outlets="all {n} outlets",
    some_outlets="{k} of the {n} outlets",
    according_to="{text}, according to {who}.",
    according_to_first="According to {who}: {text}",
    dateline="Updated {date} · {reports} from {outlets}",
    report=("report", "reports"),
    outlet=("outlet", "outlets"),
    written_in="in {name}",
    verified_line="{verified} of {sentences} sentences verified against {sources}",
    source=("source", "sources"),
    disclaimer=(
        "This digest was assembled automatically from the reports listed under Sources. Every "
        "sentence links to the reports it rests on and was checked against them before "
        "publication; where reports differ, each account is given with its outlets. Automatic "
        "checks can still miss context: read the sources before relying on a detail."
    ),
    differ="Sources differ on {fact}: {first} {verb} {value}, {others}.",
    differ_verb=("reports", "report"),
    fact_labels={
        f"count:{k}": f"the number of people {k}"
        for k in ("killed", "injured", "missing", "arrested", "evacuated")
    },
    money_label="the amount of the {noun}",
    date_label="the date of the {noun}",
)

_WORDINGS = {
    w.language: w
    for w in (
        ENGLISH,
        Wording(
            language="de",
            headings={
                "details": "Was geschah",
                "background": "Hintergrund",
                "reactions": "Reaktionen",
                "next": "Wie es weitergeht",
            },
            in_short="Kurz gesagt",
            key_developments="Die wichtigsten Entwicklungen",
            path_ahead="Ausblick",
            sources="Quellen",
            table=("Ereignis", "Datum", "Einzelheiten"),
            and_="und",
            numbers=tuple("kein ein zwei drei vier fünf sechs sieben acht neun zehn".split()),
            all_outlets="alle {n} Medien",
            some_outlets="{k} von {n} Medien",
            according_to="{text} (laut {who}).",
            according_to_first="Laut {who}: {text}",
            dateline="Aktualisiert am {date} · {reports} von {outlets}",
            report=("Bericht", "Berichte"),
            outlet=("Medium", "Medien"),
            written_in="auf {name}",
            verified_line="{verified} von {sentences} Sätzen an {sources} geprüft",
            source=("Quelle", "Quellen"),
            disclaimer=(
                "Diese Zusammenfassung wurde automatisch aus den unter Quellen genannten "
                "Berichten erstellt. Jeder Satz verweist auf die Berichte, auf denen er beruht, "
                "und wurde vor der Veröffentlichung an ihnen geprüft; wo Berichte voneinander "
                "abweichen, wird jede Darstellung mit ihren Medien genannt. Automatische "
                "Prüfungen können Zusammenhänge übersehen: Lesen Sie die Quellen, bevor Sie "
                "sich auf eine Einzelheit verlassen."
            ),
            differ="Die Quellen nennen unterschiedliche Angaben für {fact}: {first} {verb} "
            "{value}, {others}.",
            differ_verb=("nennt", "nennen"),
            fact_labels={
                "count:killed": "die Zahl der Todesopfer",
                "count:injured": "die Zahl der Verletzten",
                "count:missing": "die Zahl der Vermissten",
                "count:arrested": "die Zahl der Festnahmen",
                "count:evacuated": "die Zahl der Evakuierten",
                "money:fine": "die Höhe der Strafe",
                "money:damages": "die Höhe des Schadens",
                "money:cost": "die Kosten",
                "money:aid": "die Höhe der Hilfe",
                "date:hearing": "das Datum der Anhörung",
                "date:vote": "das Datum der Abstimmung",
                "date:trial": "das Datum des Prozesses",
                "date:election": "das Datum der Wahl",
                "date:meeting": "das Datum des Treffens",
                "date:summit": "das Datum des Gipfels",
                "date:strike": "das Datum des Streiks",
                "date:inquiry": "das Datum der Untersuchung",
                "date:funeral": "das Datum der Beerdigung",
                "date:reopening": "das Datum der Wiedereröffnung",
                "date:opening": "das Datum der Eröffnung",
                "date:closure": "das Datum der Schließung",
                "date:verdict": "das Datum des Urteils",
                "date:decision": "das Datum der Entscheidung",
            },
            money_label="den Betrag",
            date_label="das Datum",
        ),
        Wording(
            language="fr",
            headings={
                "details": "Ce qui s'est passé",
                "background": "Contexte",
                "reactions": "Réactions",
                "next": "La suite",
            },
            in_short="En bref",
            key_developments="Les principaux développements",
            path_ahead="Perspectives",
            sources="Sources",
            table=("Événement", "Date", "Détails"),
            and_="et",
            numbers=tuple("aucun un deux trois quatre cinq six sept huit neuf dix".split()),
            all_outlets="les {n} médias",
            some_outlets="{k} des {n} médias",
            according_to="{text}, selon {who}.",
            according_to_first="Selon {who} : {text}",
            dateline="Mis à jour le {date} · {reports} de {outlets}",
            report=("article", "articles"),
            outlet=("média", "médias"),
            written_in="en {name}",
            verified_line="{verified} phrases sur {sentences} vérifiées au regard de {sources}",
            source=("source", "sources"),
            disclaimer=(
                "Ce résumé a été composé automatiquement à partir des articles cités dans les "
                "Sources. Chaque phrase renvoie aux articles sur lesquels elle repose et a été "
                "vérifiée au regard de ceux-ci avant publication ; lorsque les articles "
                "divergent, chaque version est donnée avec ses médias. Les vérifications "
                "automatiques peuvent manquer le contexte : lisez les sources avant de vous "
                "fier à un détail."
            ),
            differ="Les sources divergent sur {fact} : {first} {verb} {value}, {others}.",
            differ_verb=("indique", "indiquent"),
            fact_labels={
                "count:killed": "le nombre de morts",
                "count:injured": "le nombre de blessés",
                "count:missing": "le nombre de disparus",
                "count:arrested": "le nombre d'interpellations",
                "count:evacuated": "le nombre d'évacués",
                "money:fine": "le montant de l'amende",
                "money:damages": "le montant des dommages",
                "money:cost": "le coût",
                "money:aid": "le montant de l'aide",
                "date:hearing": "la date de l'audience",
                "date:vote": "la date du vote",
                "date:trial": "la date du procès",
                "date:election": "la date de l'élection",
                "date:meeting": "la date de la réunion",
                "date:summit": "la date du sommet",
                "date:strike": "la date de la grève",
                "date:inquiry": "la date de l'enquête",
                "date:funeral": "la date des obsèques",
                "date:reopening": "la date de la réouverture",
                "date:opening": "la date de l'ouverture",
                "date:closure": "la date de la fermeture",
                "date:verdict": "la date du verdict",
                "date:decision": "la date de la décision",
            },
            money_label="le montant",
            date_label="la date",
        ),
        Wording(
            language="es",
            headings={
                "details": "Qué ocurrió",
                "background": "Antecedentes",
                "reactions": "Reacciones",
                "next": "Qué viene ahora",
            },
            in_short="En resumen",
            key_developments="Principales novedades",
            path_ahead="Lo que se espera",
            sources="Fuentes",
            table=("Hecho", "Fecha", "Detalles"),
            and_="y",
            numbers=tuple("ningún un dos tres cuatro cinco seis siete ocho nueve diez".split()),
            all_outlets="los {n} medios",
            some_outlets="{k} de los {n} medios",
            according_to="{text}, según {who}.",
            according_to_first="Según {who}: {text}",
            dateline="Actualizado el {date} · {reports} de {outlets}",
            report=("informe", "informes"),
            outlet=("medio", "medios"),
            written_in="en {name}",
            verified_line="{verified} de {sentences} frases verificadas con {sources}",
            source=("fuente", "fuentes"),
            disclaimer=(
                "Este resumen se elaboró automáticamente a partir de los informes citados en "
                "Fuentes. Cada frase remite a los informes en los que se basa y se comprobó con "
                "ellos antes de publicarse; donde los informes difieren, se da cada versión con "
                "sus medios. Las comprobaciones automáticas pueden pasar por alto el contexto: "
                "lea las fuentes antes de fiarse de un detalle."
            ),
            differ="Las fuentes difieren sobre {fact}: {first} {verb} {value}, {others}.",
            differ_verb=("habla de", "hablan de"),
            fact_labels={
                "count:killed": "el número de muertos",
                "count:injured": "el número de heridos",
                "count:missing": "el número de desaparecidos",
                "count:arrested": "el número de detenidos",
                "count:evacuated": "el número de evacuados",
                "money:fine": "el importe de la multa",
                "money:damages": "el importe de los daños",
                "money:cost": "el coste",
                "money:aid": "el importe de la ayuda",
                "date:hearing": "la fecha de la audiencia",
                "date:vote": "la fecha de la votación",
                "date:trial": "la fecha del juicio",
                "date:election": "la fecha de las elecciones",
                "date:meeting": "la fecha de la reunión",
                "date:summit": "la fecha de la cumbre",
                "date:strike": "la fecha de la huelga",
                "date:inquiry": "la fecha de la investigación",
                "date:funeral": "la fecha del funeral",
                "date:reopening": "la fecha de la reapertura",
                "date:opening": "la fecha de la apertura",
                "date:closure": "la fecha del cierre",
                "date:verdict": "la fecha del veredicto",
                "date:decision": "la fecha de la decisión",
            },
            money_label="el importe",
            date_label="la fecha",
        ),
    )
}


def wording(language: str | None) -> Wording:
    """The words for a digest in `language` (ISO 639-1); English where there are none."""
    return _WORDINGS.get(primary_language(language), ENGLISH)
