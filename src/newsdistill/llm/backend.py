"""The chat-completion interface every LLM back-end implements, and its error type."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from newsdistill.errors import WriterError

Message = dict[str, str]
JsonSchema = dict[str, Any]

T = TypeVar("T")


class BackendError(WriterError):
    """A back-end call failed after its retries: timeout, server error or unreachable server.

    Distinct from malformed output (which the caller may retry) so that a writer can stop calling
    a back-end that is down instead of waiting for every piece of a story to time out.
    """


@dataclass(frozen=True)
class Reply(Generic[T]):
    """What one call returned and what it cost: tokens as the model counted them, and the
    seconds it took once it was sent (retries included, waiting for a free slot not)."""

    value: T
    prompt_tokens: int
    completion_tokens: int
    seconds: float


@dataclass
class Usage:
    """Token counts and wall time summed over a back-end's calls, for measuring speed; calls
    made from several threads at once add up safely."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, reply: Reply[Any]) -> None:
        with self._lock:
            self.calls += 1
            self.prompt_tokens += reply.prompt_tokens
            self.completion_tokens += reply.completion_tokens
            self.seconds += reply.seconds


class ModelBackend(Protocol):
    """What every back-end says about itself, for the records of its calls and for batching."""

    name: str  # the back-end, e.g. "openai", "llama-cpp"
    model: str  # the model's id at the server, or its file name
    # Calls it serves at once. 1: call it from one thread at a time (the in-process model is
    # one llama.cpp instance, not thread-safe); more: a server that batches concurrent
    # requests (vLLM, llama.cpp server with parallel slots), up to the process's limit.
    concurrency: int
    usage: Usage


class ChatBackend(ModelBackend, Protocol):
    """Turns chat messages into the assistant's reply text."""

    def complete(
        self,
        messages: list[Message],
        *,
        schema: JsonSchema | None,
        max_tokens: int,
        temperature: float = 0,
    ) -> Reply[str]:
        """The assistant text; with `schema`, constrained to that JSON schema if possible.

        Raise BackendError when the call fails, ModelLoadError when the model cannot be loaded.
        """
        ...


class AnswerScorer(ModelBackend, Protocol):
    """Scores one-word answers to a chat prompt instead of generating text: a judge reads the
    model's confidence ("yes" 0.83) rather than a coin-flip of its sampled word."""

    def answer_probabilities(
        self, messages: list[Message], answers: Sequence[str]
    ) -> Reply[dict[str, float]]:
        """Probability of each answer as the whole reply, renormalised over `answers`.

        Raise BackendError when the call fails, ModelLoadError when the model cannot be loaded.
        """
        ...


def normalise_answers(logprobs: Mapping[str, float], answers: Sequence[str]) -> dict[str, float]:
    """Softmax over the answers' log-probabilities; an answer absent from `logprobs` gets none
    of the mass (if no answer is present at all, they share it equally)."""
    present = {a: logprobs[a] for a in answers if a in logprobs and math.isfinite(logprobs[a])}
    if not present:
        return {a: 1.0 / len(answers) for a in answers}
    top = max(present.values())
    weights = {a: math.exp(present[a] - top) if a in present else 0.0 for a in answers}
    total = sum(weights.values())
    return {a: w / total for a, w in weights.items()}
