"""The chat-completion interface every LLM back-end implements, and its error type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from newsdistill.errors import WriterError

Message = dict[str, str]
JsonSchema = dict[str, Any]


class BackendError(WriterError):
    """A back-end call failed after its retries: timeout, server error or unreachable server.

    Distinct from malformed output (which the caller may retry) so that a writer can stop calling
    a back-end that is down instead of waiting for every piece of a story to time out.
    """


@dataclass
class Usage:
    """Token counts and wall time summed over a back-end's calls, for measuring speed."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    def add(self, prompt_tokens: int, completion_tokens: int, seconds: float) -> None:
        self.calls += 1
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.seconds += seconds


class ChatBackend(Protocol):
    """Turns chat messages into the assistant's reply text."""

    name: str
    usage: Usage

    def complete(
        self,
        messages: list[Message],
        *,
        schema: JsonSchema | None,
        max_tokens: int,
        temperature: float = 0,
    ) -> str:
        """Return the assistant text; with `schema`, constrained to that JSON schema if possible.

        Raise BackendError when the call fails, ModelLoadError when the model cannot be loaded.
        """
        ...
