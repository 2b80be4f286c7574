"""What every route depends on: the app's configuration and its store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from newsdistill.pipeline import Newsroom
from newsdistill.store import Store
from newsdistill.web.cache import RenderCache, Revisions

# Every page and feed of a large store fits: each story page and its versions, every topic's
# front page and feeds.
PAGE_ENTRIES = 1024


@dataclass(frozen=True)
class WebConfig:
    room: Newsroom  # the pipeline over the store: writes go through it, as from the CLI
    revisions: Revisions  # the store's and each story's, which kept pages are checked against
    site_title: str = "newsdistill"
    write_token: str | None = None  # None: the API is read-only
    pages: RenderCache = field(default_factory=lambda: RenderCache(PAGE_ENTRIES))

    @property
    def store(self) -> Store:
        return self.room.store


def config(request: Request) -> WebConfig:
    value: WebConfig = request.app.state.config
    return value


async def _config(request: Request) -> WebConfig:
    # async: FastAPI runs a plain function dependency in its thread pool, a hop per request.
    return config(request)


Config = Annotated[WebConfig, Depends(_config)]
