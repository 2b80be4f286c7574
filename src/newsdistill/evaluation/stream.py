"""A generated stream of news: N short synthetic articles about invented events, from many
outlets over many days, served as feeds and article pages from 127.0.0.1.

The scale test (tests/distributed/test_scale.py) and `newsdistill bench --workers` run the
pipeline over it. Every event has its own invented place, people, organisation and numbers,
filled into templated sentences of one of a few kinds (a fire, a strike, a court ruling, …),
so the articles of one event share their names and figures and those of two events do not.
An event's articles are spread over up to EVENT_HOURS after it happens and events over the
stream's days, so stories open and close within the clustering window as they would live.
Articles are short (a title and six sentences), which keeps 10,000 of them affordable on
two cores. The stream is a pure function of its seed: the same arguments give the same
articles, URLs and times.

Pages and feeds are rendered with the demo corpus's outlet styles (demo_corpus/build.py).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsdistill.demo_corpus import build
from newsdistill.nlp.lexicon import STOPWORDS

STREAM_SEED = 20261202
START = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)
EVENT_HOURS = 36  # an event's articles appear within this long after it happens
MEAN_EVENT_ARTICLES = 7
EVENTS_PER_DAY = 30

_SYLLABLES = (
    "ka lo mi ren tor va sel dun ari bel cor fen gal hin jus mor nev pal quin ros tam ul "
    "ves wen yar zol brin cast del "
).split()
_FIRST = "Anna Bram Celia Dario Edda Farid Greta Hugo Ines Jonas Kira Lev Mara Nils Olga".split()
_TOPIC_KEYS = ("w1", "w2", "w3", "w4", "w5", "w6")
# The event's own words, in every article: in the lede's sentence, and two of them in another.
_TOPIC = "{place} {w1}, {w2} and {w3}: {person}, {org}, the {w4} and the {w5}."
_HEADLINE = "{w1}, {w2} and {w3} in {place}: "
_ASIDE = "Questions about {a} and {b} remain in {place}."
_STYLES = tuple(sorted(build.themes()))
_FORMATS = ("rss", "atom")
_CONTENT = ("full", "excerpt", "lede", "summary")


@dataclass(frozen=True)
class Kind:
    """One kind of event: its section, headlines and sentences, with {place}, {person},
    {org}, {n1}, {n2}, {n3} and {day} filled in per event."""

    name: str
    section: str
    titles: tuple[str, ...]
    ledes: tuple[str, ...]
    details: tuple[str, ...]


KINDS = (
    Kind(
        "fire",
        "News",
        ("Fire at {org} plant in {place} kills {n1}", "{n1} dead after blaze at {place} factory"),
        (
            "A fire at the {org} plant in {place} killed {n1} workers and injured {n2} on {day}.",
            "{n1} people died and {n2} were hurt when fire swept through the {org} factory in "
            "{place} on {day}.",
        ),
        (
            "About {n3} firefighters fought the blaze for several hours, fire chief {person} said.",
            "{person}, who leads the {place} fire service, said the cause was not yet known.",
            "The {org} factory employs about {n3}0 people in {place}.",
            "Residents near the {org} site in {place} were told to keep their windows closed.",
            "Investigators from {place} will examine the {org} building next week.",
        ),
    ),
    Kind(
        "strike",
        "Business",
        ("{org} workers strike in {place}", "Walkout halts {org} in {place}"),
        (
            "About {n1}00 workers at {org} in {place} walked out on {day} in a dispute over pay.",
            "Staff at {org} in {place} began a strike on {day}, demanding a {n2} percent raise.",
        ),
        (
            "Union leader {person} said the {n1}00 strikers wanted a raise of {n2} percent.",
            "{org} offered {n3} percent and said the {place} strike was unjustified.",
            "The walkout at {org} is the first in {place} for {n3} years.",
            "{person} said talks with {org} would resume in {place} next week.",
            "Trains and buses around {place} ran at reduced frequency during the {org} strike.",
        ),
    ),
    Kind(
        "court",
        "Politics",
        ("Court rules against {org} in {place} case", "{place} judge fines {org} {n1} million"),
        (
            "A court in {place} fined {org} {n1} million crowns on {day} over a pollution case.",
            "Judge {person} in {place} ordered {org} to pay {n1} million crowns on {day}.",
        ),
        (
            "Judge {person} said {org} had ignored {n2} warnings from {place} inspectors.",
            "{org} said it would appeal the {place} ruling within {n3} days.",
            "Residents of {place} had brought the case against {org} {n3} years ago.",
            "The {n1} million crown fine is the largest ever imposed by a {place} court.",
            "Lawyers for {org} told the court in {place} the company had done nothing wrong.",
        ),
    ),
    Kind(
        "election",
        "Politics",
        ("{person} wins {place} mayoral race", "{place} elects {person} as mayor"),
        (
            "{person} won the election for mayor of {place} on {day} with {n1} percent of votes.",
            "Voters in {place} chose {person} as their mayor on {day}, giving {n1} percent.",
        ),
        (
            "Turnout in {place} was {n2} percent, up from the previous election.",
            "{person} promised to build {n3} new schools in {place}.",
            "The {org} party of {person} now holds {n3} seats on the {place} council.",
            "{person} will take office in {place} next month.",
            "The defeated candidate in {place} conceded and congratulated {person}.",
        ),
    ),
    Kind(
        "quake",
        "News",
        ("Earthquake of magnitude {n1}.{n2} hits {place}", "Quake shakes {place}, {n3} hurt"),
        (
            "An earthquake of magnitude {n1}.{n2} struck near {place} on {day}, injuring {n3}.",
            "A magnitude {n1}.{n2} quake shook {place} on {day}; {n3} people were hurt.",
        ),
        (
            "Seismologist {person} of the {org} institute said aftershocks were likely.",
            "The {org} institute put the quake's depth at {n2}0 kilometres below {place}.",
            "Schools in {place} stayed closed while engineers checked {n3}0 buildings.",
            "{person} said the {place} quake was the strongest in the region for decades.",
            "Rescue teams from {org} searched damaged houses in {place} overnight.",
        ),
    ),
    Kind(
        "results",
        "Business",
        ("{org} profit rises {n1} percent", "{org} beats forecasts as sales climb"),
        (
            "{org}, based in {place}, reported on {day} that its profit rose {n1} percent.",
            "The {place} company {org} said on {day} its annual profit grew by {n1} percent.",
        ),
        (
            "Chief executive {person} said {org} sales reached {n2}00 million crowns.",
            "{org} will hire {n3}0 more staff in {place}, {person} said.",
            "Shares in {org} rose {n2} percent in {place} trading after the results.",
            "{person} said {org} expects growth of {n3} percent next year.",
            "Analysts in {place} had expected a smaller rise in {org} profit.",
        ),
    ),
    Kind(
        "match",
        "Sport",
        ("{place} beat {org} {n1}-{n2}", "{org} lose {n2}-{n1} away in {place}"),
        (
            "{place} beat {org} {n1}-{n2} on {day} in front of {n3},000 fans.",
            "{org} lost {n2}-{n1} to {place} on {day} before a crowd of {n3},000.",
        ),
        (
            "Striker {person} scored twice for {place} against {org}.",
            "{place} coach {person} praised the defence after the win over {org}.",
            "The {place} side are now {n3} points clear of {org} in the table.",
            "{org} had not lost in {place} for {n3} seasons.",
            "{person} was named player of the match as {place} beat {org}.",
        ),
    ),
    Kind(
        "science",
        "Science",
        ("{org} researchers find new {place} species", "New species found near {place}"),
        (
            "Researchers at {org} said on {day} they had found a new species of frog near {place}.",
            "A team from {org} described on {day} a frog species found only near {place}.",
        ),
        (
            "Biologist {person} said the {place} frog is only {n1} centimetres long.",
            "The {org} team counted about {n2}00 of the frogs near {place}.",
            "{person} said the {place} habitat covers just {n3} square kilometres.",
            "The finding by {org} was published after {n3} years of fieldwork near {place}.",
            "{person} of {org} called for the {place} wetland to be protected.",
        ),
    ),
)


@cache
def content_words() -> tuple[str, ...]:
    """The demo corpus's lower-case content words: each event draws its own few, so that two
    events of one kind are about different things, not only different names."""
    articles = build.load_articles(build.HERE / "articles.json", {})
    text = " ".join(p for a in articles for p in a.paragraphs)
    words = {w for w in re.findall(r"\b[a-z]{5,}\b", text) if w not in STOPWORDS}
    return tuple(sorted(words))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _invent(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


@dataclass(frozen=True)
class Event:
    id: str
    kind: Kind
    at: dt.datetime
    facts: dict[str, str]

    def fill(self, template: str) -> str:
        return template.format(**self.facts)


def stream_outlets(feeds: int) -> dict[str, build.Outlet]:
    """`feeds` invented outlets, one feed each, across the demo's page styles and feed kinds."""
    outlets = {}
    for i in range(feeds):
        oid = f"outlet{i:03d}"
        outlets[oid] = build.Outlet(
            id=oid,
            name=f"The Stream {i:03d}",
            style=_STYLES[i % len(_STYLES)],
            feed_format=_FORMATS[i % len(_FORMATS)],
            feed_path=f"/{oid}/feed.xml",
            language="en",
            feed_content=_CONTENT[i % len(_CONTENT)],
            tagline="Generated news",
            based_in="",
        )
    return outlets


def _events(count: int, rng: random.Random) -> list[Event]:
    names: set[str] = set()

    def unique() -> str:
        # Three syllables give 24,389 names; a longer one when they run short.
        syllables = 3
        while (name := _invent(rng, syllables)) in names:
            syllables += rng.random() < 0.1
        names.add(name)
        return name

    days = max(count / EVENTS_PER_DAY, 1.0)
    events = []
    for i in range(count):
        at = START + dt.timedelta(seconds=rng.randrange(int(days * 86400)))
        facts = {
            "place": unique(),
            "person": f"{rng.choice(_FIRST)} {unique()}",
            "org": unique() + rng.choice([" Group", " Works", " United", " Labs", ""]),
            "n1": str(rng.randint(2, 9)),
            "n2": str(rng.randint(11, 49)),
            "n3": str(rng.randint(3, 9)),
            "day": at.strftime("%A"),
        }
        facts.update(zip(_TOPIC_KEYS, rng.sample(content_words(), len(_TOPIC_KEYS)), strict=True))
        events.append(Event(f"e{i:05d}", KINDS[i % len(KINDS)], at, facts))
    return events


def generate(
    n: int, *, feeds: int = 20, seed: int = STREAM_SEED
) -> tuple[list[build.Article], dict[str, build.Outlet]]:
    """`n` articles (ordered by publication) over about n / MEAN_EVENT_ARTICLES events, from
    `feeds` outlets, and the outlets. Each article's `story` is its event's id."""
    rng = random.Random(seed)
    outlets = stream_outlets(feeds)
    events = _events(max(n // MEAN_EVENT_ARTICLES, 1), rng)
    # Every event gets one article, the rest go to events at random: a few big stories, many
    # small ones.
    owners = list(range(len(events))) + [rng.randrange(len(events)) for _ in range(n)]
    owners = owners[:n]
    used: set[int] = set()
    articles = []
    for i, e in enumerate(owners):
        event = events[e]
        outlet = rng.choice(list(outlets.values()))
        # Distinct seconds: the order of articles is their publication order, never a tie.
        delay = rng.randrange(EVENT_HOURS * 3600)
        while delay in used:
            delay += 1
        used.add(delay)
        published = event.at + dt.timedelta(seconds=delay, microseconds=i)
        details = rng.sample(event.kind.details, 3)
        first = event.fill(_TOPIC) + " " + event.fill(rng.choice(event.kind.ledes))
        a, b = rng.sample(_TOPIC_KEYS, 2)
        aside = _ASIDE.format(a=event.facts[a], b=event.facts[b], place=event.facts["place"])
        rest = [event.fill(d) for d in details]
        articles.append(
            build.Article(
                id=f"{event.id}-{i:05d}",
                story=event.id,
                outlet=outlet.id,
                url_path=f"/{outlet.id}/{published:%Y/%m/%d}/{event.kind.name}-{event.id}-{i}.html",
                title=_capital(event.fill(_HEADLINE + rng.choice(event.kind.titles))),
                author=f"{rng.choice(_FIRST)} {_invent(rng, 2)}",
                published=published,
                paragraphs=(f"{first} {rest[0]}", f"{rest[1]} {aside} {rest[2]}"),
                summary=first,
                syndicated_from=None,
                section=event.kind.section,
            )
        )
    return sorted(articles, key=lambda a: (a.published, a.id)), outlets


def write_pages(
    articles: Sequence[build.Article], outlets: dict[str, build.Outlet], root: Path
) -> None:
    """One HTML page per article under `root`, in its outlet's style."""
    for a in articles:
        path = root / a.url_path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build.render_article_page(outlets[a.outlet], a, ()), encoding="utf-8")


def write_feeds(
    articles: Sequence[build.Article], outlets: dict[str, build.Outlet], root: Path
) -> None:
    """Each outlet's feed (RSS or Atom) under `root`, listing its share of `articles`: empty
    for an outlet with none of them."""
    for outlet in outlets.values():
        own = [a for a in articles if a.outlet == outlet.id]
        path = root / outlet.feed_path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build.render_feed(outlet, own), encoding="utf-8")


def write_stream(
    articles: Sequence[build.Article], outlets: dict[str, build.Outlet], root: Path
) -> None:
    """The whole stream as a site under `root`: every page, and feeds listing every article."""
    write_pages(articles, outlets, root)
    write_feeds(articles, outlets, root)
