"""The web app: `create_app(room)` gives the FastAPI application that `newsdistill serve` runs.

Pages are server-rendered and readable without JavaScript; the JSON API lives under /api with
its OpenAPI docs at /docs. Everything is read from the newsroom's one `Store`; the only write
(adding a feed, through the pipeline as `feeds add` does) needs the configured token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from newsdistill.errors import InputError, NewsdistillError, NotFoundError
from newsdistill.pipeline import Newsroom
from newsdistill.publish.html import STYLESHEET
from newsdistill.web import api, pages
from newsdistill.web.cache import Revisions
from newsdistill.web.deps import WebConfig, config
from newsdistill.web.templating import render

STATIC = Path(__file__).parent / "static"
# Who raised what, as HTTP: anything else a NewsdistillError says is the server's fault.
_STATUS: tuple[tuple[type[NewsdistillError], int], ...] = (
    (NotFoundError, 404),
    (InputError, 422),
)


def create_app(
    room: Newsroom,
    *,
    site_title: str = "newsdistill",
    write_token: str | None = None,
    revision_max_age: float = 0.0,
) -> FastAPI:
    """`revision_max_age`: how many seconds a kept page may go on being served after the store
    changed (see `cache.Revision`); 0 checks the store at every request."""
    # FastAPIOffline serves the docs pages' Swagger UI and ReDoc from the package, not a CDN.
    app = FastAPIOffline(
        title=f"{site_title} API",
        summary="Stories, their cited and verified digests with every version, articles, feeds.",
        version="1",
    )
    revisions = Revisions(room.store.revision, revision_max_age)
    app.state.config = WebConfig(room, revisions, site_title, write_token or None)
    app.mount("/static/digest", StaticFiles(directory=STYLESHEET.parent), name="digest_static")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)
    app.add_exception_handler(NewsdistillError, _error)
    return app


async def _error(request: Request, exc: Exception) -> Response:
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(exc)}, status_code=status)
    site_title = config(request).site_title
    page = render("error.html", request, site_title=site_title, status=status, message=str(exc))
    return HTMLResponse(page, status_code=status, headers=pages.SECURITY_HEADERS)
