"""The Writer interface and the registry of writers by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from newsdistill.config import Settings
from newsdistill.errors import ConfigError
from newsdistill.models import DraftDigest, DraftSentence, StoryBrief


class Writer(Protocol):
    """Words a story. Must only use the brief's evidence, citing evidence numbers per sentence."""

    name: str

    def write(self, brief: StoryBrief) -> DraftDigest:
        """Return the whole draft digest. Raise WriterError when the back-end fails."""
        ...

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        """Reword one sentence the verifier rejected, given its reason. May raise WriterError."""
        ...


WriterFactory = Callable[[Settings], Writer]
_FACTORIES: dict[str, WriterFactory] = {}


def register_writer(name: str, factory: WriterFactory) -> None:
    _FACTORIES[name] = factory


def writer_names() -> list[str]:
    _load_builtin()
    return sorted(_FACTORIES)


def get_writer(name: str, settings: Settings) -> Writer:
    _load_builtin()
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise ConfigError(
            f"unknown writer {name!r}; choose one of: {', '.join(writer_names())}"
        ) from None
    return factory(settings)


def _load_builtin() -> None:
    # Imported here so that `import newsdistill.writers` stays light and back-ends load on demand.
    from newsdistill.writers import extractive, llm  # noqa: F401
