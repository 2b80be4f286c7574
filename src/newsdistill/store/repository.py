"""Store: every read and write of newsdistill's data goes through this class.

Methods take and return the pydantic models of `newsdistill.models`; rows never leave this module.
Writes are idempotent (a URL is stored once) so any command can be re-run safely.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import numpy as np
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Insert, create_engine, delete, event, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from newsdistill.cluster import ClusterState, Vector
from newsdistill.errors import DatabaseError, NotFoundError, StoreError
from newsdistill.models import (
    Article,
    ArticleStatus,
    Digest,
    Feed,
    Story,
)
from newsdistill.store import locks, vectors
from newsdistill.store.search import queries_for
from newsdistill.store.tables import ArticleRow, CitationRow, DigestRow, FeedRow, StoryRow

MIGRATIONS = Path(__file__).parent / "migrations"
_WORD = re.compile(r"\w+")
_MIGRATING = 0x6E657773  # PostgreSQL advisory lock key of `migrate`: "news" in ASCII


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.lookup = vectors.Lookup(False, "not detected: the store was not migrated")
        self._indexed_dims: set[int] = set()
        # The session of the `transaction` under way in this thread or task, if any.
        self._active: ContextVar[Session | None] = ContextVar("transaction", default=None)

    # --- lifecycle -------------------------------------------------------------------

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (creating if needed) the database at `url` and bring its schema up to date."""
        if url.startswith("sqlite:///") and not url.startswith(("sqlite:///:", "sqlite:///file:")):
            folder = Path(url.removeprefix("sqlite:///")).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create {folder} for the database: {exc}") from exc
        try:
            engine = create_engine(url)
        except ImportError as exc:
            # The driver is an extra: say which one to install, not just the missing module.
            hint = " (pip install 'newsdistill[postgres]')" if url.startswith("postgres") else ""
            raise StoreError(f"cannot open database {url!r}: {exc}{hint}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database {url!r}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.migrate()
        return store

    def migrate(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # Processes opening a new database at once (workers, `serve --watch` and a
                    # command) would each create the tables, and all but one fail: they take
                    # turns, and the later ones find the schema current. Held to the commit.
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATING})
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                self.lookup = vectors.prepare(conn)
        except SQLAlchemyError as exc:
            raise database_error(exc, "cannot migrate the database") from exc
        vectors.announce(self.lookup)

    def close(self) -> None:
        self.engine.dispose()

    def exclusive(self, name: str) -> AbstractContextManager[None]:
        """A lock on this store shared by every process that opens it (see store.locks)."""
        return locks.exclusive(self.engine, name)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: all of it is stored or, on any error, none of it. Inside a
        `transaction`, that one."""
        active = self._active.get()
        try:
            if active is not None:
                yield active
            else:
                with self._sessions.begin() as session:
                    yield session
        except SQLAlchemyError as exc:
            raise database_error(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Every call on this store inside the block (in this thread) is one transaction: a
        batch of writes commits whole or not at all, and costs one commit instead of one each."""
        if self._active.get() is not None:
            yield
            return
        with self.session() as session:
            token = self._active.set(session)
            try:
                yield
            finally:
                self._active.reset(token)

    def _insert_new(
        self, s: Session, table: type[FeedRow] | type[ArticleRow], values: dict[str, Any]
    ) -> int | None:
        """Insert a row unless its URL is stored already; its id, or None when another process
        inserted the same URL since we looked (a unique violation would fail the transaction)."""
        statement: Insert
        if self.engine.dialect.name == "postgresql":
            statement = (
                postgresql.insert(table)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["url"])
            )
        else:
            statement = (
                sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=["url"])
            )
        new_id: int | None = s.scalar(statement.returning(table.id))
        return new_id

    # --- feeds -----------------------------------------------------------------------

    def add_feed(
        self, url: str, title: str | None = None, topic: str | None = None
    ) -> tuple[Feed, bool]:
        """Add a feed; returns it and whether it was new (adding twice is harmless; a topic
        given again replaces the old one, a missing title is filled in)."""
        with self.session() as s:
            row = s.scalar(select(FeedRow).where(FeedRow.url == url))
            if row is None:
                values = {"url": url, "title": title, "topic": topic, "error_count": 0}
                new_id = self._insert_new(s, FeedRow, {**values, "added_at": _now()})
                if new_id is not None:
                    return _feed(s.get_one(FeedRow, new_id)), True
                row = s.scalars(select(FeedRow).where(FeedRow.url == url)).one()
            if title and not row.title:
                row.title = title
            if topic:
                row.topic = topic
            return _feed(row), False

    def list_feeds(self) -> list[Feed]:
        with self.session() as s:
            return [_feed(r) for r in s.scalars(select(FeedRow).order_by(FeedRow.id))]

    def update_feed(self, feed: Feed) -> None:
        with self.session() as s:
            row = s.get(FeedRow, feed.id)
            if row is None:
                raise NotFoundError(f"no feed with id {feed.id}")
            for name in (
                "title",
                "etag",
                "last_modified",
                "last_fetched_at",
                "last_status",
                "last_error",
                "error_count",
                "topic",
                "poll_interval",
                "next_poll_at",
            ):
                setattr(row, name, getattr(feed, name))

    # --- articles --------------------------------------------------------------------

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """The URLs among `urls` that are already stored successfully (failures may be retried)."""
        if not urls:
            return set()
        with self.session() as s:
            rows = s.execute(
                select(ArticleRow.url, ArticleRow.status).where(ArticleRow.url.in_(urls))
            )
            return {u for u, status in rows if status != ArticleStatus.FAILED}

    def add_article(self, article: Article) -> tuple[Article, bool]:
        """Store an article; if its URL is known, return the stored one and False.

        A stored failure for the same URL is replaced by a success, never the other way round.
        """
        with self.session() as s:
            row = s.scalar(select(ArticleRow).where(ArticleRow.url == article.url))
            if row is not None:
                if row.status != ArticleStatus.FAILED or article.status == ArticleStatus.FAILED:
                    if article.status == ArticleStatus.FAILED:
                        row.error = article.error
                    return _article(row), False
                s.delete(row)
                s.flush()
            values = article.model_dump(exclude={"id", "status"})
            new_id = self._insert_new(s, ArticleRow, {**values, "status": str(article.status)})
            if new_id is None:
                stored = s.scalars(select(ArticleRow).where(ArticleRow.url == article.url))
                return _article(stored.one()), False
            # What was stored (tables.py takes out what no database can hold).
            return _article(s.get_one(ArticleRow, new_id)), True

    def get_article(self, article_id: int) -> Article:
        with self.session() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            return _article(row)

    def get_articles(self, ids: Sequence[int]) -> list[Article]:
        with self.session() as s:
            rows = s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids)))
            by_id = {r.id: _article(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def find_exact_copy(
        self, article_id: int, content_hash: str, canonical_url: str | None
    ) -> Article | None:
        """A clustered article other than `article_id` with this text or this canonical URL.

        Only an article already placed in a story can be an original: a pending one is not,
        whatever its id, so the copy processed first is kept and the later ones join its story.
        """
        same = ArticleRow.content_hash == content_hash
        if canonical_url:
            same = or_(same, ArticleRow.canonical_url == canonical_url)
        with self.session() as s:
            row = s.scalar(
                select(ArticleRow)
                .where(same, ArticleRow.status == ArticleStatus.CLUSTERED)
                .where(ArticleRow.id != article_id)
                .order_by(ArticleRow.id)
                .limit(1)
            )
            return None if row is None else _article(row)

    def pending_articles(self) -> list[Article]:
        """Extracted articles not yet deduplicated and clustered, oldest first."""
        with self.session() as s:
            rows = s.scalars(
                select(ArticleRow)
                .where(ArticleRow.status == ArticleStatus.READY)
                .order_by(ArticleRow.published, ArticleRow.id)
            )
            return [_article(r) for r in rows]

    def minhashes(self, since: dt.datetime) -> list[tuple[int, bytes]]:
        """Signatures of clustered articles published after `since`, for near-duplicate lookup."""
        with self.session() as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.minhash).where(
                    ArticleRow.status == ArticleStatus.CLUSTERED,
                    ArticleRow.minhash.is_not(None),
                    ArticleRow.published >= since,
                )
            )
            return [(i, m) for i, m in rows if m is not None]

    def mark_duplicate(self, article_id: int, original_id: int, minhash: bytes | None) -> str:
        """Record a copy of a clustered article; it joins the original's story, returned."""
        with self.session() as s:
            row = s.get(ArticleRow, article_id)
            original = s.get(ArticleRow, original_id)
            if row is None or original is None:
                raise NotFoundError(f"no article with id {article_id} or {original_id}")
            story = None if original.story_id is None else s.get(StoryRow, original.story_id)
            if story is None:
                # A copy of an unplaced article would be left without a story.
                raise StoreError(f"article {original_id} is in no story yet")
            row.status = ArticleStatus.DUPLICATE
            row.duplicate_of = original_id
            row.story_id = story.id
            row.minhash = minhash
            story.last_updated = max(story.last_updated, row.published)
            return story.id

    def article_profiles(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Stored clustering profiles of the given articles (those clustered already)."""
        with self.session() as s:
            query = select(ArticleRow.id, ArticleRow.profile).where(ArticleRow.id.in_(ids))
            rows = s.execute(query)
            return {i: dict(profile or {}) for i, profile in rows}

    def assign_story(
        self,
        article_id: int,
        state: ClusterState,
        embedding: Vector,
        minhash: bytes | None,
        profile: dict[str, Any],
    ) -> None:
        """Store an article's features and its story, creating or updating the story row."""
        with self.session() as s:
            story = s.get(StoryRow, state.story_id)
            if story is None:
                story = StoryRow(id=state.story_id)
                s.add(story)
            story.headline = state.headline
            story.first_published = state.first_published
            story.last_updated = state.last_updated
            story.centroid = state.centroid.astype(np.float32).tobytes()
            story.profile = state.profile
            story.article_count = state.article_count
            s.flush()
            if self.lookup.indexed:
                vectors.record(s, state.story_id, state.centroid[: len(embedding)])
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            row.embedding = embedding.astype(np.float32).tobytes()
            row.minhash = minhash
            row.profile = profile
            row.story_id = state.story_id
            row.status = ArticleStatus.CLUSTERED

    def cluster_states(self, since: dt.datetime) -> list[ClusterState]:
        """Stories updated after `since`: the candidates a new article may join."""
        with self.session() as s:
            rows = s.scalars(select(StoryRow).where(StoryRow.last_updated >= since))
            states = {
                r.id: ClusterState(
                    story_id=r.id,
                    centroid=np.frombuffer(r.centroid, dtype=np.float32).copy(),
                    profile={
                        signal: {k: float(v) for k, v in terms.items()}
                        for signal, terms in r.profile.items()
                    },
                    first_published=r.first_published,
                    last_updated=r.last_updated,
                    article_count=r.article_count,
                    headline=r.headline,
                )
                for r in rows
            }
            if states:
                members = s.execute(
                    select(ArticleRow.story_id, ArticleRow.id).where(
                        ArticleRow.story_id.in_(list(states)),
                        ArticleRow.status == ArticleStatus.CLUSTERED,
                    )
                )
                for story_id, article_id in members:
                    if story_id is not None:
                        states[story_id].members.append(article_id)
            return list(states.values())

    def nearest_stories(
        self, embedding: Vector, published: dt.datetime, window: dt.timedelta, k: int
    ) -> set[str] | None:
        """The ids of the stories active in the window around `published` that an article with
        this embedding is to be scored against: through the pgvector index, the `k` nearest
        (and any the index does not cover); on the in-process path None, meaning all of them."""
        if not self.lookup.indexed:
            return None
        dim = len(embedding)
        if dim not in self._indexed_dims:
            with self.session() as s:
                vectors.ensure_index(s.connection(), dim, _MIGRATING)
            self._indexed_dims.add(dim)
        with self.session() as s:
            return vectors.nearest(s, embedding, published, window, k)

    def active_stories(self, since: dt.datetime) -> int:
        """How many stories were updated after `since`: the in-process path scores them all."""
        with self.session() as s:
            query = select(func.count()).where(StoryRow.last_updated >= since)
            return s.scalar(query) or 0

    # --- stories ---------------------------------------------------------------------

    def list_stories(
        self, limit: int | None = None, topic: str | None = None, language: str | None = None
    ) -> list[Story]:
        """Stories, most recently updated first; with `topic`, only those it is among the
        topics of (a story's topics are its kept articles' feeds' topics, as in `Story`);
        with `language`, only those a kept article of is written in it."""
        with self.session() as s:
            query = select(StoryRow).order_by(StoryRow.last_updated.desc(), StoryRow.id)
            if language:
                query = query.where(
                    StoryRow.id.in_(
                        select(ArticleRow.story_id).where(
                            ArticleRow.language == language,
                            ArticleRow.status == ArticleStatus.CLUSTERED,
                        )
                    )
                )
            if topic:
                query = query.where(
                    StoryRow.id.in_(
                        select(ArticleRow.story_id)
                        .join(FeedRow, FeedRow.id == ArticleRow.feed_id)
                        .where(FeedRow.topic == topic, ArticleRow.status == ArticleStatus.CLUSTERED)
                    )
                )
            if limit:
                query = query.limit(limit)
            rows = list(s.scalars(query))
            return [self._story(s, r) for r in rows]

    def topics(self) -> list[str]:
        """Every topic some story has, sorted (in Python: the databases collate differently)."""
        with self.session() as s:
            found = s.scalars(
                select(FeedRow.topic)
                .distinct()
                .join(ArticleRow, ArticleRow.feed_id == FeedRow.id)
                .where(FeedRow.topic.is_not(None), ArticleRow.status == ArticleStatus.CLUSTERED)
            )
            return sorted(t for t in found if t)

    def languages(self) -> list[str]:
        """Every language some story has a kept article in, sorted."""
        with self.session() as s:
            found = s.scalars(
                select(ArticleRow.language)
                .distinct()
                .where(
                    ArticleRow.language.is_not(None),
                    ArticleRow.status == ArticleStatus.CLUSTERED,
                )
            )
            return sorted(code for code in found if code)

    def get_story(self, story_id: str) -> Story:
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            if row is None:
                # A prefix as typed: not LIKE, whose wildcards and case folding (SQLite's, not
                # PostgreSQL's) would make one prefix name different stories by database.
                prefix = func.substr(StoryRow.id, 1, len(story_id)) == story_id
                matches = list(s.scalars(select(StoryRow).where(prefix).limit(2)))
                if len(matches) != 1:
                    raise NotFoundError(f"no story with id {story_id!r}")
                row = matches[0]
            return self._story(s, row)

    def close_stale_stories(self, before: dt.datetime) -> list[str]:
        """Close the open stories with no report since `before`; returns their ids."""
        with self.session() as s:
            rows = list(
                s.scalars(
                    select(StoryRow).where(
                        StoryRow.closed_at.is_(None), StoryRow.last_updated < before
                    )
                )
            )
            now = _now()
            for row in rows:
                row.closed_at = now
            return [r.id for r in rows]

    def reopen_stories(self, story_ids: Iterable[str]) -> None:
        """Mark these stories open again (they gained a report)."""
        ids = list(story_ids)
        if not ids:
            return
        with self.session() as s:
            for row in s.scalars(select(StoryRow).where(StoryRow.id.in_(ids))):
                row.closed_at = None

    def story_articles(self, story_id: str) -> tuple[list[Article], list[Article]]:
        """A story's kept articles and its syndicated copies, both by publication time."""
        with self.session() as s:
            rows = s.scalars(
                select(ArticleRow)
                .where(ArticleRow.story_id == story_id)
                .order_by(ArticleRow.published, ArticleRow.id)
            )
            articles = [_article(r) for r in rows]
        kept = [a for a in articles if a.status == ArticleStatus.CLUSTERED]
        copies = [a for a in articles if a.status == ArticleStatus.DUPLICATE]
        return kept, copies

    def _story(self, s: Session, row: StoryRow) -> Story:
        members = s.execute(
            select(ArticleRow.id, ArticleRow.outlet, FeedRow.topic)
            .outerjoin(FeedRow, FeedRow.id == ArticleRow.feed_id)
            .where(ArticleRow.story_id == row.id, ArticleRow.status == ArticleStatus.CLUSTERED)
            .order_by(ArticleRow.published, ArticleRow.id)
        ).all()
        topics = Counter(m.topic for m in members if m.topic)
        return Story(
            id=row.id,
            headline=row.headline,
            first_published=row.first_published,
            last_updated=row.last_updated,
            article_ids=[m.id for m in members if m.id is not None],
            outlets=sorted({m.outlet for m in members}),
            digest_version=_latest_version(s, row.id),
            topics=[t for t, _ in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))],
            closed_at=row.closed_at,
        )

    # --- digests ---------------------------------------------------------------------

    def digest_is_current(self, story_id: str, article_set: str, writer: str) -> bool:
        """Whether the newest version was asked of `writer` over this article set. A model
        writer whose every job fell back is stored as worded by "extractive"; it was still
        asked, and asking again would only write the same digest again."""
        with self.session() as s:
            row = _latest_digest_row(s, story_id)
            if row is None or row.article_set != article_set:
                return False
            run = row.body.get("writer_run") or {}
            return writer in (row.writer, run.get("requested"))

    def next_digest_version(self, story_id: str) -> int:
        with self.session() as s:
            return _latest_version(s, story_id) + 1

    def save_digest(self, digest: Digest, article_set: str) -> None:
        """Store a new digest version (older versions are kept), index its citations and give
        the story the digest's headline, all in one transaction."""
        with self.session() as s:
            story = s.get(StoryRow, digest.story_id)
            if story is None:
                raise NotFoundError(f"no story with id {digest.story_id!r}")
            story.headline = digest.headline.text
            row = DigestRow(
                story_id=digest.story_id,
                version=digest.version,
                created_at=digest.created_at,
                writer=digest.writer,
                article_set=article_set,
                headline=digest.headline.text,
                sentences=digest.verification.sentences,
                verified=digest.verification.verified,
                body=digest.model_dump(mode="json"),
            )
            s.add(row)
            s.flush()
            for index, claim in enumerate(digest.claims()):
                score = claim.verification.score if claim.verification else None
                s.add_all(
                    CitationRow(
                        digest_id=row.id,
                        claim_index=index,
                        article_id=c.article_id,
                        sentence=c.sentence,
                        score=score,
                    )
                    for c in claim.citations
                )

    def latest_digest(self, story_id: str) -> Digest | None:
        with self.session() as s:
            row = _latest_digest_row(s, story_id)
            return None if row is None else Digest.model_validate(row.body)

    def digest_versions(self, story_id: str) -> list[Digest]:
        with self.session() as s:
            rows = s.scalars(
                select(DigestRow).where(DigestRow.story_id == story_id).order_by(DigestRow.version)
            )
            return [Digest.model_validate(r.body) for r in rows]

    def latest_digests(self, limit: int | None = None, topic: str | None = None) -> list[Digest]:
        """The newest version of each story's digest, most recently updated story first (of
        the stories with `topic` only, if one is given)."""
        stories = self.list_stories(limit, topic)
        out = []
        for story in stories:
            digest = self.latest_digest(story.id)
            if digest is not None:
                out.append(digest)
        return out

    def search(self, query: str, limit: int = 20) -> tuple[list[Story], list[Article]]:
        """Stories and placed articles matching every word of `query`, best match first.

        A story matches by its newest digest or by any of its articles. The words are matched
        as words (stemmed), never as query syntax, so any text the user types is a valid
        query. Each database searches its own index (store/search.py).
        """
        words = _WORD.findall(query)
        if not words:
            return [], []
        queries = queries_for(self.engine.dialect.name)
        params = {
            "match": queries.match(words),
            "limit": limit,
            "clustered": ArticleStatus.CLUSTERED.value,
            "duplicate": ArticleStatus.DUPLICATE.value,
        }
        with self.session() as s:
            story_ids = s.scalars(text(queries.stories), params).all()
            article_ids = s.scalars(text(queries.articles), params).all()
            by_id = {
                r.id: _article(r)
                for r in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(article_ids)))
            }
            articles = [by_id[i] for i in article_ids]
            ranked = list(dict.fromkeys([*story_ids, *(a.story_id for a in articles)]))
            rows = [s.get(StoryRow, i) for i in ranked if i is not None][:limit]
            return [self._story(s, r) for r in rows if r is not None], articles

    def count_articles_not_from(self, feed_ids: Collection[int]) -> int:
        """How many stored articles came from none of these feeds (from files, or others)."""
        with self.session() as s:
            query = select(func.count()).select_from(ArticleRow)
            if feed_ids:
                query = query.where(
                    or_(ArticleRow.feed_id.is_(None), ArticleRow.feed_id.not_in(feed_ids))
                )
            return s.scalar(query) or 0

    def clear(self) -> None:
        """Delete every feed, article, story and digest; the schema stays. For the demo, which
        replaces a previous run of its own: nothing else should call this."""
        with self.session() as s:
            for table in (CitationRow, DigestRow, ArticleRow, StoryRow, FeedRow):
                s.execute(delete(table))
            if self.engine.dialect.name == "sqlite":
                # No trigger of migration 0003 removes a story's entry: digests are never deleted
                # otherwise.
                s.execute(text("DELETE FROM story_search"))

    def counts(self) -> dict[str, Any]:
        with self.session() as s:
            by_status = dict(
                s.execute(select(ArticleRow.status, func.count()).group_by(ArticleRow.status)).all()
            )
            return {
                "feeds": s.scalar(select(func.count()).select_from(FeedRow)),
                "articles": by_status,
                "stories": s.scalar(select(func.count()).select_from(StoryRow)),
                "digests": s.scalar(select(func.count()).select_from(DigestRow)),
            }

    def revision(self, story_id: str | None = None) -> str:
        """A marker of everything the reader's pages show, read from the database so that it
        changes whichever process writes: a digest saved, an article placed in a story (kept
        or as a copy), a story closed or reopened, a feed added or given a topic. Polls that
        bring nothing new (a feed's fetch times) and articles not yet placed leave it alone.
        With `story_id`, the same of that story alone: what its own pages show."""
        shown = ArticleRow.status.in_([ArticleStatus.CLUSTERED, ArticleStatus.DUPLICATE])
        if story_id is not None:
            with self.session() as s:
                row = s.execute(
                    select(
                        select(func.max(DigestRow.id))
                        .where(DigestRow.story_id == story_id)
                        .scalar_subquery(),
                        select(func.count())
                        .where(shown, ArticleRow.story_id == story_id)
                        .scalar_subquery(),
                        select(StoryRow.closed_at).where(StoryRow.id == story_id).scalar_subquery(),
                    )
                ).one()
            return repr(tuple(row))
        parts = (
            select(func.max(DigestRow.id)),
            select(func.count()).select_from(DigestRow),
            select(func.count()).where(shown),
            select(func.count()).where(ArticleRow.status == ArticleStatus.DUPLICATE),
            select(func.count()).select_from(StoryRow),
            select(func.count()).where(StoryRow.closed_at.is_not(None)),
            select(func.max(StoryRow.closed_at)),
            select(func.count()).select_from(FeedRow),
            # Which feed has which topic (a feed without one adds NULL, which is skipped).
            select(func.aggregate_strings(FeedRow.topic.concat("@").concat(FeedRow.id), ",")),
        )
        with self.session() as s:
            row = s.execute(select(*(p.scalar_subquery() for p in parts))).one()
        return repr(tuple(row))


def _latest_digest_row(s: Session, story_id: str) -> DigestRow | None:
    query = select(DigestRow).where(DigestRow.story_id == story_id)
    return s.scalar(query.order_by(DigestRow.version.desc()).limit(1))


def _latest_version(s: Session, story_id: str) -> int:
    """The story's newest digest version, 0 before its first."""
    latest = s.scalar(select(func.max(DigestRow.version)).where(DigestRow.story_id == story_id))
    return latest or 0


# What the database said → what it means and what to do. SQLite's and PostgreSQL's wordings.
_DATABASE_PROBLEMS = (
    (
        ("database is locked", "database table is locked"),
        "the database is locked: another newsdistill process is writing to it. Try again when "
        "it has finished; for many writers at once, use PostgreSQL",
    ),
    (
        ("readonly database", "read-only", "read only"),
        "the database is read-only: check the permissions of the file and of its directory "
        "(SQLite writes a -wal file beside it)",
    ),
    (
        ("disk is full", "no space left", "disk full"),
        "the disk is full: free some space and run the command again; nothing stored before "
        "was changed",
    ),
    (
        ("unable to open database", "could not connect", "connection refused"),
        "cannot reach the database: check --db / NEWSDISTILL_DB, the path and its permissions, "
        "or that the server is running",
    ),
)


def database_error(exc: SQLAlchemyError, doing: str = "database error") -> DatabaseError:
    """A DatabaseError that says what went wrong in words a user can act on; the driver's own
    message is kept at the end."""
    said = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    for patterns, meaning in _DATABASE_PROBLEMS:
        if any(p in said.lower() for p in patterns):
            return DatabaseError(f"{meaning} ({said})")
    return DatabaseError(f"{doing}: {said}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses no
    # committed transaction and never leaves a half-written one (the WAL is in the OS cache); only
    # a power cut or OS crash may undo the last commits, still without corrupting the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _feed(row: FeedRow) -> Feed:
    return Feed.model_validate(row, from_attributes=True)


def _article(row: ArticleRow) -> Article:
    return Article.model_validate(row, from_attributes=True)
