"""What the pages and the API read from the store, shared so both show the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from newsdistill.errors import NotFoundError
from newsdistill.models import Article, Digest, Story
from newsdistill.store import Store
from newsdistill.web.changes import DigestChanges, compare
from newsdistill.web.coverage import OutletReport, reports_by_outlet
from newsdistill.web.frontpage import FrontItem, rank

FRONT_PAGE_STORIES = 50


def front_items(
    store: Store,
    topic: str | None = None,
    limit: int = FRONT_PAGE_STORIES,
    language: str | None = None,
) -> list[FrontItem]:
    """The ranked stories that have a digest (a story is shown once it has been distilled),
    only those with `topic` among their feeds' topics if one is given, and only those
    reported in `language` if that is."""
    stories = store.list_stories(topic=topic, language=language)
    return rank(_items(store, stories))[:limit]


def search(store: Store, query: str) -> tuple[list[FrontItem], list[Article]]:
    """Stories and articles matching `query`, best match first."""
    stories, articles = store.search(query)
    return _items(store, stories), articles


def _items(store: Store, stories: list[Story]) -> list[FrontItem]:
    items = []
    for story in stories:
        digest = store.latest_digest(story.id)
        if digest is not None:
            items.append(FrontItem(story, digest))
    return items


@dataclass(frozen=True)
class StoryVersions:
    story: Story
    versions: list[Digest]  # oldest first, never empty
    coverage: list[OutletReport]

    def get(self, version: int | None) -> Digest:
        """A version by number; None: the newest."""
        if version is None:
            return self.versions[-1]
        for digest in self.versions:
            if digest.version == version:
                return digest
        raise NotFoundError(f"story {self.story.id} has no digest version {version}")

    def changes(self, old: int, new: int) -> DigestChanges:
        return compare(self.get(old), self.get(new))

    def changes_into(self, digest: Digest) -> DigestChanges | None:
        """What changed from the version before `digest` (None for the first)."""
        earlier = [d for d in self.versions if d.version < digest.version]
        return compare(earlier[-1], digest) if earlier else None


def story_versions(store: Store, story_id: str) -> StoryVersions:
    """The story (an id or a unique prefix), every version of its digest, who reported it."""
    story = store.get_story(story_id)
    versions = store.digest_versions(story.id)
    if not versions:
        raise NotFoundError(f"story {story.id} has no digest yet")
    kept, copies = store.story_articles(story.id)
    return StoryVersions(story, versions, reports_by_outlet([*kept, *copies]))
