"""How long-running library work reports progress, without knowing who shows it."""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Progress(Protocol):
    """Where stages report progress; the CLI shows it as Rich progress bars."""

    def start(self, stage: str, total: int | None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def note(self, message: str) -> None: ...


class SilentProgress:
    """Progress for library use: nothing shown, notes go to the log."""

    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        log.info(message)
