"""A digest as a standalone HTML page, rendered from the Jinja2 templates in `templates/`.

Autoescaping is on for every template, so source text (titles, outlet names, sentences) is
always text, never markup. Links are emitted only for http(s) URLs (`safe_url`); anything else
is shown as text. Bidi embedding, override and isolate controls are stripped from every value
a template prints, so a hostile outlet name cannot flip the order of the text around it.
Citations are superscript links to the numbered sources list (`#source-N`) whose `title` names
the outlet and sentence position.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from newsdistill.models import Digest
from newsdistill.publish.common import (
    UNVERIFIED,
    SourceNumbering,
    human_date,
    is_verified,
    rfc3339,
    safe_url,
    story_path,
    strip_bidi_controls,
)
from newsdistill.wording import language_name, wording


def _timestamp(moment: dt.date) -> str:
    """The machine-readable form for `<time datetime>`: RFC 3339 for a moment, ISO for a day."""
    return rfc3339(moment) if isinstance(moment, dt.datetime) else moment.isoformat()


def _printed(value: Any) -> Any:
    """What a template prints for `value`: strings lose their bidi controls, markup stays markup."""
    if isinstance(value, Markup):
        return Markup(strip_bidi_controls(value))
    if isinstance(value, str):
        return strip_bidi_controls(value)
    return value


# Shared with the web reader (newsdistill.web), which overlays its own templates on these.
TEMPLATES = Environment(
    loader=PackageLoader("newsdistill.publish", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    finalize=_printed,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    auto_reload=False,  # package files: re-checking each one on disk at every render is waste
)
# One stylesheet for a digest, shared with the reader (which serves the file itself).
STYLESHEET = Path(__file__).parent / "static" / "digest.css"
# What the templates call: the same helpers every other format uses.
TEMPLATES.globals |= {
    "digest_css": Markup(STYLESHEET.read_text(encoding="utf-8")),  # our own file, not input
    "human_date": human_date,
    "is_verified": is_verified,
    "language_name": language_name,
    "numbering_of": SourceNumbering,
    "safe_url": safe_url,
    "story_path": story_path,
    "timestamp": _timestamp,
    "unverified": UNVERIFIED,
    "wording": wording,
}


def render_page(template: str, **context: Any) -> str:
    """`templates/<template>` rendered with `context`."""
    return TEMPLATES.get_template(template).render(**context)


def render_html(
    digest: Digest, *, site_title: str = "newsdistill", home_url: str | None = None
) -> str:
    """The digest as a full page; `home_url`, if given, adds a link back to the story list."""
    return render_page(
        "story.html", digest=digest, site_title=site_title, home_url=home_url, source_href=""
    )


def render_body(digest: Digest, *, source_href: str = "") -> str:
    """The digest as an `<article>` fragment; `source_href` prefixes its `#source-N` links."""
    return render_page("digest.html", digest=digest, source_href=source_href)
