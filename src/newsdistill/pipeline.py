"""The Newsroom: runs the stages in order over one store. The CLI is a thin layer over this.

ingest (feeds, pages, files) → extract → dedupe → cluster → distill + verify → publish.
Each stage reads its input from the store and writes its output back, so stages can be re-run,
resumed after a crash, or later moved to separate workers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from newsdistill import dedupe
from newsdistill.cluster import (
    ArticleFeatures,
    Clusterer,
    ClusterParams,
    article_features,
    complete_centroids,
    lead,
    with_crosslingual,
)
from newsdistill.config import Settings
from newsdistill.distill.assemble import Distiller
from newsdistill.distill.keys import article_set_key
from newsdistill.errors import (
    DatabaseError,
    ExtractionError,
    FeedParseError,
    FetchError,
    InputError,
)
from newsdistill.extract import Extracted, extract_article
from newsdistill.ingest.feeds import FeedEntry, parse_feed, parse_opml
from newsdistill.ingest.fetch import Fetcher, FetchResult, fetch_many
from newsdistill.ingest.files import RawArticle, load_articles_from_path
from newsdistill.ingest.robots import RobotsCache
from newsdistill.models import Article, ArticleStatus, Digest, Feed
from newsdistill.nlp.embed import Embedder, get_embedder
from newsdistill.nlp.language import article_language
from newsdistill.nlp.multilingual import crosslingual_embedder
from newsdistill.nlp.sentences import split_sentences
from newsdistill.progress import Progress, SilentProgress
from newsdistill.publish import SiteFiles, write_site
from newsdistill.retry import Transient
from newsdistill.store import Store
from newsdistill.timeutil import as_utc
from newsdistill.verify import Verifier, get_judge
from newsdistill.writers import Writer, get_writer
from newsdistill.writers.extractive import ExtractiveWriter

log = logging.getLogger(__name__)

# Articles written per transaction by fetch and process: one commit (an fsync on SQLite) per
# batch rather than per article, and a batch small enough to hold the write lock only briefly.
WRITE_BATCH = 100
T = TypeVar("T")


def batches(items: Iterable[T], size: int = WRITE_BATCH) -> Iterator[list[T]]:
    """`items` in consecutive lists of `size` (the last one shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class IngestReport:
    feeds_ok: int = 0
    feeds_failed: int = 0
    feeds_unchanged: int = 0
    added: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        """Something failed and nothing else happened: no input could be read at all."""
        succeeded = self.added or self.skipped or self.feeds_ok or self.feeds_unchanged
        return bool(self.failed or self.feeds_failed) and not succeeded


@dataclass
class FeedPoll:
    """One feed's poll: what it brought and when the server wants to hear from us again."""

    feed: Feed
    added: int = 0
    failed: bool = False
    max_age: float | None = None  # Cache-Control max-age of the feed's response
    retry_after: float | None = None  # Retry-After of a 429 or 5xx


@dataclass
class ProcessReport:
    processed: int = 0
    duplicates: int = 0
    new_stories: int = 0
    joined: int = 0
    stories: set[str] = field(default_factory=set)  # the stories that gained an article


@dataclass
class DistillReport:
    written: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


# A model writer is checked by the judge on the same model: it is loaded anyway, and far
# stronger than the feature judge (balanced accuracy 0.75 against 0.66 on the dev split).
MATCHING_JUDGE = {"local": "llm", "openai": "llm-openai"}


def judge_for(settings: Settings, writer_name: str) -> str:
    """The judge that verifies a writer's digests: the settings' own, else the writer's match."""
    return settings.judge or MATCHING_JUDGE.get(writer_name, "features")


def make_distiller(settings: Settings, embedder: Embedder, writer: Writer) -> Distiller:
    """The Distiller for a writer, with its judge and the extractive fallback: one recipe for
    the pipeline, the evaluation and the benchmark."""
    judge = get_judge(judge_for(settings, writer.name), settings)
    return Distiller(
        writer,
        Verifier(judge, embedder),
        fallback=ExtractiveWriter(settings),
        language=settings.digest_language,
    )


def _file_article(raw: RawArticle) -> Article:
    try:
        extracted = extract_article(raw.html, raw.url) if raw.html else None
        return build_article(
            raw.url,
            extracted,
            title=raw.title,
            text=raw.text,
            published=raw.published,
            outlet=raw.outlet,
            author=raw.author,
        )
    except ExtractionError as exc:
        return _failure(raw.url, str(exc))


def _page_article(url: str, page: FetchResult | FetchError) -> Article:
    try:
        if isinstance(page, FetchError):
            raise page
        return build_article(url, extract_article(page.text, page.url))
    except (FetchError, ExtractionError) as exc:
        return _failure(url, str(exc))


def _host(url: str) -> str:
    return urlparse(url).hostname or url


def build_article(
    url: str,
    extracted: Extracted | None,
    *,
    title: str | None = None,
    text: str | None = None,
    published: dt.datetime | None = None,
    outlet: str | None = None,
    author: str | None = None,
    feed_id: int | None = None,
) -> Article:
    """One Article from whatever a page, a feed entry or a file gave; page data wins."""
    body = (extracted.text if extracted else "") or (text or "")
    if not body.strip():
        raise ExtractionError("no article text found")
    when = (extracted.published if extracted else None) or published or dt.datetime.now(dt.UTC)
    headline = ((extracted.title if extracted else None) or title or "").strip() or "(untitled)"
    language = article_language(f"{headline}\n{body}", extracted.language if extracted else None)
    return Article(
        url=url,
        canonical_url=extracted.canonical_url if extracted else None,
        title=headline,
        text=body,
        sentences=split_sentences(body, language),
        outlet=(extracted.outlet if extracted else None) or outlet or _host(url),
        author=(extracted.author if extracted else None) or author,
        published=as_utc(when),
        language=language,
        feed_id=feed_id,
        content_hash=dedupe.content_hash(body),
        fetched_at=dt.datetime.now(dt.UTC),
    )


def _failure(url: str, error: str, feed_id: int | None = None) -> Article:
    return Article(
        url=url,
        title="",
        text="",
        outlet=_host(url),
        published=dt.datetime.now(dt.UTC),
        feed_id=feed_id,
        status=ArticleStatus.FAILED,
        error=error,
        fetched_at=dt.datetime.now(dt.UTC),
    )


_HOME_PATHS = {"", "index.html", "index.htm", "index.php", "home"}


def _is_home_page(url: str) -> bool:
    return urlparse(url).path.strip("/").casefold() in _HOME_PATHS


def redirected_home(requested: str, final: str) -> bool:
    """Whether fetching the article URL `requested` ended at its site's home page `final`."""
    return _is_home_page(final) and not _is_home_page(requested)


class Newsroom:
    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        progress: Progress | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings
        self.store = store or Store.open(settings.database_url())
        self.progress = progress or SilentProgress()
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings)
        return self._embedder

    # --- feeds -----------------------------------------------------------------------

    def add_feed(
        self, url: str, title: str | None = None, topic: str | None = None
    ) -> tuple[Feed, bool]:
        if urlparse(url).scheme not in ("http", "https"):
            raise InputError(f"not an http(s) URL: {url}")
        return self.store.add_feed(url, title, topic)

    def import_opml(self, path: Path) -> tuple[int, int]:
        """Add every feed of an OPML file; returns (added, already known)."""
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from exc
        added = known = 0
        for feed in parse_opml(content):
            _, new = self.add_feed(feed.url, feed.title, feed.topic)
            added += new
            known += not new
        return added, known

    def fetch(self) -> IngestReport:
        """Poll every feed once and store the new articles it links to."""
        report = IngestReport()
        feeds = self.store.list_feeds()
        self.progress.start("Polling feeds", len(feeds))
        pending: list[tuple[FeedEntry, Feed]] = []
        with Fetcher(self.settings) as fetcher:
            for feed in feeds:
                entries, _ = self._poll(fetcher, feed, report)
                pending.extend((e, feed) for e in entries)
                self.progress.advance()
            self._fetch_entries(fetcher, pending, report)
        for feed in feeds:
            self.store.update_feed(feed)
        return report

    def poll_feed(
        self,
        feed: Feed,
        *,
        robots: RobotsCache | None = None,
        schedule: Callable[[FeedPoll], None] | None = None,
    ) -> FeedPoll:
        """Poll one feed and store the new articles it links to (what `watch` does per feed).

        `robots` is a robots.txt cache shared across polls; `schedule` sets the feed's next
        poll from the outcome before the feed is written, once.
        """
        report = IngestReport()
        with Fetcher(self.settings, robots=robots) as fetcher:
            entries, poll = self._poll(fetcher, feed, report)
            self._fetch_entries(fetcher, [(e, feed) for e in entries], report)
        poll.added = report.added
        if schedule is not None:
            schedule(poll)
        self.store.update_feed(feed)
        return poll

    def _poll(
        self, fetcher: Fetcher, feed: Feed, report: IngestReport
    ) -> tuple[list[FeedEntry], FeedPoll]:
        """Fetch and parse one feed, updating `feed` in memory only.

        The caller stores the feed after its new articles: a feed's ETag written first would,
        after a crash, make the next poll a 304 and lose the entries never fetched.
        """
        now = dt.datetime.now(dt.UTC)
        poll = FeedPoll(feed)
        try:
            result = fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            poll.max_age = result.max_age
            if result.not_modified:
                report.feeds_unchanged += 1
                entries: list[FeedEntry] = []
            else:
                parsed = parse_feed(result.content, result.url)
                entries = parsed.entries
                feed.title = feed.title or parsed.title
                feed.etag, feed.last_modified = result.etag, result.last_modified
                report.feeds_ok += 1
            feed.last_status, feed.last_error, feed.error_count = result.status, None, 0
        except (FetchError, FeedParseError) as exc:
            report.feeds_failed += 1
            report.errors.append(f"feed {feed.url}: {exc}")
            feed.last_status = exc.status if isinstance(exc, FetchError) else None
            feed.last_error = str(exc)
            feed.error_count += 1
            poll.failed = True
            poll.retry_after = exc.retry_after if isinstance(exc, Transient) else None
            entries = []
        feed.last_fetched_at = now
        known = self.store.known_urls([e.url for e in entries])
        report.skipped += sum(e.url in known for e in entries)
        return [e for e in entries if e.url not in known], poll

    def _fetch_entries(
        self, fetcher: Fetcher, pending: list[tuple[FeedEntry, Feed]], report: IngestReport
    ) -> None:
        by_url = {entry.url: (entry, feed) for entry, feed in pending}
        self.progress.start("Fetching articles", len(by_url))
        fetched = fetch_many(fetcher, list(by_url), workers=self.settings.fetch_concurrency)
        self._store_all(
            (self._entry_article(*by_url[url], result) for url, result in fetched), report
        )

    def _store_all(self, articles: Iterable[Article], report: IngestReport) -> None:
        """Store articles as they come, a batch per transaction. Held back until its batch is
        full, an article is lost by a crash only unstored: the feed that listed it is written
        after its articles, so the next poll fetches it again."""
        for batch in batches(articles):
            with self.store.transaction():
                for article in batch:
                    self._store(article, report)
            self.progress.advance(len(batch))

    def _entry_article(
        self, entry: FeedEntry, feed: Feed, page: FetchResult | FetchError
    ) -> Article:
        """The page's article; when the page yields nothing, the feed's own full content, then
        (if the page was reachable) the entry's summary; else a recorded failure."""
        extracted: Extracted | None = None
        error = str(page) if isinstance(page, FetchError) else None
        if not isinstance(page, FetchError) and redirected_home(entry.url, page.url):
            # A dead permalink that lands on the front page: its text is not this article's.
            error = f"{entry.url}: redirected to the site's home page"
        elif not isinstance(page, FetchError):
            try:
                extracted = extract_article(page.text, page.url)
            except ExtractionError as exc:
                error = f"{entry.url}: {exc}"
        if extracted is None and entry.content_html:
            with suppress(ExtractionError):
                extracted = extract_article(entry.content_html, entry.url)
        summary = entry.summary if not isinstance(page, FetchError) else None
        try:
            return build_article(
                entry.url,
                extracted,
                title=entry.title,
                text=summary if extracted is None else None,
                published=entry.published,
                outlet=feed.title or entry.outlet,
                author=entry.author,
                feed_id=feed.id,
            )
        except ExtractionError as exc:
            return _failure(entry.url, error or str(exc), feed.id)

    def _store(self, article: Article, report: IngestReport) -> None:
        _, new = self.store.add_article(article)
        if article.status == ArticleStatus.FAILED:
            report.failed += 1
            report.errors.append(f"article {article.url}: {article.error}")
        elif new:
            report.added += 1
        else:
            report.skipped += 1

    def ingest(self, sources: Sequence[str]) -> IngestReport:
        """Store articles from local files/directories and single article URLs."""
        report = IngestReport()
        urls = [s for s in sources if urlparse(s).scheme in ("http", "https")]
        raws: list[RawArticle] = []
        for source in sources:
            if source not in urls:
                raws.extend(load_articles_from_path(Path(source)))
        self.progress.start("Reading files", len(raws))
        self._store_all(map(_file_article, raws), report)
        if urls:
            known = self.store.known_urls(urls)
            report.skipped += len(known)
            todo = [u for u in urls if u not in known]
            with Fetcher(self.settings) as fetcher:
                self.progress.start("Fetching articles", len(todo))
                fetched = fetch_many(fetcher, todo, workers=self.settings.fetch_concurrency)
                self._store_all((_page_article(url, page) for url, page in fetched), report)
        return report

    # --- dedupe + cluster ------------------------------------------------------------

    def process(self) -> ProcessReport:
        """Dedupe and cluster every article not yet placed in a story, oldest first."""
        report = ProcessReport()
        pending = self.store.pending_articles()
        if not pending:
            return report
        params = ClusterParams.from_settings(self.settings)
        window = dt.timedelta(hours=params.window_hours)
        since = min(a.published for a in pending) - window
        index = dedupe.NearDuplicateIndex(self.settings.near_duplicate_threshold)
        for article_id, sig in self.store.minhashes(since):
            index.add(article_id, dedupe.decode(sig))
        states = self.store.cluster_states(since)
        members = [m for s in states for m in s.members]
        clusterer = Clusterer(params, states, self.store.article_profiles(members))

        self.progress.start("Reading articles", len(pending))
        crosslingual = crosslingual_embedder(self.settings)
        shared = crosslingual is self.embedder  # one model, one pass: its vectors come free
        features = article_features(pending, self.embedder, crosslingual if shared else None)
        # The multilingual embedding only counts across languages (Clusterer.meaning), and
        # costs a third of the time: computed when this run can compare across languages,
        # then also for the stories begun without it.
        if not shared and len(clusterer.languages(features)) > 1:
            features = with_crosslingual(features, [lead(a) for a in pending], crosslingual)
            complete_centroids(states, self.embedder.dim, self._leads, crosslingual)
        self.progress.advance(len(pending))
        self.progress.start("Clustering", len(pending))
        for batch in batches(zip(pending, features, strict=True)):
            with self.store.transaction():
                for article, feats in batch:
                    self._place(article, feats, index, clusterer, window, report)
            self.progress.advance(len(batch))
        # A closed story that gained a report is current again.
        self.store.reopen_stories(report.stories)
        return report

    def _leads(self, article_ids: Sequence[int]) -> dict[int, str]:
        return {a.id: lead(a) for a in self.store.get_articles(article_ids) if a.id is not None}

    def _place(
        self,
        article: Article,
        feats: ArticleFeatures,
        index: dedupe.NearDuplicateIndex,
        clusterer: Clusterer,
        window: dt.timedelta,
        report: ProcessReport,
    ) -> None:
        """Mark the article a copy of a placed one, or put it in the story it fits."""
        assert article.id is not None
        sig = dedupe.signature(article.text)
        link = dedupe.article_link(article.canonical_url)
        original = self.store.find_exact_copy(article.id, article.content_hash, link)
        match = original.id if original else index.best_match(sig)
        if match is not None:
            self.store.mark_duplicate(article.id, match, dedupe.encode(sig))
            report.duplicates += 1
        else:
            among = self.store.nearest_stories(
                feats.embedding, feats.published, window, self.settings.nearest_stories
            )
            assignment, state = clusterer.assign(feats, among)
            self.store.assign_story(
                article.id, state, feats.embedding, dedupe.encode(sig), feats.profile()
            )
            index.add(article.id, sig)
            report.stories.add(state.story_id)
            report.new_stories += assignment.created
            report.joined += not assignment.created
        report.processed += 1

    # --- distill + verify ------------------------------------------------------------

    def distill(
        self,
        writer_name: str | None = None,
        story_ids: Iterable[str] | None = None,
        force: bool = False,
    ) -> DistillReport:
        """Write a new digest version for every story whose articles changed."""
        report = DistillReport()
        writer = get_writer(writer_name or self.settings.writer, self.settings)
        distiller = make_distiller(self.settings, self.embedder, writer)
        stories = (
            [self.store.get_story(i) for i in story_ids]
            if story_ids is not None
            else self.store.list_stories()
        )
        self.progress.start(f"Distilling ({writer.name})", len(stories))
        for story in stories:
            articles, copies = self.store.story_articles(story.id)
            key = article_set_key(a.id or 0 for a in articles)
            if not articles or (
                not force and self.store.digest_is_current(story.id, key, writer.name)
            ):
                report.unchanged += 1
            else:
                try:
                    digest = distiller.distill(
                        story.id, articles, copies, self.store.next_digest_version(story.id)
                    )
                    self.store.save_digest(digest, key)
                    report.written += 1
                except DatabaseError:  # the store itself failed: no other story would fare better
                    raise
                except Exception as exc:  # one bad story must not stop the others
                    log.exception("distilling story %s failed", story.id)
                    report.failed.append(f"{story.id}: {exc}")
            self.progress.advance()
        return report

    # --- publish ---------------------------------------------------------------------

    def export(self, out_dir: Path, base_url: str = "") -> SiteFiles:
        digests: list[Digest] = self.store.latest_digests()
        return write_site(digests, out_dir, base_url=base_url)
