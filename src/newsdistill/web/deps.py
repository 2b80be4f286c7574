"""What every route depends on: the app's configuration and its store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from newsdistill.pipeline import Newsroom
from newsdistill.store import Store


@dataclass(frozen=True)
class WebConfig:
    room: Newsroom  # the pipeline over the store: writes go through it, as from the CLI
    site_title: str = "newsdistill"
    write_token: str | None = None  # None: the API is read-only

    @property
    def store(self) -> Store:
        return self.room.store


def config(request: Request) -> WebConfig:
    value: WebConfig = request.app.state.config
    return value


Config = Annotated[WebConfig, Depends(config)]
