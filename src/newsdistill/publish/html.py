"""A digest as a standalone HTML page: inline CSS, no JavaScript, every source string escaped.

Citations are superscript links to the numbered sources list (`#source-N`) whose `title` names
the outlet and sentence position. Links are emitted only for http(s) URLs; anything else is
shown as text. A Content-Security-Policy forbids scripts even if something slipped through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from newsdistill.models import Citation, Claim, Digest, Disagreement, KeyDevelopment
from newsdistill.publish.common import (
    UNVERIFIED,
    SourceEntry,
    SourceNumbering,
    human_date,
    is_verified,
    rfc3339,
    safe_url,
)

_CSS = """
:root { color-scheme: light dark; --ink: #1d1d1f; --muted: #5f6368; --paper: #fdfcf8;
  --rule: #d9d6cc; --accent: #1a5fb4; --box: #f3f0e6; --warn: #b3261e; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e8e6e1; --muted: #a8a69f; --paper: #161616; --rule: #3a3935;
    --accent: #8ab4f8; --box: #22211e; --warn: #f2b8b5; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 1.125rem/1.65 Charter, "Bitstream Charter", Georgia, "Times New Roman", serif; }
main { max-width: 42rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
nav, .meta, .dateline, .verification, table, .sources, .differ, footer {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
nav { font-size: .9rem; margin-bottom: 1.5rem; }
h1 { font-size: clamp(1.7rem, 4.5vw, 2.4rem); line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 2rem 0 .5rem; }
a { color: var(--accent); }
.dateline, .meta { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
.verification { font-size: .9rem; border-left: 3px solid var(--accent); padding-left: .6rem; }
.lede { font-size: 1.2rem; }
sup.cite { font-size: .7em; line-height: 0; white-space: nowrap; }
sup.cite a { text-decoration: none; }
mark.unverified { background: none; color: var(--warn); font-weight: 700; font-size: .8em; }
.differ { background: var(--box); border-radius: 6px; padding: .25rem 1rem; margin: 2rem 0;
  font-size: .95rem; }
.differ h2 { margin-top: .75rem; font-size: 1.05rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem;
  border-bottom: 1px solid var(--rule); }
td.date { white-space: nowrap; }
.sources { font-size: .9rem; padding-left: 1.5rem; }
.sources li { margin: .35rem 0; overflow-wrap: anywhere; }
.sources li:target { background: var(--box); }
footer { border-top: 1px solid var(--rule); margin-top: 2.5rem; padding-top: 1rem;
  color: var(--muted); font-size: .85rem; }
.stories { list-style: none; padding: 0; }
.stories li { border-bottom: 1px solid var(--rule); padding: 1rem 0; }
.stories h2 { margin: 0 0 .25rem; }
.stories h2 a { color: inherit; text-decoration: none; }
"""

_UNVERIFIED_MARK = (
    f'<mark class="unverified" title="not verified against the sources">{UNVERIFIED}</mark>'
)
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def html_page(title: str, body: str, *, head_extra: str = "") -> str:
    """A complete page around `body` (already HTML); `title` is plain text."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n{head_extra}<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def render_html(
    digest: Digest, *, site_title: str = "newsdistill", home_url: str | None = None
) -> str:
    """The digest as a full page; `home_url`, if given, adds a link back to the story list."""
    nav = (
        f'<nav><a href="{escape(home_url)}">{escape(site_title)}</a></nav>\n'
        if home_url is not None
        else f"<nav>{escape(site_title)}</nav>\n"
    )
    return html_page(f"{digest.headline.text} — {site_title}", nav + render_body(digest))


def render_body(digest: Digest) -> str:
    """The digest as an `<article>` fragment: what the page shows and what feeds carry."""
    numbering = SourceNumbering(digest)

    def claim(c: Claim) -> str:
        return claim_html(c, numbering)

    parts = [
        '<article class="digest">\n<header>\n',
        f"<h1>{claim(digest.headline)}</h1>\n",
        f'<p class="dateline">{escape(digest.dateline)}</p>\n',
        f'<p class="meta">Digest version {digest.version} · written by '
        f"{escape(digest.writer)} · {_time(digest.created_at)}</p>\n",
        f'<p class="verification">{escape(digest.verification.line())}</p>\n</header>\n',
        f'<p class="lede">{claim(digest.lede)}</p>\n',
    ]
    for section in digest.sections:
        parts.append(f"<section>\n<h2>{escape(section.heading)}</h2>\n")
        parts.extend(f"<p>{claim(c)}</p>\n" for c in section.claims)
        parts.append("</section>\n")
    if digest.disagreements:
        items = "".join(_disagreement(d, numbering) for d in digest.disagreements)
        parts.append(f'<aside class="differ">\n<h2>Where sources differ</h2>\n<ul>\n{items}</ul>\n')
        parts.append("</aside>\n")
    if digest.path_ahead:
        items = "".join(f"<li>{claim(c)}</li>\n" for c in digest.path_ahead)
        parts.append(f"<section>\n<h2>Projected path ahead</h2>\n<ul>\n{items}</ul>\n</section>\n")
    if digest.key_developments:
        parts.append(_key_developments(digest.key_developments, numbering))
    items = "".join(_source(entry) for entry in numbering.entries)
    parts.append(f'<section>\n<h2>Sources</h2>\n<ol class="sources">\n{items}</ol>\n</section>\n')
    parts.append(f"<footer>\n<p>{escape(digest.disclaimer)}</p>\n</footer>\n</article>\n")
    return "".join(parts)


def claim_html(claim: Claim, numbering: SourceNumbering, *, source_href: str = "") -> str:
    """A sentence with its citations; `source_href` prefixes the `#source-N` anchors."""
    return _sentence(
        claim.text, claim.citations, numbering, verified=is_verified(claim), href=source_href
    )


def _sentence(
    text: str,
    citations: Sequence[Citation],
    numbering: SourceNumbering,
    *,
    verified: bool = True,
    href: str = "",
) -> str:
    out = escape(text)
    cited = numbering.cite(citations)
    if cited:
        links = ", ".join(
            f'<a href="{escape(href)}#source-{c.number}" title="{escape(c.label())}">{c.number}</a>'
            for c in cited
        )
        out += f'<sup class="cite">[{links}]</sup>'
    if not verified:
        out += f" {_UNVERIFIED_MARK}"
    return out


def _disagreement(disagreement: Disagreement, numbering: SourceNumbering) -> str:
    values = "; ".join(
        _sentence(f"{v.display} ({', '.join(v.outlets)})", v.citations, numbering)
        for v in disagreement.values
    )
    return f"<li><strong>{escape(disagreement.fact)}</strong>: {values}</li>\n"


def _key_developments(rows: Sequence[KeyDevelopment], numbering: SourceNumbering) -> str:
    body = "".join(
        f'<tr><td>{escape(k.event)}</td><td class="date">{_time(k.date)}</td>'
        f"<td>{claim_html(k.details, numbering)}</td></tr>\n"
        for k in rows
    )
    return (
        '<section>\n<h2>Key developments</h2>\n<div class="table-wrap"><table>\n'
        '<thead><tr><th scope="col">Event</th><th scope="col">Date</th>'
        f'<th scope="col">Details</th></tr></thead>\n<tbody>\n{body}</tbody>\n'
        "</table></div>\n</section>\n"
    )


def _source(entry: SourceEntry) -> str:
    start = f'<li id="source-{entry.number}"><span class="outlet">{escape(entry.outlet)}</span> — '
    if entry.ref is None:
        return f"{start}cited, but missing from the source list</li>\n"
    ref = entry.ref
    url = safe_url(ref.url)
    title = (
        f'<a href="{escape(url)}" rel="nofollow noopener noreferrer">{escape(ref.title)}</a>'
        if url
        else f'{escape(ref.title)} <span class="url">{escape(ref.url)}</span>'
    )
    also = (
        f". Also published by {escape(', '.join(ref.also_published_by))}"
        if ref.also_published_by
        else ""
    )
    return f"{start}{title} ({_time(ref.published)}){also}</li>\n"


def _time(moment: dt.date) -> str:
    stamp = rfc3339(moment) if isinstance(moment, dt.datetime) else moment.isoformat()
    return f'<time datetime="{stamp}">{human_date(moment)}</time>'
