"""The one retry policy for calls over the network: feeds and pages, and model servers.

A call is retried only when it raised a `Transient` error (network trouble, a timeout, HTTP 429
or 5xx); anything else passes straight through. Before retry n (1, 2, ...) it waits
`backoff * 2**(n-1)` seconds, or what the server asked for in Retry-After if that is longer,
never more than `max_wait`: a server asking for minutes is not worth holding a worker for, so
the call fails over sooner and the caller records the error. After `retries` retries the last
error is raised as it was. tenacity runs the loop; `sleep` is injectable so tests need not wait.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TypeVar

import tenacity

from newsdistill.config import Settings
from newsdistill.timeutil import as_utc

log = logging.getLogger(__name__)

T = TypeVar("T")


class Transient(Exception):
    """Mixed into an error that may pass if the call is made again."""

    retry_after: float | None = None  # seconds the server asked us to wait, if it said


@dataclass(frozen=True)
class RetryPolicy:
    retries: int  # retries after the first attempt; 0 never retries
    backoff: float  # seconds before the first retry, doubling after each
    max_wait: float  # the longest wait between attempts, whatever the server asks for
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def for_fetching(cls, settings: Settings) -> RetryPolicy:
        return cls(settings.fetch_retries, settings.fetch_backoff, settings.retry_max_wait)

    @classmethod
    def for_models(cls, settings: Settings) -> RetryPolicy:
        return cls(settings.llm_retries, settings.llm_backoff, settings.retry_max_wait)

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def call(self, attempt: Callable[[], T]) -> T:
        """`attempt()`, retried on Transient errors as the module docstring says."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(Transient),
            sleep=self.sleep,
            before_sleep=tenacity.before_sleep_log(log, logging.INFO),
            reraise=True,
        )
        return retrying(attempt)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        delay = self.backoff * 2.0 ** (state.attempt_number - 1)
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, Transient) and error.retry_after is not None:
            delay = max(delay, error.retry_after)
        return min(delay, self.max_wait)


def parse_retry_after(headers: Mapping[str, str], now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = as_utc(parsedate_to_datetime(value))
    except (TypeError, ValueError):
        return None
    return max((when - (now or dt.datetime.now(dt.UTC))).total_seconds(), 0.0)
