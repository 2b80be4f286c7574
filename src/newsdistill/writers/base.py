"""Writers by name (from the plugins, see newsdistill.plugins); the interface they implement is
newsdistill.distill.writer.Writer, the one distilling calls."""

from __future__ import annotations

from newsdistill import plugins
from newsdistill.config import Settings
from newsdistill.distill.writer import RecordsRuns, Writer

__all__ = ["RecordsRuns", "Writer", "get_writer", "writer_names"]


def writer_names() -> list[str]:
    return plugins.writers().names()


def get_writer(name: str, settings: Settings) -> Writer:
    """The writer a plugin registered under `name`, built from `settings`."""
    return plugins.writers().build(name, settings)
