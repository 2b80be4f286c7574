"""The "shout" writer: the extractive writer's digest with its headline in capitals."""

from __future__ import annotations

from newsdistill.config import Settings
from newsdistill.models import DraftDigest, DraftSentence, StoryBrief
from newsdistill.plugins import Register, hookimpl
from newsdistill.writers import Writer, get_writer


class ShoutWriter:
    name = "shout"

    def __init__(self, settings: Settings) -> None:
        self.base = get_writer("extractive", settings)

    def write(self, brief: StoryBrief) -> DraftDigest:
        draft = self.base.write(brief)
        headline = draft.headline.model_copy(update={"text": draft.headline.text.upper()})
        return draft.model_copy(update={"headline": headline})

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        return self.base.revise(brief, sentence, reason)


@hookimpl
def register_writers(register: Register[Writer]) -> None:
    register("shout", ShoutWriter)
