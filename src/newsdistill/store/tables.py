"""SQLAlchemy table definitions. Schema changes go through a numbered migration in migrations/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from newsdistill.timeutil import as_utc


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC and always returns timezone-aware UTC datetimes (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else as_utc(value)


def _without_nul(value: Any) -> Any:
    """`value` with the NUL characters taken out of every string in it (JSON keys too)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


# Text from feeds, pages and files, stored alike on both databases. PostgreSQL refuses a NUL
# character and a value longer than its column, where SQLite keeps both: so NULs are dropped
# and names and titles cut to the column's length on either, and one hostile input can neither
# fail a write on PostgreSQL nor store differently there. (URLs, ids and hashes are identities
# and are never cut.)
class PlainString(TypeDecorator[str]):
    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        column = self.impl_instance
        assert isinstance(column, String)
        return None if value is None else _without_nul(value)[: column.length]


class PlainText(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else _without_nul(value)


class PlainJSON(TypeDecorator[Any]):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return _without_nul(value)


class Base(DeclarativeBase):
    pass


# The full-text indexes, which SQLAlchemy cannot map; schema comparisons leave them out. On
# SQLite (migration 0003): FTS5 virtual tables and their shadow tables. On PostgreSQL
# (migration 0005): GIN indexes over tsvector expressions.
SEARCH_TABLES = ("article_search", "story_search")
SEARCH_INDEXES = ("ix_articles_search", "ix_digests_search")


def is_mapped_schema(name: str | None, type_: str, _parent: object = None) -> bool:
    """Whether a reflected object is part of the mapped schema (Alembic's `include_name`)."""
    if type_ == "table":
        return not (name or "").startswith(SEARCH_TABLES)
    return type_ != "index" or name not in SEARCH_INDEXES


class FeedRow(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(PlainString(512))
    etag: Mapped[str | None] = mapped_column(PlainString(512))
    last_modified: Mapped[str | None] = mapped_column(PlainString(128))
    last_fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(PlainText)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    topic: Mapped[str | None] = mapped_column(PlainString(256))
    poll_interval: Mapped[int | None] = mapped_column(Integer)  # seconds; None: the default
    next_poll_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    canonical_url: Mapped[str | None] = mapped_column(String(2048), index=True)
    title: Mapped[str] = mapped_column(PlainText, default="")
    text: Mapped[str] = mapped_column(PlainText, default="")
    sentences: Mapped[list[str]] = mapped_column(PlainJSON, default=list)
    outlet: Mapped[str] = mapped_column(PlainString(256), default="")
    author: Mapped[str | None] = mapped_column(PlainString(512))
    published: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    language: Mapped[str | None] = mapped_column(PlainString(16))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    content_hash: Mapped[str] = mapped_column(String(64), index=True, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(PlainText)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    story_id: Mapped[str | None] = mapped_column(ForeignKey("stories.id"), index=True)
    fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # signal → term → count


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    headline: Mapped[str] = mapped_column(PlainText)
    first_published: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_updated: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    centroid: Mapped[bytes] = mapped_column(LargeBinary)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # signal → term → count
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class DigestRow(Base):
    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("story_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    writer: Mapped[str] = mapped_column(String(64))
    article_set: Mapped[str] = mapped_column(String(64))  # hash of the member article ids
    headline: Mapped[str] = mapped_column(PlainText)
    sentences: Mapped[int] = mapped_column(Integer)
    verified: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(PlainJSON)


class CitationRow(Base):
    __tablename__ = "citations"
    __table_args__ = (Index("ix_citations_article", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id", ondelete="CASCADE"), index=True)
    claim_index: Mapped[int] = mapped_column(Integer)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    sentence: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
