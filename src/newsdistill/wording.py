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

from newsdistill.models import SectionKind, VerificationSummary


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
        ),
    )
}


def wording(language: str | None) -> Wording:
    """The words for a digest in `language` (ISO 639-1); English where there are none."""
    return _WORDINGS.get((language or "en").split("-")[0].casefold(), ENGLISH)
