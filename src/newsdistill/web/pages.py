"""The HTML pages and the feeds: front page (with search), story pages, what changed.

Every page is autoescaped (see `templating`) and sent with a Content-Security-Policy that
allows only this site's own stylesheet and script, so even markup that slipped into a page
could not run or load anything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from newsdistill.publish import render_atom, render_json_feed
from newsdistill.web.cache import Rendered, respond, respond_kept
from newsdistill.web.citations import card_numbering
from newsdistill.web.deps import Config, WebConfig
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


def _page(template: str, request: Request, config: Config, **context: object) -> Rendered:
    page = render(template, request, site_title=config.site_title, **context)
    return Rendered(page.encode(), "text/html", SECURITY_HEADERS)


async def _cached(
    request: Request,
    config: WebConfig,
    params: tuple[Hashable, ...],
    render: Callable[[], Rendered],
    story_id: str | None = None,
) -> Response:
    """`render`'s response, kept for the store's current revision (see `cache`); `params`: the
    route's parameters, normalised, which with the path decide the body. A kept page is sent
    from the event loop; reading the revision and rendering, which block, run in the thread
    pool (the routes are async for this: a plain route would cost a thread hop per request).
    A story's own pages (`story_id`) are checked against that story's revision alone."""
    revision = config.revisions.of(story_id)
    kept = respond_kept(request, config.pages, revision.known(), params)
    if kept is not None:
        return kept
    return await run_in_threadpool(
        lambda: respond(request, config.pages, revision.current(), params, render)
    )


@router.get("/", name="front_page")
async def front_page(
    request: Request,
    config: Config,
    q: Annotated[str | None, Query(max_length=200)] = None,
    topic: Annotated[str | None, Query(max_length=100)] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    query = (q or "").strip()

    def page() -> Rendered:
        found = search(config.store, query)[0] if query else None
        if found is None:
            found = front_items(config.store, topic or None, language=language or None)
        return _page(
            "front.html",
            request,
            config,
            items=found,
            query=query,
            topic=topic or "",
            topics=config.store.topics(),
            language=language or "",
            languages=config.store.languages(),
        )

    if query:  # searches are rendered afresh: any text can be typed, none should push pages out
        return await run_in_threadpool(lambda: page().response())
    return await _cached(request, config, (topic or "", language or ""), page)


@router.get("/stories/{story_id}.html", name="story_page")
async def story_page(
    request: Request, config: Config, story_id: str, version: int | None = None
) -> Response:
    def page() -> Rendered:
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

    return await _cached(request, config, (version,), page, story_id)


@router.get("/stories/{story_id}/changes", name="changes_page")
async def changes_page(
    request: Request, config: Config, story_id: str, old: int, new: int
) -> Response:
    def page() -> Rendered:
        story = story_versions(config.store, story_id)
        return _page("changes.html", request, config, story=story, changes=story.changes(old, new))

    return await _cached(request, config, (old, new), page, story_id)


async def _feed(
    request: Request,
    config: WebConfig,
    topic: str | None,
    render_feed: Callable[..., str],
    media_type: str,
) -> Response:
    """The Atom or JSON Feed of every story, or of `topic`'s."""

    def feed() -> Rendered:
        body = render_feed(
            config.store.latest_digests(topic=topic or None),
            # Without the query string: the feed's own address is the same for every request.
            feed_url=str(request.url.replace(query="")),
            site_url=str(request.base_url),
            title=f"{config.site_title}: {topic}" if topic else config.site_title,
        )
        return Rendered(body.encode(), media_type)

    return await _cached(request, config, (), feed)


@router.get("/feed.atom", name="atom_feed")
@router.get("/topics/{topic:path}/feed.atom", name="topic_atom_feed")
async def atom_feed(request: Request, config: Config, topic: str | None = None) -> Response:
    return await _feed(request, config, topic, render_atom, ATOM_TYPE)


@router.get("/feed.json", name="json_feed")
@router.get("/topics/{topic:path}/feed.json", name="topic_json_feed")
async def json_feed(request: Request, config: Config, topic: str | None = None) -> Response:
    return await _feed(request, config, topic, render_json_feed, JSON_FEED_TYPE)
