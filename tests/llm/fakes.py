"""Test doubles for the writer's logic tests: a scripted chat back-end and a fixed base draft."""

from __future__ import annotations

import json
from collections.abc import Callable

from newsdistill.llm import BackendError, JsonSchema, Message, Usage
from newsdistill.models import DraftDigest, DraftSentence, StoryBrief

Reply = str | BackendError | Callable[[list[Message]], str]


class ScriptedBackend:
    """Answers each call with the next scripted reply (text, an error to raise, or a function)."""

    name = "scripted"

    def __init__(self, *replies: Reply, default: Reply | None = None) -> None:
        self.replies = list(replies)
        self.default = default
        self.calls: list[tuple[list[Message], JsonSchema | None]] = []
        self.usage = Usage()

    def complete(
        self,
        messages: list[Message],
        *,
        schema: JsonSchema | None,
        max_tokens: int,
        temperature: float = 0,
    ) -> str:
        self.calls.append((messages, schema))
        reply = self.replies.pop(0) if self.replies else self.default
        if reply is None:
            raise AssertionError("the writer called the back-end more often than scripted")
        if isinstance(reply, BackendError):
            raise reply
        return reply(messages) if callable(reply) else reply

    def payloads(self) -> list[dict[str, object]]:
        """The JSON user payload of every call (the first user message)."""
        return [json.loads(messages[1]["content"]) for messages, _ in self.calls]


class FixedWriter:
    """A base writer that returns a given draft and revises to a marker sentence."""

    name = "fixed"

    def __init__(self, draft: DraftDigest) -> None:
        self.draft = draft

    def write(self, brief: StoryBrief) -> DraftDigest:
        return self.draft

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        return DraftSentence(text="BASE REVISION", evidence=sentence.evidence)
