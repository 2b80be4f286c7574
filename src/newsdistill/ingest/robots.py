"""robots.txt: what a site's answer means (RFC 9309), kept per origin for up to a day."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

AGENT = "newsdistill"  # the product token sites name in their robots.txt
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
MAX_AGE = 24 * 3600.0  # RFC 9309: a cached answer SHOULD NOT be used for more than 24 hours

# origin's robots.txt URL → (HTTP status, body text); raises FetchError when unreachable
RobotsFetch = Callable[[str], tuple[int, str]]


def rules_from_response(status: int, text: str) -> RobotFileParser:
    """The rules a robots.txt answer gives: its lines on success; none at all when the file is
    missing or forbidden (4xx, "unavailable"); everything disallowed when the server fails
    (5xx, "unreachable"), since its rules cannot be known."""
    rules = RobotFileParser()
    if 200 <= status < 300:
        rules.parse(text.splitlines())
    elif 400 <= status < 500:
        rules.parse([])
    else:
        rules.parse(["User-agent: *", "Disallow: /"])
    return rules


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RobotsCache:
    """Each origin's rules, fetched the first time one of its URLs is asked about and kept for
    `max_age` seconds, so a long-running `watch` shares one cache across its fetch runs.

    A failure to reach robots.txt is raised to the caller and not cached (a retry asks again).
    """

    def __init__(
        self, max_age: float = MAX_AGE, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_age = max_age
        self._clock = clock
        self._rules: dict[str, tuple[float, RobotFileParser]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allows(self, url: str, fetch: RobotsFetch) -> bool:
        key = origin(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one fetch of an origin's robots.txt, however many workers ask at once
            cached = self._rules.get(key)
            now = self._clock()
            if cached is None or now - cached[0] >= self.max_age:
                cached = (now, rules_from_response(*fetch(f"{key}/robots.txt")))
                self._rules[key] = cached
        return cached[1].can_fetch(AGENT, url)
