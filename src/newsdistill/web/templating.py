"""The reader's Jinja2 templates: `templates/` here, over publish's own.

The environment is an overlay of publish's, so it shares its autoescaping, its stripping of
bidi controls from every printed value, its helpers (`safe_url`, `numbering_of`, `timestamp`,
…) and its macros: a sentence and its citations print the same on a served page as in the
static site, and the digest itself is publish's `render_body`.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from jinja2 import ChoiceLoader, PackageLoader

from newsdistill.publish.html import TEMPLATES as PUBLISH_TEMPLATES

TEMPLATES = PUBLISH_TEMPLATES.overlay(
    # The templates are package files: checking each one's mtime on every render cost a
    # sixth of a story page's time under load.
    auto_reload=False,
    loader=ChoiceLoader(
        [
            PackageLoader("newsdistill.web", "templates"),
            PackageLoader("newsdistill.publish", "templates"),
        ]
    ),
)


def render(template: str, request: Request, **context: Any) -> str:
    """`templates/<template>` rendered for `request` (its `url_for` builds the links)."""
    return TEMPLATES.get_template(template).render(request=request, **context)
