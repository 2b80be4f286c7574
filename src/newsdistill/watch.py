"""`newsdistill watch`: poll each feed on its own schedule, cluster new articles at once, and
distill a story again once its burst of reports has settled.

One asyncio loop keeps monotonic due times; it sleeps until the next one (or a stop request),
so nothing drifts. Blocking pipeline steps run in a worker thread one at a time, so the store
is never written by two threads of this process at once. A stop request lets the current step
finish (each store write is its own transaction) and then returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from newsdistill.config import Settings
from newsdistill.ingest.robots import RobotsCache
from newsdistill.models import Feed
from newsdistill.pipeline import DistillReport, FeedPoll, Newsroom


def adapt_interval(current: float, added: int, low: float, high: float) -> float:
    """A feed that brought news is polled more often; one that did not, less often."""
    wanted = current / 2 if added else current * 1.5
    return min(max(wanted, low), high)


def next_delay(
    interval: float,
    *,
    error_count: int = 0,
    max_age: float | None = None,
    retry_after: float | None = None,
    high: float,
) -> float:
    """Seconds until the next poll: the interval, doubled per consecutive error (capped at
    `high`), and never sooner than the server's max-age or Retry-After."""
    delay = interval
    if error_count:
        delay = min(interval * 2.0**error_count, max(high, interval))
    return max(delay, max_age or 0.0, retry_after or 0.0)


@dataclass(frozen=True)
class Polled:
    poll: FeedPoll
    next_in: float


@dataclass(frozen=True)
class Distilled:
    story_ids: list[str]
    report: DistillReport


Event = Polled | Distilled


class Watcher:
    def __init__(self, room: Newsroom, on_event: Callable[[Event], None] | None = None) -> None:
        self.room = room
        self.settings: Settings = room.settings
        self.on_event = on_event or (lambda _event: None)
        self.stop = asyncio.Event()
        self._distill_due: dict[str, float] = {}
        # One robots.txt cache for the whole run: each site's rules are asked for once a day,
        # not on every poll.
        self.robots = RobotsCache()

    async def run(self, once: bool = False) -> None:
        """Poll until stopped; with `once`, poll every due feed one time and return."""
        # Pick up what a previous run left: unclustered articles, stale digests.
        await asyncio.to_thread(self.room.process)
        await self._distill(None)
        while not self.stop.is_set():
            feeds = await asyncio.to_thread(self.room.store.list_feeds)
            now_wall = dt.datetime.now(dt.UTC)
            due = [f for f in feeds if f.next_poll_at is None or f.next_poll_at <= now_wall]
            for feed in due:
                if self.stop.is_set():
                    return
                await self._poll(feed)
            await asyncio.to_thread(self._close_stale)
            if once:
                await self._distill(list(self._distill_due))
                return
            now = time.monotonic()
            ready = [i for i, when in self._distill_due.items() if when <= now]
            if ready:
                await self._distill(ready)
            await self._sleep_until_next(await asyncio.to_thread(self.room.store.list_feeds))

    async def _sleep_until_next(self, feeds: list[Feed]) -> None:
        now_wall = dt.datetime.now(dt.UTC)
        waits = [
            (f.next_poll_at - now_wall).total_seconds() if f.next_poll_at else 0.0 for f in feeds
        ]
        now = time.monotonic()
        waits += [when - now for when in self._distill_due.values()]
        timeout = max(min(waits, default=self.settings.poll_interval), 0.0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout)

    async def _poll(self, feed: Feed) -> None:
        polled = await asyncio.to_thread(self._poll_step, feed)
        self.on_event(polled)

    def _poll_step(self, feed: Feed) -> Polled:
        s = self.settings
        delay = 0.0

        def schedule(poll: FeedPoll) -> None:
            nonlocal delay
            interval = float(feed.poll_interval or s.poll_interval)
            if not poll.failed:  # a failed poll says nothing about how often the feed publishes
                interval = adapt_interval(
                    interval, poll.added, s.poll_min_interval, s.poll_max_interval
                )
            delay = next_delay(
                interval,
                error_count=feed.error_count,
                max_age=poll.max_age,
                retry_after=poll.retry_after,
                high=s.poll_max_interval,
            )
            feed.poll_interval = max(round(interval), 1)
            feed.next_poll_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay)

        poll = self.room.poll_feed(feed, robots=self.robots, schedule=schedule)
        if poll.added:
            report = self.room.process()
            settle = time.monotonic() + s.settle_delay
            for story_id in report.stories:
                # The first report of a burst sets the time; later ones ride along.
                self._distill_due.setdefault(story_id, settle)
        return Polled(poll, delay)

    async def _distill(self, story_ids: list[str] | None) -> None:
        if story_ids == []:
            return
        report = await asyncio.to_thread(self.room.distill, None, story_ids)
        for story_id in story_ids or []:
            self._distill_due.pop(story_id, None)
        if report.written or report.failed:
            self.on_event(Distilled(story_ids or [], report))

    def _close_stale(self) -> None:
        before = dt.datetime.now(dt.UTC) - dt.timedelta(hours=self.settings.close_after_hours)
        self.room.store.close_stale_stories(before)


def run_watcher(room: Newsroom, on_event: Callable[[Event], None], once: bool = False) -> None:
    """Run a Watcher until SIGINT or SIGTERM (or one round with `once`)."""

    async def main() -> None:
        watcher = Watcher(room, on_event)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, watcher.stop.set)
        await watcher.run(once=once)

    asyncio.run(main())
