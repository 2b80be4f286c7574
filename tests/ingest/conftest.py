"""Fixtures: a local HTTP server and fast-failing settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdistill.config import Settings

from .server import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def settings() -> Settings:
    """Fast-failing settings: short timeout, tiny backoff."""
    return Settings(fetch_timeout=2.0, fetch_retries=2, fetch_backoff=0.01)
