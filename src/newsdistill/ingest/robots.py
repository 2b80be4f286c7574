"""robots.txt: what a site's answer means (RFC 9309), kept once per origin for a fetch run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

AGENT = "newsdistill"  # the product token sites name in their robots.txt
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB

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
    """Each origin's rules, fetched by `fetch` the first time one of its URLs is asked about.

    A failure to reach robots.txt is raised to the caller and not cached (a retry asks again).
    """

    def __init__(self, fetch: RobotsFetch) -> None:
        self._fetch = fetch
        self._rules: dict[str, RobotFileParser] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allows(self, url: str) -> bool:
        key = origin(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one fetch of an origin's robots.txt, however many workers ask at once
            rules = self._rules.get(key)
            if rules is None:
                rules = rules_from_response(*self._fetch(f"{key}/robots.txt"))
                self._rules[key] = rules
        return rules.can_fetch(AGENT, url)
