"""Fixtures for the verify tests: the fire story sources (our own text) and a shared checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdistill.verify.check import Checker, default_checker, load_passages
from newsdistill.verify.features import EvidenceIndex

DATA = Path(__file__).parent / "data"
SOURCES = [DATA / "harbour-fire-wire.txt", DATA / "harbour-fire-gazette.html"]


@pytest.fixture(scope="session")
def checker() -> Checker:
    return default_checker("features")


@pytest.fixture(scope="session")
def fire_index(checker: Checker) -> EvidenceIndex:
    return checker.index(load_passages(SOURCES))
