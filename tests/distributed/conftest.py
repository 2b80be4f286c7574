"""What the worker tests share: the brokers (skipped, saying so, where not running; CI must
run them) and a run's outcome, to compare the workers' with the embedded run's."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

from newsdistill.store import Store

BROKERS = {
    "redis": os.environ.get("NEWSDISTILL_TEST_REDIS", "redis://127.0.0.1:6379/0"),
    "rabbitmq": os.environ.get("NEWSDISTILL_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//"),
}


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "", parts.port or 0), timeout=2).close()
        return True
    except OSError:
        return False


def broker(kind: str) -> str:
    url = BROKERS[kind]
    if not _reachable(url):
        if os.environ.get("CI"):
            pytest.fail(f"{kind} is not running at {url}: CI must run the worker tests")
        pytest.skip(f"{kind} is not running at {url}")
    return url


Outcome = dict[frozenset[str], tuple[str, ...]]  # story members (URL paths) → digest text


def outcome(store: Store) -> Outcome:
    """Each story as the set of its articles' URL paths, with its newest digest's sentences."""
    result: Outcome = {}
    for story in store.list_stories():
        articles, copies = store.story_articles(story.id)
        members = frozenset(urlsplit(a.url).path for a in [*articles, *copies])
        digest = store.latest_digest(story.id)
        assert digest is not None, f"story {story.id} has no digest"
        result[members] = tuple(c.text for c in digest.claims())
    return result
