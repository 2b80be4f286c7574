"""What writers and judges share about calling a model: the record of each call (ModelCall),
and batches of independent calls sent together.

A batch runs its calls in threads, at most the back-end's `concurrency` at once, so that a
server batching concurrent requests (vLLM, llama.cpp server with parallel slots) answers them
together; results are read in the order the calls were submitted, so a batch gives what the
same calls made one after another give. A back-end of concurrency 1 (the in-process model)
gets each call in the submitting thread, one after another.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import ParamSpec, TypeVar

from newsdistill.llm.backend import BackendError, Message, ModelBackend, Reply
from newsdistill.models import CallOutcome, ModelCall

T = TypeVar("T")
P = ParamSpec("P")


def prompt_sha256(messages: list[Message]) -> str:
    encoded = json.dumps(messages, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def recorded(
    backend: ModelBackend,
    job: str,
    messages: list[Message],
    ask: Callable[[], Reply[T]],
    calls: list[ModelCall],
) -> tuple[T, ModelCall]:
    """`ask()`'s value, and its record appended to `calls`: outcome "accepted" until the caller
    says otherwise. A BackendError (timeout, server down) is recorded with its message as the
    reason and raised again; its seconds are the caller's wait, as the call returned nothing."""
    started = time.perf_counter()

    def record(
        outcome: CallOutcome, reason: str | None, prompt: int, completion: int, seconds: float
    ) -> ModelCall:
        call = ModelCall(
            job=job,
            backend=backend.name,
            model=backend.model,
            prompt_sha256=prompt_sha256(messages),
            prompt_tokens=prompt,
            completion_tokens=completion,
            seconds=round(seconds, 3),
            outcome=outcome,
            reason=reason,
        )
        calls.append(call)
        return call

    try:
        reply = ask()
    except BackendError as exc:
        record("backend error", str(exc), 0, 0, time.perf_counter() - started)
        raise
    call = record("accepted", None, reply.prompt_tokens, reply.completion_tokens, reply.seconds)
    return reply.value, call


class Batch:
    """Independent calls to one back-end, sent together up to its concurrency (a context
    manager: leaving it waits for every call)."""

    def __init__(self, concurrency: int) -> None:
        self._pool = ThreadPoolExecutor(concurrency) if concurrency > 1 else None

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        if self._pool is not None:
            return self._pool.submit(fn, *args, **kwargs)
        done: Future[T] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as exc:  # raised where the caller reads the result, as in a thread
            done.set_exception(exc)
        return done

    def __enter__(self) -> Batch:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
