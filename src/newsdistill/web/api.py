"""The JSON API under /api: stories, digests with every version, articles, feeds, search.

Read-only unless a write token is configured; then `POST /api/feeds` adds a feed for a
request bearing `Authorization: Bearer <token>` (401 without one, 403 with a wrong one).
A digest is returned as `newsdistill.models.Digest`, the published JSON schema.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from newsdistill.models import Article, Digest, Feed
from newsdistill.web import reading
from newsdistill.web.coverage import OutletReport
from newsdistill.web.deps import Config
from newsdistill.web.frontpage import FrontItem
from newsdistill.web.reading import FRONT_PAGE_STORIES, front_items, story_versions

router = APIRouter(prefix="/api")
_bearer = HTTPBearer(auto_error=False, description="The write token set in the configuration.")


class StorySummary(BaseModel):
    id: str
    headline: str
    summary: str  # the digest's short form, or its lede
    outlets: list[str]  # every distinct outlet that reported it
    article_count: int
    first_published: dt.datetime
    last_updated: dt.datetime
    digest_version: int
    url: str  # the story's page


class VersionInfo(BaseModel):
    version: int
    created_at: dt.datetime
    writer: str
    headline: str
    sentences: int
    verified: int
    url: str  # this version as JSON


class StoryDetail(StorySummary):
    digest: Digest  # the newest version
    versions: list[VersionInfo]
    coverage: list[OutletReport]  # who reported it, first reporter first


class SearchResults(BaseModel):
    query: str
    stories: list[StorySummary]
    articles: list[Article]


class NewFeed(BaseModel):
    url: str
    title: str | None = None
    topic: str | None = None


def _summary(request: Request, item: FrontItem) -> StorySummary:
    story, digest = item.story, item.digest
    return StorySummary(
        id=story.id,
        headline=digest.headline.text,
        summary=" ".join(c.text for c in item.short),
        outlets=item.outlets,
        article_count=len(story.article_ids),
        first_published=story.first_published,
        last_updated=story.last_updated,
        digest_version=digest.version,
        url=str(request.url_for("story_page", story_id=story.id)),
    )


def _version(request: Request, digest: Digest) -> VersionInfo:
    return VersionInfo(
        version=digest.version,
        created_at=digest.created_at,
        writer=digest.writer,
        headline=digest.headline.text,
        sentences=digest.verification.sentences,
        verified=digest.verification.verified,
        url=str(request.url_for("story_version", story_id=digest.story_id, version=digest.version)),
    )


@router.get("/stories", summary="Current stories, ranked like the front page")
def list_stories(
    request: Request,
    config: Config,
    limit: Annotated[int, Query(ge=1, le=500)] = FRONT_PAGE_STORIES,
    topic: Annotated[str | None, Query(max_length=100, description="only this topic")] = None,
) -> list[StorySummary]:
    items = front_items(config.store, topic or None, limit=limit)
    return [_summary(request, item) for item in items]


@router.get("/stories/{story_id}", summary="A story with its newest digest and its versions")
def get_story(request: Request, config: Config, story_id: str) -> StoryDetail:
    story = story_versions(config.store, story_id)
    latest = story.get(None)
    return StoryDetail(
        **_summary(request, FrontItem(story.story, latest)).model_dump(),
        digest=latest,
        versions=[_version(request, d) for d in story.versions],
        coverage=story.coverage,
    )


@router.get("/stories/{story_id}/versions", summary="Every digest version of a story")
def list_versions(request: Request, config: Config, story_id: str) -> list[VersionInfo]:
    return [_version(request, d) for d in story_versions(config.store, story_id).versions]


@router.get(
    "/stories/{story_id}/versions/{version}",
    name="story_version",
    summary="One digest version, in the published JSON schema",
)
def get_version(config: Config, story_id: str, version: int) -> Digest:
    return story_versions(config.store, story_id).get(version)


@router.get("/articles/{article_id}", summary="A stored article")
def get_article(config: Config, article_id: int) -> Article:
    return config.store.get_article(article_id)


@router.get("/search", summary="Full-text search over stories and articles")
def search(
    request: Request, config: Config, q: Annotated[str, Query(min_length=1, max_length=200)]
) -> SearchResults:
    items, articles = reading.search(config.store, q)
    stories = [_summary(request, item) for item in items]
    return SearchResults(query=q, stories=stories, articles=articles)


@router.get("/feeds", summary="The feeds polled, with their last fetch")
def list_feeds(config: Config) -> list[Feed]:
    return config.store.list_feeds()


def require_write_token(
    config: Config,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    if config.write_token is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "this server is read-only: set NEWSDISTILL_WRITE_TOKEN to allow writes",
        )
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not secrets.compare_digest(credentials.credentials.encode(), config.write_token.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong token")


@router.post(
    "/feeds",
    summary="Add a feed (needs the write token); 201 if new, 200 if already known",
    dependencies=[Depends(require_write_token)],
    status_code=status.HTTP_201_CREATED,
)
def add_feed(config: Config, body: NewFeed, response: Response) -> Feed:
    feed, new = config.room.add_feed(body.url, body.title, body.topic)
    if not new:
        response.status_code = status.HTTP_200_OK
    return feed
