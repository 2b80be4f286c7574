"""The one retry policy: what is retried, how long it waits, and how Retry-After is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from newsdistill.retry import RetryPolicy, Transient, parse_retry_after

NOW = dt.datetime(2026, 12, 2, 8, 0, 0, tzinfo=dt.UTC)


class Busy(Transient):
    def __init__(self, retry_after: float | None = None) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


def failing(errors: list[Exception]) -> tuple[list[int], Callable[[], str]]:
    """A call that raises each of `errors` in turn, then returns "done"; counts its calls."""
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "done"

    return calls, attempt


def test_transient_errors_are_retried_waiting_the_longer_of_backoff_and_server() -> None:
    waits: list[float] = []
    policy = RetryPolicy(retries=3, backoff=1.0, max_wait=30.0, sleep=waits.append)
    calls, attempt = failing([Busy(), Busy(retry_after=5), Busy(retry_after=0)])
    assert policy.call(attempt) == "done"
    assert len(calls) == 4
    assert waits == [1.0, 5.0, 4.0]


def test_other_errors_pass_through_at_once() -> None:
    waits: list[float] = []
    policy = RetryPolicy(retries=3, backoff=1.0, max_wait=30.0, sleep=waits.append)
    calls, attempt = failing([ValueError("bad input")])
    with pytest.raises(ValueError, match="bad input"):
        policy.call(attempt)
    assert (len(calls), waits) == (1, [])


def test_the_last_error_is_raised_after_the_retries() -> None:
    policy = RetryPolicy(retries=2, backoff=0.0, max_wait=30.0, sleep=lambda _: None)
    last = Busy(retry_after=1)
    calls, attempt = failing([Busy(), Busy(), last, Busy()])
    with pytest.raises(Busy) as caught:
        policy.call(attempt)
    assert caught.value is last
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("Wed, 02 Dec 2026 08:00:45 GMT", 45.0),
        ("Wed, 02 Dec 2026 07:59:00 GMT", 0.0),  # already past: no wait from the server
        ("soon", None),
        ("-5", None),
        ("", None),
    ],
)
def test_parse_retry_after(header: str, seconds: float | None) -> None:
    assert parse_retry_after({"Retry-After": header}, now=NOW) == seconds


def test_no_retry_after_header() -> None:
    assert parse_retry_after({}, now=NOW) is None
