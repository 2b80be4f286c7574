"""Render the newsdistill demo corpus into a static site of feeds and article pages.

Reads ``articles.json``, ``outlets.json`` and ``manifest.json`` (for section labels)
from this directory and writes ``site/``:

* one RSS 2.0 or Atom feed per outlet, at the outlet's ``feed_path``;
* one HTML page per article, at its ``url_path``, using a template that
  depends on the outlet's style (wire, broadsheet, tabloid, regional, trade);
* an ``index.html`` per outlet, a root ``index.html`` and an ``opml.xml``.

Every absolute URL starts with the literal placeholder ``{{BASE}}``, which the
demo server replaces with ``http://127.0.0.1:PORT`` when serving. The output is
deterministic: the same inputs always give byte-identical files.

Usage::

    python -m newsdistill.demo_corpus.build          # with src/ on sys.path
    python src/newsdistill/demo_corpus/build.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = "{{BASE}}"
SITE_TITLE = "newsdistill demo corpus"

SECTION_BY_TOPIC = {
    "disaster": "News",
    "politics": "Politics",
    "business": "Business",
    "science": "Science",
    "sport": "Sport",
}


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


def load_outlets(path: Path) -> dict[str, Outlet]:
    raw: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return {
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


def load_sections(path: Path) -> dict[str, str]:
    """Map story id -> section label (from the manifest's topic field)."""
    if not path.exists():
        return {}
    manifest = json.loads(path.read_text(encoding="utf-8"))
    sections: dict[str, str] = {}
    for sid, story in manifest.get("stories", {}).items():
        prefix = str(story.get("topic", "")).split("/", 1)[0]
        sections[sid] = SECTION_BY_TOPIC.get(prefix, "News")
    return sections


def load_articles(path: Path, sections: dict[str, str]) -> list[Article]:
    raw: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
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


# --------------------------------------------------------------------------- helpers


def esc(text: str) -> str:
    return escape(text, quote=True)


def url(path: str) -> str:
    return BASE + path


def tz_label(dt: datetime) -> str:
    offset = dt.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return {0: "GMT", 60: "CET", -300: "EST"}.get(minutes, dt.strftime("UTC%z"))


def clock_12h(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{hour}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def date_long(dt: datetime) -> str:
    return f"{dt.strftime('%A')} {dt.day} {dt.strftime('%B %Y')}"


def body_html(article: Article, indent: str = "      ") -> str:
    return "\n".join(f"{indent}<p>{esc(p)}</p>" for p in article.paragraphs)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


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


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class Theme:
    body_class: str
    css: str
    nav: tuple[str, ...]
    cookie_text: str
    cookie_accept: str
    cookie_reject: str
    newsletter_title: str
    newsletter_blurb: str
    newsletter_button: str
    related_title: str
    footer_note: str
    masthead: Callable[[Outlet], str]
    byline: Callable[[Article], str]


def _wire_masthead(o: Outlet) -> str:
    return (
        f'<div class="wire-top"><a class="logo" href="{url(o.home_path)}">MERIDIAN</a>'
        f'<span class="wire-tag">{esc(o.tagline)}</span>'
        '<span class="wire-login">Client login | MPA Connect</span></div>'
    )


def _wire_byline(a: Article) -> str:
    p = a.published
    return (
        f'<div class="byline">By <span class="author">{esc(a.author)}</span> · '
        f'<time datetime="{a.published_iso}">{p.strftime("%B")} {p.day}, {p.year} '
        f"{clock_12h(p)} {tz_label(p)}</time> · 2 min read</div>"
    )


def _broadsheet_masthead(o: Outlet) -> str:
    return (
        f'<div class="masthead"><p class="edition">International edition · {esc(o.based_in)}</p>'
        f'<a class="title" href="{url(o.home_path)}">{esc(o.name)}</a>'
        f'<p class="motto">{esc(o.tagline)}</p></div>'
    )


def _broadsheet_byline(a: Article) -> str:
    p = a.published
    return (
        f'<div class="byline"><span class="author">{esc(a.author)}</span>'
        f'<time datetime="{a.published_iso}">{date_long(p)} {p.strftime("%H.%M")} '
        f"{tz_label(p)}</time></div>"
    )


def _tabloid_masthead(o: Outlet) -> str:
    return (
        f'<div class="red-top"><a class="logo" href="{url(o.home_path)}">THE DAILY FLASH</a>'
        f'<span class="shout">{esc(o.tagline)}</span>'
        '<span class="weather">Win a family holiday! Enter now &gt;</span></div>'
    )


def _tabloid_byline(a: Article) -> str:
    p = a.published
    return (
        f'<div class="byline">By <b>{esc(a.author.upper())}</b> | '
        f'<time datetime="{a.published_iso}">{p.strftime("%H:%M")}, {p.day} '
        f"{p.strftime('%b %Y')}</time>"
        ' | <span class="share">Share: Facebook · X · WhatsApp</span></div>'
    )


def _regional_masthead(o: Outlet) -> str:
    return (
        f'<div class="local-top"><a class="title" href="{url(o.home_path)}">{esc(o.name)}</a>'
        f'<span class="tag">{esc(o.tagline)}</span>'
        f'<span class="weather">{esc(o.based_in)}: 7°C, light rain</span></div>'
    )


def _regional_byline(a: Article) -> str:
    p = a.published
    return (
        f'<div class="byline">By {esc(a.author)} · Published <time datetime="{a.published_iso}">'
        f"{p.day} {p.strftime('%B %Y')}, {p.strftime('%H:%M')}</time></div>"
    )


def _trade_masthead(o: Outlet) -> str:
    return (
        '<div class="trade-top"><a class="logo" '
        f'href="{url(o.home_path)}">FOUNDRY<span>REVIEW</span></a>'
        f'<span class="tag">{esc(o.tagline)}</span>'
        '<span class="ticker">ESTX 1,482.6 ▲0.4% · EUR/EST 11.42 · BRENT 78.10</span>'
        '<a class="pro" href="#subscribe">Go Pro</a></div>'
    )


def _trade_byline(a: Article) -> str:
    p = a.published
    return (
        f'<div class="byline"><span class="author">{esc(a.author)}</span> · '
        f'<time datetime="{a.published_iso}">{p.strftime("%b")} {p.day}, {p.year} {clock_12h(p)} '
        f'{tz_label(p)}</time> · <span class="tier">Free article</span></div>'
    )


THEMES: dict[str, Theme] = {
    "wire": Theme(
        body_class="wire",
        css=(
            "body{font-family:Helvetica,Arial,sans-serif;margin:0;color:#111}"
            ".wire-top{background:#0b2545;color:#fff;padding:10px 24px;display:flex;gap:24px}"
            ".wire-top .logo{color:#fff;font-weight:800;letter-spacing:.2em;text-decoration:none}"
            "nav ul{list-style:none;display:flex;gap:18px;padding:8px "
            "24px;margin:0;border-bottom:1px solid #ccc}"
            ".layout{display:grid;grid-template-columns:2fr "
            "1fr;gap:32px;padding:24px;max-width:1100px}"
            "h1{font-size:2rem}.byline{color:#555;font-size:.85rem}"
            ".cookie{position:fixed;bottom:0;left:0;right:0;background:#222;color:#eee;padding:12px}"
        ),
        nav=("World", "Business", "Markets", "Politics", "Science", "Sports"),
        cookie_text=(
            "We use cookies and similar technologies to deliver our services, measure audiences "
            "and personalise content."
        ),
        cookie_accept="Accept all",
        cookie_reject="Manage preferences",
        newsletter_title="MPA Daily Briefing",
        newsletter_blurb=(
            "The day's top stories from our global newsroom, in your inbox every morning."
        ),
        newsletter_button="Sign up",
        related_title="Related stories",
        footer_note=(
            "All quotes delayed a minimum of 15 minutes. The Meridian Trust Principles guide our "
            "journalism."
        ),
        masthead=_wire_masthead,
        byline=_wire_byline,
    ),
    "broadsheet": Theme(
        body_class="broadsheet",
        css=(
            "body{font-family:Georgia,'Times New "
            "Roman',serif;margin:0;color:#1a1a1a;background:#fdfcf8}"
            ".masthead{text-align:center;border-bottom:3px double #1a1a1a;padding:12px}"
            ".masthead .title{font-size:2.6rem;color:#1a1a1a;text-decoration:none;font-weight:700}"
            "nav ul{list-style:none;display:flex;justify-content:center;gap:20px;"
            "padding:8px;margin:0;border-bottom:1px solid #999}"
            ".layout{display:grid;grid-template-columns:3fr "
            "1fr;gap:40px;max-width:1200px;margin:auto;padding:24px}"
            ".kicker{text-transform:uppercase;color:#8b0000;font-size:.8rem;letter-spacing:.1em}"
            ".standfirst{font-size:1.2rem;color:#444}.byline{font-family:Arial,sans-serif;font-size:.85rem}"
            ".cookie{position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:2px solid "
            "#000;padding:14px}"
        ),
        nav=(
            "Home",
            "Estavia",
            "World",
            "Politics",
            "Business",
            "Science",
            "Sport",
            "Opinion",
            "Culture",
        ),
        cookie_text=(
            "Your privacy matters to us. We and our partners use cookies to improve your "
            "experience, analyse traffic and show relevant advertising."
        ),
        cookie_accept="Yes, I'm happy",
        cookie_reject="Reject non-essential",
        newsletter_title="The Morning Edition",
        newsletter_blurb=(
            "Our editors' pick of the best journalism, analysis and comment, delivered before "
            "breakfast."
        ),
        newsletter_button="Subscribe free",
        related_title="Related stories",
        footer_note="Registered in Estavia. Independent journalism, funded by our readers.",
        masthead=_broadsheet_masthead,
        byline=_broadsheet_byline,
    ),
    "tabloid": Theme(
        body_class="tabloid",
        css=(
            "body{font-family:Impact,'Arial Black',sans-serif;margin:0;background:#fff}"
            ".red-top{background:#e10600;color:#fff;padding:12px "
            "20px;display:flex;gap:20px;align-items:center}"
            ".red-top .logo{color:#fff;font-size:2.2rem;text-decoration:none;font-style:italic}"
            "nav ul{list-style:none;display:flex;gap:14px;background:#111;padding:8px "
            "20px;margin:0}"
            "nav a{color:#fff;text-transform:uppercase}"
            ".layout{max-width:900px;margin:auto;padding:16px;font-family:Arial,sans-serif}"
            "h1{font-family:Impact,sans-serif;font-size:3rem;text-transform:uppercase;color:#e10600}"
            ".article-body p{font-size:1.15rem;font-weight:600}"
            ".cookie{position:fixed;top:0;left:0;right:0;background:#ffea00;padding:10px;font-family:Arial}"
        ),
        nav=("News", "Showbiz", "Sport", "Money", "Politics", "TV", "Puzzles", "Deals"),
        cookie_text=(
            "Cookies! We and 214 partners store and access information on your device to show you "
            "ads and measure how you use the Flash."
        ),
        cookie_accept="OK, GOT IT",
        cookie_reject="Options",
        newsletter_title="Get the Flash in your inbox!",
        newsletter_blurb=(
            "The biggest stories, the juiciest gossip and exclusive offers every day. FREE!"
        ),
        newsletter_button="SIGN ME UP",
        related_title="Related stories",
        footer_note="Got a story? Call the Flash newsdesk or message us. We pay for stories!",
        masthead=_tabloid_masthead,
        byline=_tabloid_byline,
    ),
    "regional": Theme(
        body_class="regional",
        css=(
            "body{font-family:Verdana,Geneva,sans-serif;margin:0;color:#222;background:#f4f6f4}"
            ".local-top{background:#1e5631;color:#fff;padding:14px "
            "24px;display:flex;gap:24px;align-items:baseline}"
            ".local-top .title{color:#fff;font-size:1.8rem;text-decoration:none;"
            "font-family:Georgia,serif}"
            "nav ul{list-style:none;display:flex;gap:16px;padding:8px "
            "24px;margin:0;background:#a4de02}"
            ".layout{display:grid;grid-template-columns:2fr "
            "1fr;gap:28px;max-width:1100px;margin:auto;padding:20px;background:#fff}"
            "h1{font-family:Georgia,serif;font-size:2.1rem}.byline{font-size:.8rem;color:#666}"
            ".cookie{position:fixed;bottom:0;left:0;right:0;background:#1e5631;color:#fff;padding:12px}"
        ),
        nav=(
            "News",
            "Sport",
            "What's On",
            "Property",
            "Jobs",
            "Family Notices",
            "Motors",
            "Contact",
        ),
        cookie_text=(
            "This website uses cookies to help us understand how it is used and to show local "
            "advertising that keeps our journalism free."
        ),
        cookie_accept="Accept cookies",
        cookie_reject="Cookie settings",
        newsletter_title="Get local news first",
        newsletter_blurb=(
            "Sign up for our free daily email with the latest headlines from your area."
        ),
        newsletter_button="Subscribe",
        related_title="Related stories",
        footer_note=(
            "Part of the Estavian Community Newspapers network. Family notices and classifieds: "
            "call our front counter."
        ),
        masthead=_regional_masthead,
        byline=_regional_byline,
    ),
    "trade": Theme(
        body_class="trade",
        css=(
            "body{font-family:'IBM Plex Sans',Segoe "
            "UI,sans-serif;margin:0;color:#1b1f24;background:#fff}"
            ".trade-top{display:flex;gap:24px;align-items:center;padding:10px "
            "28px;border-bottom:4px solid #f28c28}"
            ".trade-top .logo{font-weight:800;color:#1b1f24;text-decoration:none}.trade-top .logo "
            "span{color:#f28c28}"
            ".ticker{font-family:monospace;font-size:.8rem;color:#2e7d32}"
            "nav ul{list-style:none;display:flex;gap:18px;padding:8px "
            "28px;margin:0;background:#1b1f24}"
            "nav a{color:#f2f2f2}"
            ".layout{display:grid;grid-template-columns:1fr 3fr 1fr;gap:24px;padding:24px 28px}"
            ".cookie{position:fixed;bottom:16px;right:16px;width:320px;background:#fff;border:1px "
            "solid #999;padding:14px}"
        ),
        nav=("Industry", "Energy", "Space & Science", "Markets", "Policy", "Data", "Events", "Pro"),
        cookie_text=(
            "We use cookies to run this site, to analyse usage and to tailor content for our "
            "professional readers."
        ),
        cookie_accept="Accept",
        cookie_reject="Necessary only",
        newsletter_title="Foundry Briefing",
        newsletter_blurb=(
            "Weekly intelligence on science, industry and markets for decision-makers."
        ),
        newsletter_button="Get the briefing",
        related_title="Related stories",
        footer_note=(
            "Foundry Review is an independent trade publication. Market data for information only; "
            "not investment advice."
        ),
        masthead=_trade_masthead,
        byline=_trade_byline,
    ),
}


# --------------------------------------------------------------------------- HTML


def anchor(label: str) -> str:
    """Section label -> fragment id, e.g. "What's On" -> "whats-on"."""
    return label.lower().replace("&", "and").replace("'", "").replace(" ", "-")


def nav_html(outlet: Outlet, theme: Theme) -> str:
    items = "\n".join(
        f'      <li><a href="{url(outlet.home_path)}#{anchor(item)}">{esc(item)}</a></li>'
        for item in theme.nav
    )
    return f'  <nav class="site-nav" aria-label="Sections">\n    <ul>\n{items}\n    </ul>\n  </nav>'


def cookie_html(theme: Theme) -> str:
    return (
        '  <div class="cookie" id="cookie-consent" role="dialog" aria-label="Cookie consent">\n'
        f'    <span>{esc(theme.cookie_text)} <a href="#privacy">Privacy policy</a></span>\n'
        f'    <button type="button" class="accept">{esc(theme.cookie_accept)}</button>\n'
        f'    <button type="button" class="reject">{esc(theme.cookie_reject)}</button>\n'
        "  </div>"
    )


def newsletter_html(theme: Theme) -> str:
    return (
        '    <section class="newsletter" id="subscribe">\n'
        f"      <h2>{esc(theme.newsletter_title)}</h2>\n"
        f'      <span class="blurb">{esc(theme.newsletter_blurb)}</span>\n'
        '      <form action="#" method="post"><input type="email" name="email" placeholder="Your '
        'email address">'
        f'<button type="submit">{esc(theme.newsletter_button)}</button></form>\n'
        "    </section>"
    )


def related_html(theme: Theme, related: Sequence[Article]) -> str:
    items = "\n".join(
        f'        <li><a href="{url(r.url_path)}">{esc(r.title)}</a></li>' for r in related
    )
    return (
        '    <aside class="related" aria-label="Related stories">\n'
        f"      <h2>{esc(theme.related_title)}</h2>\n      <ul>\n{items}\n      </ul>\n    </aside>"
    )


def footer_html(outlet: Outlet, theme: Theme, year: int) -> str:
    return (
        '  <footer class="site-footer">\n'
        '    <ul class="footer-links"><li><a href="#about">About us</a></li><li><a '
        'href="#contact">Contact</a></li>'
        '<li><a href="#privacy">Privacy</a></li><li><a href="#terms">Terms of use</a></li>'
        f'<li><a href="{url(outlet.feed_path)}">RSS</a></li></ul>\n'
        f'    <span class="note">{esc(theme.footer_note)}</span>\n'
        f'    <span class="copyright">© {year} {esc(outlet.name)}. All rights reserved. '
        "This is a fictional publication created for the newsdistill demo corpus.</span>\n"
        "  </footer>"
    )


def json_ld(outlet: Outlet, article: Article) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published_iso,
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": outlet.name},
        "mainEntityOfPage": url(article.url_path),
        "articleSection": article.section,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def head_html(outlet: Outlet, theme: Theme, article: Article) -> str:
    feed_type = "application/rss+xml" if outlet.feed_format == "rss" else "application/atom+xml"
    canonical = url(article.url_path)
    return f"""<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(article.title)} | {esc(outlet.name)}</title>
  <meta name="description" content="{esc(article.summary)}">
  <meta name="author" content="{esc(article.author)}">
  <meta property="og:title" content="{esc(article.title)}">
  <meta property="og:description" content="{esc(article.summary)}">
  <meta property="og:site_name" content="{esc(outlet.name)}">
  <meta property="og:type" content="article">
  <meta property="og:url" content="{canonical}">
  <meta property="article:published_time" content="{article.published_iso}">
  <meta property="article:section" content="{esc(article.section)}">
  <meta property="article:author" content="{esc(article.author)}">
  <link rel="canonical" href="{canonical}">
  <link rel="alternate" type="{feed_type}" title="{esc(outlet.name)}"
        href="{url(outlet.feed_path)}">
  <style>{theme.css}</style>
  <script type="application/ld+json">{json_ld(outlet, article)}</script>
</head>"""


def article_block(outlet: Outlet, theme: Theme, article: Article) -> str:
    kicker = f'      <div class="kicker">{esc(article.section)}</div>\n'
    standfirst = ""
    if outlet.style in ("broadsheet", "trade"):
        standfirst = f'      <div class="standfirst">{esc(article.summary)}</div>\n'
    credit = ""
    if article.syndicated_from is not None:
        credit = '      <div class="credit">Source: Meridian Press Agency</div>\n'
    return (
        '    <article class="story">\n'
        "      <header>\n"
        f"{kicker}"
        f"      <h1>{esc(article.title)}</h1>\n"
        f"{standfirst}"
        f"      {theme.byline(article)}\n"
        f"{credit}"
        "      </header>\n"
        '      <div class="article-body">\n'
        f"{body_html(article, '        ')}\n"
        "      </div>\n"
        "    </article>"
    )


def render_article_page(outlet: Outlet, article: Article, related: Sequence[Article]) -> str:
    theme = THEMES[outlet.style]
    main_parts: list[str] = []
    if outlet.style == "trade":
        # three-column layout: left rail with newsletter, article, right rail with related
        main_parts = [
            '    <div class="rail-left">',
            newsletter_html(theme),
            "    </div>",
            article_block(outlet, theme, article),
            related_html(theme, related),
        ]
    elif outlet.style == "tabloid":
        # single column: article, then related and newsletter underneath
        main_parts = [
            '    <div class="ad-slot">ADVERTISEMENT</div>',
            article_block(outlet, theme, article),
            related_html(theme, related),
            newsletter_html(theme),
        ]
    else:
        main_parts = [
            article_block(outlet, theme, article),
            '    <div class="sidebar">',
            related_html(theme, related),
            newsletter_html(theme),
            "    </div>",
        ]
    main = "\n".join(main_parts)
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}">
{head_html(outlet, theme, article)}
<body class="{theme.body_class}">
{cookie_html(theme)}
  <header class="site-header">
    {theme.masthead(outlet)}
  </header>
{nav_html(outlet, theme)}
  <main class="layout">
{main}
  </main>
{footer_html(outlet, theme, article.published.year)}
</body>
</html>
"""


def render_outlet_home(outlet: Outlet, articles: Sequence[Article]) -> str:
    theme = THEMES[outlet.style]
    ordered = sorted(articles, key=lambda a: (a.published, a.id), reverse=True)
    items = "\n".join(
        f'      <li><a href="{url(a.url_path)}">{esc(a.title)}</a> '
        f'<time datetime="{a.published_iso}">{a.published_iso}</time>'
        f'<span class="teaser">{esc(a.summary)}</span></li>'
        for a in ordered
    )
    year = ordered[0].published.year if ordered else 2026
    feed_type = "application/rss+xml" if outlet.feed_format == "rss" else "application/atom+xml"
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}">
<head>
  <meta charset="utf-8">
  <title>{esc(outlet.name)} | {esc(outlet.tagline)}</title>
  <meta name="description" content="{esc(outlet.tagline)}">
  <meta property="og:site_name" content="{esc(outlet.name)}">
  <meta property="og:type" content="website">
  <link rel="canonical" href="{url(outlet.home_path)}">
  <link rel="alternate" type="{feed_type}" title="{esc(outlet.name)}"
        href="{url(outlet.feed_path)}">
  <style>{theme.css}</style>
</head>
<body class="{theme.body_class} home">
{cookie_html(theme)}
  <header class="site-header">
    {theme.masthead(outlet)}
  </header>
{nav_html(outlet, theme)}
  <main class="layout">
    <section class="latest">
      <h2>Latest</h2>
      <ul>
{items}
      </ul>
    </section>
{newsletter_html(theme)}
  </main>
{footer_html(outlet, theme, year)}
</body>
</html>
"""


# --------------------------------------------------------------------------- feeds


def feed_body_html(outlet: Outlet, article: Article) -> str | None:
    """HTML content carried in the feed entry, or None for summary-only feeds."""
    mode = outlet.feed_content
    if mode == "full":
        paras = article.paragraphs
    elif mode == "excerpt":
        paras = article.paragraphs[:2]
    elif mode == "lede":
        paras = article.paragraphs[:1]
    else:
        return None
    html = "".join(f"<p>{esc(p)}</p>" for p in paras)
    if mode != "full":
        html += f'<p><a href="{url(article.url_path)}">Continue reading</a></p>'
    return html


def render_rss(outlet: Outlet, articles: Sequence[Article]) -> str:
    ordered = sorted(articles, key=lambda a: (a.published, a.id), reverse=True)
    last = format_datetime(ordered[0].published) if ordered else ""
    items: list[str] = []
    for a in ordered:
        html = feed_body_html(outlet, a)
        if outlet.feed_content == "full":
            description = esc(a.summary)
            extra = f"\n      <content:encoded>{cdata(html or '')}</content:encoded>"
        elif html is None:
            description, extra = esc(a.summary), ""
        else:
            description, extra = esc(html), ""
        items.append(
            "    <item>\n"
            f"      <title>{esc(a.title)}</title>\n"
            f"      <link>{url(a.url_path)}</link>\n"
            f'      <guid isPermaLink="true">{url(a.url_path)}</guid>\n'
            f"      <pubDate>{format_datetime(a.published)}</pubDate>\n"
            f"      <dc:creator>{esc(a.author)}</dc:creator>\n"
            f"      <category>{esc(a.section)}</category>\n"
            f"      <description>{description}</description>{extra}\n"
            "    </item>"
        )
    joined = "\n".join(items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{esc(outlet.name)}</title>
    <link>{url(outlet.home_path)}</link>
    <description>{esc(outlet.tagline)}</description>
    <language>{outlet.language}</language>
    <lastBuildDate>{last}</lastBuildDate>
    <atom:link href="{url(outlet.feed_path)}" rel="self" type="application/rss+xml"/>
{joined}
  </channel>
</rss>
"""


def tag_uri(outlet: Outlet, article: Article | None = None) -> str:
    if article is None:
        return f"tag:{outlet.id}.newsdistill.invalid,2026:feed"
    day = article.published.date().isoformat()
    return f"tag:{outlet.id}.newsdistill.invalid,{day}:{article.url_path}"


def render_atom(outlet: Outlet, articles: Sequence[Article]) -> str:
    ordered = sorted(articles, key=lambda a: (a.published, a.id), reverse=True)
    updated = ordered[0].published_iso if ordered else ""
    entries: list[str] = []
    for a in ordered:
        html = feed_body_html(outlet, a)
        content = f'\n    <content type="html">{esc(html)}</content>' if html is not None else ""
        entries.append(
            "  <entry>\n"
            f"    <title>{esc(a.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href="{url(a.url_path)}"/>\n'
            f"    <id>{tag_uri(outlet, a)}</id>\n"
            f"    <published>{a.published_iso}</published>\n"
            f"    <updated>{a.published_iso}</updated>\n"
            f"    <author><name>{esc(a.author)}</name></author>\n"
            f'    <category term="{esc(a.section)}"/>\n'
            f"    <summary>{esc(a.summary)}</summary>{content}\n"
            "  </entry>"
        )
    joined = "\n".join(entries)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">
  <title>{esc(outlet.name)}</title>
  <subtitle>{esc(outlet.tagline)}</subtitle>
  <id>{tag_uri(outlet)}</id>
  <link rel="self" type="application/atom+xml" href="{url(outlet.feed_path)}"/>
  <link rel="alternate" type="text/html" href="{url(outlet.home_path)}"/>
  <updated>{updated}</updated>
  <author><name>{esc(outlet.name)}</name></author>
{joined}
</feed>
"""


# --------------------------------------------------------------------------- index + OPML


def render_index(outlets: Sequence[Outlet], counts: dict[str, int]) -> str:
    rows = "\n".join(
        f'      <li><a href="{url(o.home_path)}">{esc(o.name)}</a> ({esc(o.style)}, '
        f"{counts.get(o.id, 0)} articles) "
        f'- <a href="{url(o.feed_path)}">{"RSS 2.0" if o.feed_format == "rss" else "Atom"} '
        "feed</a></li>"
        for o in outlets
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{SITE_TITLE}</title>
  <meta name="description" content="Fictional news outlets and feeds for the newsdistill demo.">
  <link rel="canonical" href="{url("/index.html")}">
</head>
<body>
  <main>
    <h1>{SITE_TITLE}</h1>
    <p>Fictional outlets, invented news.
       All feeds are also listed in <a href="{url("/opml.xml")}">opml.xml</a>.</p>
    <ul>
{rows}
    </ul>
  </main>
</body>
</html>
"""


def render_opml(outlets: Sequence[Outlet], created: datetime) -> str:
    rows = "\n".join(
        f'    <outline type="rss" text="{esc(o.name)}" title="{esc(o.name)}" '
        f'xmlUrl="{url(o.feed_path)}" htmlUrl="{url(o.home_path)}" language="{o.language}" '
        f'version="{"RSS2" if o.feed_format == "rss" else "ATOM"}"/>'
        for o in outlets
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>{SITE_TITLE}: outlet feeds</title>
    <dateCreated>{format_datetime(created)}</dateCreated>
  </head>
  <body>
{rows}
  </body>
</opml>
"""


# --------------------------------------------------------------------------- build


def build(out_dir: Path, src_dir: Path = HERE) -> int:
    """Render the site into ``out_dir`` (wiped first). Returns the number of files written."""
    outlets = load_outlets(src_dir / "outlets.json")
    articles = load_articles(src_dir / "articles.json", load_sections(src_dir / "manifest.json"))
    by_outlet: dict[str, list[Article]] = {oid: [] for oid in outlets}
    for a in articles:
        if a.outlet not in outlets:
            raise ValueError(f"article {a.id} has unknown outlet {a.outlet!r}")
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
        own = by_outlet[oid]
        feed = render_rss(outlet, own) if outlet.feed_format == "rss" else render_atom(outlet, own)
        emit(outlet.feed_path, feed)
        emit(outlet.home_path, render_outlet_home(outlet, own))
    ordered_outlets = list(outlets.values())
    emit("/index.html", render_index(ordered_outlets, {k: len(v) for k, v in by_outlet.items()}))
    created = max(a.published for a in articles)
    emit("/opml.xml", render_opml(ordered_outlets, created))
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
