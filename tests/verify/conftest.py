"""Fixtures for the verify tests: the fire story sources (our own text) and a shared verifier."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdistill.verify.check import default_verifier, load_sources
from newsdistill.verify.verifier import Checked, SourcePool, Verifier

DATA = Path(__file__).parent / "data"
SOURCES = [DATA / "harbour-fire-wire.txt", DATA / "harbour-fire-gazette.html"]


@pytest.fixture(scope="session")
def verifier() -> Verifier:
    return default_verifier("features")


@pytest.fixture(scope="session")
def fire_pool(verifier: Verifier) -> SourcePool:
    return SourcePool(load_sources(SOURCES), verifier.embedder)


def check_one(verifier: Verifier, pool: SourcePool, claim: str) -> Checked:
    """A claim without citations, as `newsdistill check` verifies it."""
    return verifier.check(pool, [(claim, ())])[0]
