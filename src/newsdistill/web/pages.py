"""The HTML pages and the feeds: front page (with search), story pages, what changed.

Every page is autoescaped (see `templating`) and sent with a Content-Security-Policy that
allows only this site's own stylesheet and script, so even markup that slipped into a page
could not run or load anything.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from newsdistill.publish import render_atom, render_json_feed
from newsdistill.web.citations import card_numbering
from newsdistill.web.deps import Config
from newsdistill.web.reading import front_items, search, story_versions
from newsdistill.web.templating import TEMPLATES, render

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"

router = APIRouter(include_in_schema=False)


def _page(template: str, request: Request, config: Config, **context: object) -> HTMLResponse:
    page = render(template, request, site_title=config.site_title, **context)
    return HTMLResponse(page, headers=SECURITY_HEADERS)


@router.get("/", name="front_page")
def front_page(
    request: Request,
    config: Config,
    q: Annotated[str | None, Query(max_length=200)] = None,
    topic: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    query = (q or "").strip()
    found = search(config.store, query)[0] if query else None
    items = front_items(config.store, topic or None) if found is None else found
    return _page(
        "front.html",
        request,
        config,
        items=items,
        query=query,
        topic=topic or "",
        topics=config.store.topics(),
    )


@router.get("/stories/{story_id}.html", name="story_page")
def story_page(
    request: Request, config: Config, story_id: str, version: int | None = None
) -> HTMLResponse:
    story = story_versions(config.store, story_id)
    digest = story.get(version)
    return _page(
        "story_page.html",
        request,
        config,
        story=story,
        digest=digest,
        # Publish's digest template, drawn here with citation cards (web's cite.html).
        body=Markup(
            TEMPLATES.get_template("digest.html").render(
                digest=digest,
                source_href="",
                numbering_of=lambda d: card_numbering(config.store, d),
            )
        ),
        changes=story.changes_into(digest),
    )


@router.get("/stories/{story_id}/changes", name="changes_page")
def changes_page(
    request: Request, config: Config, story_id: str, old: int, new: int
) -> HTMLResponse:
    story = story_versions(config.store, story_id)
    return _page("changes.html", request, config, story=story, changes=story.changes(old, new))


@router.get("/feed.atom", name="atom_feed")
@router.get("/topics/{topic:path}/feed.atom", name="topic_atom_feed")
def atom_feed(request: Request, config: Config, topic: str | None = None) -> Response:
    feed = render_atom(
        config.store.latest_digests(topic=topic or None),
        feed_url=str(request.url),
        site_url=str(request.base_url),
        title=f"{config.site_title}: {topic}" if topic else config.site_title,
    )
    return Response(feed, media_type=ATOM_TYPE)


@router.get("/feed.json", name="json_feed")
@router.get("/topics/{topic:path}/feed.json", name="topic_json_feed")
def json_feed(request: Request, config: Config, topic: str | None = None) -> Response:
    feed = render_json_feed(
        config.store.latest_digests(topic=topic or None),
        feed_url=str(request.url),
        site_url=str(request.base_url),
        title=f"{config.site_title}: {topic}" if topic else config.site_title,
    )
    return Response(feed, media_type=JSON_FEED_TYPE)
