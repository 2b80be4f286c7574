"""The front page's story list: which stories, in which order, with what short text.

Ranked by coverage, the number of distinct outlets that reported the story (syndicated
copies count for the outlets that ran them), then by freshness, the story's latest report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from newsdistill.models import Claim, Digest, Story
from newsdistill.timeutil import as_utc


@dataclass(frozen=True)
class FrontItem:
    story: Story
    digest: Digest

    @property
    def outlets(self) -> list[str]:
        return coverage(self.story, self.digest)

    @property
    def short(self) -> list[Claim]:
        """The digest's short form, or its lede when it has none."""
        return self.digest.summary or [self.digest.lede]

    @property
    def mark(self) -> str | None:
        """ "updated" for an open story past its first version; a closed story has no mark."""
        if self.story.closed_at is not None:
            return None
        return "updated" if self.digest.version > 1 else "new"

    @property
    def last_update(self) -> dt.datetime:
        return as_utc(self.story.last_updated)


def coverage(story: Story, digest: Digest) -> list[str]:
    """Every distinct outlet that reported the story, sorted."""
    outlets = set(story.outlets)
    for source in digest.sources:
        outlets.add(source.outlet)
        outlets.update(source.also_published_by)
    return sorted(outlets)


def rank(items: Iterable[FrontItem]) -> list[FrontItem]:
    """Open stories before closed ones; then most outlets first; among equals, the most
    recently updated; then by id, for stability."""
    by_id = sorted(items, key=lambda i: i.story.id)
    by_freshness = sorted(by_id, key=lambda i: i.last_update, reverse=True)
    by_outlets = sorted(by_freshness, key=lambda i: len(i.outlets), reverse=True)
    return sorted(by_outlets, key=lambda i: i.story.closed_at is not None)
