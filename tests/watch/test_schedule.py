"""The watch schedule as pure functions: adaptation, server hints, error backoff."""

from newsdistill.ingest.fetch import parse_max_age
from newsdistill.watch import adapt_interval, next_delay


def test_news_shortens_the_interval_and_silence_lengthens_it_within_bounds() -> None:
    assert adapt_interval(900, added=3, low=300, high=3600) == 450
    assert adapt_interval(900, added=0, low=300, high=3600) == 1350
    assert adapt_interval(400, added=1, low=300, high=3600) == 300
    assert adapt_interval(3000, added=0, low=300, high=3600) == 3600


def test_next_poll_is_never_sooner_than_max_age_or_retry_after() -> None:
    assert next_delay(300, high=3600) == 300
    assert next_delay(300, max_age=1200, high=3600) == 1200
    assert next_delay(300, retry_after=7200, high=3600) == 7200


def test_errors_back_off_exponentially_up_to_the_maximum() -> None:
    delays = [next_delay(300, error_count=n, high=3600) for n in range(1, 6)]
    assert delays == [600, 1200, 2400, 3600, 3600]


def test_cache_control_max_age_is_read_and_other_directives_ignored() -> None:
    assert parse_max_age({"Cache-Control": "public, max-age=600"}) == 600
    assert parse_max_age({"Cache-Control": "no-cache"}) is None
    assert parse_max_age({}) is None
