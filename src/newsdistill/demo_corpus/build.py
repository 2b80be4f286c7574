"""Render the newsdistill demo corpus into a static site of feeds and article pages.

The data is in this directory: ``articles.json``, ``outlets.json``, ``themes.json`` (the
page furniture of each outlet style) and ``manifest.json`` (for section labels). The markup
is in the Jinja2 templates under ``templates/``. The build writes ``site/``:

* one RSS 2.0 or Atom feed per outlet, at the outlet's ``feed_path``;
* one HTML page per article, at its ``url_path``, in the outlet's style (wire,
  broadsheet, tabloid, regional, trade);
* an ``index.html`` per outlet, a root ``index.html`` and an ``opml.xml``.

Every absolute URL starts with the literal placeholder ``{{BASE}}``, which the
demo server replaces with ``http://127.0.0.1:PORT`` when serving. The output is
deterministic: the same inputs always give byte-identical files.

Usage (with src/ on sys.path)::

    python -m newsdistill.demo_corpus.build [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from newsdistill.errors import InputError

HERE = Path(__file__).resolve().parent
BASE = "{{BASE}}"

SECTION_BY_TOPIC = {
    "disaster": "News",
    "politics": "Politics",
    "business": "Business",
    "science": "Science",
    "sport": "Sport",
}
FEED_FORMATS = frozenset({"rss", "atom"})
FEED_CONTENT_MODES = frozenset({"full", "excerpt", "lede", "summary"})
LAYOUTS = frozenset({"sidebar", "three-column", "single-column"})


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    style: str
    feed_format: str
    feed_path: str
    language: str
    feed_content: str
    tagline: str
    based_in: str

    @property
    def home_path(self) -> str:
        return f"/{self.id}/index.html"


@dataclass(frozen=True)
class Article:
    id: str
    story: str
    outlet: str
    url_path: str
    title: str
    author: str
    published: datetime
    paragraphs: tuple[str, ...]
    summary: str
    syndicated_from: str | None
    section: str

    @property
    def published_iso(self) -> str:
        return self.published.isoformat()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot be read as JSON: {exc}") from exc


@cache
def themes() -> dict[str, dict[str, Any]]:
    """Style name -> the layout and texts of that style's pages."""
    path = HERE / "themes.json"
    raw: dict[str, dict[str, Any]] = _read_json(path)
    for style, theme in raw.items():
        if theme.get("layout") not in LAYOUTS:
            raise InputError(f"{path}: style {style!r} has unknown layout {theme.get('layout')!r}")
    return raw


def load_outlets(path: Path) -> dict[str, Outlet]:
    raw: dict[str, dict[str, str]] = _read_json(path)
    outlets = {
        oid: Outlet(
            id=oid,
            name=o["name"],
            style=o["style"],
            feed_format=o["feed_format"],
            feed_path=o["feed_path"],
            language=o.get("language", "en"),
            feed_content=o.get("feed_content", "summary"),
            tagline=o.get("tagline", ""),
            based_in=o.get("based_in", ""),
        )
        for oid, o in sorted(raw.items())
    }
    for o in outlets.values():
        if o.style not in themes():
            raise InputError(f"{path}: outlet {o.id!r} has unknown style {o.style!r}")
        if o.feed_format not in FEED_FORMATS:
            raise InputError(f"{path}: outlet {o.id!r} has unknown feed_format {o.feed_format!r}")
        if o.feed_content not in FEED_CONTENT_MODES:
            raise InputError(f"{path}: outlet {o.id!r} has unknown feed_content {o.feed_content!r}")
    return outlets


def load_sections(path: Path) -> dict[str, str]:
    """Map story id -> section label (from the manifest's topic field)."""
    if not path.exists():
        return {}
    manifest = _read_json(path)
    sections: dict[str, str] = {}
    for sid, story in manifest.get("stories", {}).items():
        prefix = str(story.get("topic", "")).split("/", 1)[0]
        sections[sid] = SECTION_BY_TOPIC.get(prefix, "News")
    return sections


def load_articles(path: Path, sections: dict[str, str]) -> list[Article]:
    raw: list[dict[str, Any]] = _read_json(path)
    articles = [
        Article(
            id=str(a["id"]),
            story=str(a["story"]),
            outlet=str(a["outlet"]),
            url_path=str(a["url_path"]),
            title=str(a["title"]),
            author=str(a["author"]),
            published=datetime.fromisoformat(str(a["published"])),
            paragraphs=tuple(str(p) for p in a["paragraphs"]),
            summary=str(a["summary"]),
            syndicated_from=(str(a["syndicated_from"]) if a.get("syndicated_from") else None),
            section=sections.get(str(a["story"]), "News"),
        )
        for a in raw
    ]
    return sorted(articles, key=lambda a: a.id)


def newest_first(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published, a.id), reverse=True)


def related_for(
    article: Article, outlet_articles: Sequence[Article], limit: int = 5
) -> list[Article]:
    """Other articles from the same outlet: same story first, then nearest in time."""
    others = [a for a in outlet_articles if a.id != article.id]
    others.sort(
        key=lambda a: (
            a.story != article.story,
            abs((a.published - article.published).total_seconds()),
            a.id,
        )
    )
    return others[:limit]


# --------------------------------------------------------------------------- template filters


def url(path: str) -> str:
    return BASE + path


def tz_label(dt: datetime) -> str:
    offset = dt.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return {0: "GMT", 60: "CET", -300: "EST"}.get(minutes, dt.strftime("UTC%z"))


def clock_12h(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{hour}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def anchor(label: str) -> str:
    """Section label -> fragment id, e.g. "What's On" -> "whats-on"."""
    return label.lower().replace("&", "and").replace("'", "").replace(" ", "-")


def cdata(html: str) -> Markup:
    """`html` (already escaped markup) as one XML CDATA section."""
    # str(): the markup is wrapped as it is, not escaped again by Markup's concatenation
    return Markup("<![CDATA[" + str(html).replace("]]>", "]]]]><![CDATA[>") + "]]>")


# --------------------------------------------------------------------------- rendering


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsdistill.demo_corpus", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        # templates are laid out line by line as the output is: tag-only lines leave nothing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        url=url,
        rfc2822=format_datetime,
        tz_label=tz_label,
        clock_12h=clock_12h,
        anchor=anchor,
        cdata=cdata,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_article_page(outlet: Outlet, article: Article, related: Sequence[Article]) -> str:
    return render(
        "article.html.j2",
        outlet=outlet,
        theme=themes()[outlet.style],
        article=article,
        related=related,
        year=article.published.year,
    )


def render_outlet_home(outlet: Outlet, articles: Sequence[Article]) -> str:
    ordered = newest_first(articles)
    return render(
        "outlet_home.html.j2",
        outlet=outlet,
        theme=themes()[outlet.style],
        articles=ordered,
        year=ordered[0].published.year if ordered else 2026,
    )


def render_feed(outlet: Outlet, articles: Sequence[Article]) -> str:
    return render(f"{outlet.feed_format}.xml.j2", outlet=outlet, articles=newest_first(articles))


# --------------------------------------------------------------------------- build


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def build(out_dir: Path) -> int:
    """Render the site into ``out_dir`` (wiped first). Returns the number of files written."""
    outlets = load_outlets(HERE / "outlets.json")
    articles = load_articles(HERE / "articles.json", load_sections(HERE / "manifest.json"))
    by_outlet: dict[str, list[Article]] = {oid: [] for oid in outlets}
    for a in articles:
        if a.outlet not in outlets:
            raise InputError(f"article {a.id} has unknown outlet {a.outlet!r}")
        by_outlet[a.outlet].append(a)

    if out_dir.exists():
        if any(out_dir.iterdir()) and not (out_dir / "opml.xml").exists():
            raise SystemExit(f"refusing to wipe {out_dir}: it does not look like a generated site")
        shutil.rmtree(out_dir)
    written = 0

    def emit(rel_path: str, text: str) -> None:
        nonlocal written
        write(out_dir / rel_path.lstrip("/"), text)
        written += 1

    for a in articles:
        outlet = outlets[a.outlet]
        emit(a.url_path, render_article_page(outlet, a, related_for(a, by_outlet[a.outlet])))
    for oid, outlet in outlets.items():
        emit(outlet.feed_path, render_feed(outlet, by_outlet[oid]))
        emit(outlet.home_path, render_outlet_home(outlet, by_outlet[oid]))
    ordered_outlets = list(outlets.values())
    counts = {oid: len(own) for oid, own in by_outlet.items()}
    emit("/index.html", render("index.html.j2", outlets=ordered_outlets, counts=counts))
    created = max(a.published for a in articles)
    emit("/opml.xml", render("opml.xml.j2", outlets=ordered_outlets, created=created))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=HERE / "site", help="output directory (default: ./site)"
    )
    args = parser.parse_args(argv)
    count = build(args.out)
    print(f"wrote {count} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
