"""Chat completion against any OpenAI-compatible server (OpenAI, llama.cpp, vLLM...) through the
openai SDK, pointed at the server by `base_url`.

Retries: the SDK's own are switched off (max_retries=0) so that there is one policy, the one in
newsdistill.retry that fetching uses too. A timeout, a refused connection, HTTP 429 or 5xx is
retried after the policy's backoff or the server's Retry-After, whichever is longer (capped at
Settings.retry_max_wait), up to Settings.llm_retries times. When the retries are spent, and on
any other failure, a call raises BackendError, so a writer stops calling a server that is down.

Concurrency: at most `concurrency` (Settings.llm_concurrency) requests of this process are in
flight to one server at a time, whatever number of backends and threads call it; the others
wait for a slot. Across worker processes the bound is their number times that setting.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from newsdistill.config import get_settings
from newsdistill.errors import ConfigError
from newsdistill.llm.backend import (
    BackendError,
    JsonSchema,
    Message,
    Reply,
    Usage,
    normalise_answers,
)
from newsdistill.retry import RetryPolicy, Transient, parse_retry_after

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletion, ChatCompletionMessageParam

log = logging.getLogger(__name__)

# How JSON output is requested, strictest first. Servers differ: OpenAI and vLLM take
# `json_schema`; llama-cpp-python's server takes `json_object` with a `schema`; some only plain
# `json_object`. An error that names the response format moves one step down, once per backend
# (llama-cpp-python's server answers such a validation error with HTTP 500, not 400/422).
_FORMATS = ("json_schema", "json_object+schema", "json_object")


def _response_format(kind: str, schema: JsonSchema) -> dict[str, Any]:
    if kind == "json_schema":
        name = str(schema.get("title", "output"))
        return {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": True},
        }
    if kind == "json_object+schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


class _Unavailable(BackendError, Transient):
    """A failure that may pass: timeout, unreachable server, HTTP 429 or 5xx."""

    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.retry_after = retry_after


class _FormatRejected(Exception):
    """The server refused the requested response format and a weaker one is left to try."""

    seconds = 0.0  # the refused request's, counted in the call's time


class _Slots:
    """The requests in flight to one server from this process, at most `limit` at once. The
    limit is the latest backend's for that server: a resize applies as requests finish."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._in_flight = 0
        self._changed = threading.Condition()

    def resize(self, limit: int) -> None:
        with self._changed:
            self.limit = limit
            self._changed.notify_all()

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: self._in_flight < self.limit)
            self._in_flight += 1
        try:
            yield
        finally:
            with self._changed:
                self._in_flight -= 1
                self._changed.notify()


# By base URL: the writer's and the judge's backends share one server's slots.
_SLOTS: dict[str, _Slots] = {}
_SLOTS_LOCK = threading.Lock()


def _slots(base_url: str, limit: int) -> _Slots:
    with _SLOTS_LOCK:
        slots = _SLOTS.get(base_url)
        if slots is None:
            slots = _SLOTS[base_url] = _Slots(limit)
        elif slots.limit != limit:
            slots.resize(limit)
        return slots


class OpenAICompatBackend:
    """Calls `<base_url>/chat/completions`, at most `concurrency` requests of this process at
    a time; `retry` defaults to the model-server policy of the settings (llm_retries,
    llm_backoff)."""

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str,
        timeout: float,
        *,
        concurrency: int = 1,
        retry: RetryPolicy | None = None,
    ) -> None:
        # Imported here: the SDK takes half a second to import, and most runs never call it.
        import openai

        if concurrency < 1:
            raise ConfigError(f"llm_concurrency must be at least 1, not {concurrency}")
        self.model = model
        self.concurrency = concurrency
        self.retry = retry or RetryPolicy.for_models(get_settings())
        self.usage = Usage()
        self._slots = _slots(base_url.rstrip("/"), concurrency)
        self._format = 0
        self._format_lock = threading.Lock()
        self._timeout = timeout
        try:
            self._client = openai.OpenAI(
                base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0
            )
        except openai.OpenAIError as exc:
            raise ConfigError(
                f"cannot use the OpenAI-compatible server at {base_url}: {exc} "
                "(set NEWSDISTILL_OPENAI_API_KEY; a local server takes any key)"
            ) from exc

    def close(self) -> None:
        self._client.close()

    def complete(
        self,
        messages: list[Message],
        *,
        schema: JsonSchema | None,
        max_tokens: int,
        temperature: float = 0,
    ) -> Reply[str]:
        seconds = 0.0
        while True:
            kind = self._format
            response_format = None
            if schema is not None:
                response_format = _response_format(_FORMATS[kind], schema)
            try:
                completion, raw_text, took = self._create(
                    messages,
                    response_format,
                    downgradable=schema is not None and kind + 1 < len(_FORMATS),
                    max_tokens=max_tokens,
                    temperature=temperature,
                )
            except _FormatRejected as rejected:
                seconds += rejected.seconds
                # Concurrent calls may all be refused the same format: step down once for it.
                with self._format_lock:
                    if self._format == kind:
                        self._format += 1
                        log.info("server rejected response_format; using %s", _FORMATS[kind + 1])
                continue
            break
        try:
            text = completion.choices[0].message.content or ""
            prompt_tokens, completion_tokens = _token_counts(completion)
        except (AttributeError, IndexError, TypeError) as exc:
            raise _unexpected(raw_text) from exc
        reply = Reply(str(text), prompt_tokens, completion_tokens, seconds + took)
        self.usage.add(reply)
        return reply

    def answer_probabilities(
        self, messages: list[Message], answers: Sequence[str]
    ) -> Reply[dict[str, float]]:
        """One token with its top log-probabilities (OpenAI, vLLM and llama.cpp servers return
        them); a server that returns none still answers, and its word counts as certain."""
        completion, raw_text, seconds = self._create(
            messages, None, max_tokens=1, temperature=0, logprobs=True, top_logprobs=10
        )
        try:
            choice = completion.choices[0]
            word = str(choice.message.content or "")
            content = (choice.logprobs.content if choice.logprobs else None) or []
            top = (content[0].top_logprobs or []) if content else []
            candidates = [(str(t.token), float(t.logprob)) for t in top]
            prompt_tokens, completion_tokens = _token_counts(completion)
        except (AttributeError, IndexError, TypeError, ValueError) as exc:
            raise _unexpected(raw_text) from exc
        if not candidates:
            candidates = [(word, 0.0)]
        logprobs: dict[str, float] = {}
        for token, logprob in candidates:
            start = token.strip().casefold()
            for answer in answers:
                if start and answer.casefold().startswith(start):
                    logprobs[answer] = float(
                        math.log(math.exp(logprobs[answer]) + math.exp(logprob))
                        if answer in logprobs
                        else logprob
                    )
        reply = Reply(
            normalise_answers(logprobs, answers), prompt_tokens, completion_tokens, seconds
        )
        self.usage.add(reply)
        return reply

    def _create(
        self,
        messages: list[Message],
        response_format: dict[str, Any] | None,
        *,
        downgradable: bool = False,
        **params: Any,
    ) -> tuple[ChatCompletion, str, float]:
        """One chat completion under the retry policy: the parsed reply, its raw text and the
        seconds it took once a slot was free. The slot is held through the retries' waits:
        a server answering 429 or 503 gets no more of our requests meanwhile."""
        if response_format is not None:
            # Through extra_body: one of the forms is llama-cpp-python's, not OpenAI's.
            params["extra_body"] = {"response_format": response_format}
        with self._slots.slot():
            started = time.perf_counter()
            try:
                completion, raw_text = self.retry.call(
                    lambda: self._attempt(messages, params, downgradable)
                )
            except _Unavailable as exc:
                raise BackendError(
                    f"chat completion at {self._client.base_url} failed after "
                    f"{self.retry.attempts} attempts: {exc}"
                ) from exc
            except _FormatRejected as exc:
                exc.seconds = time.perf_counter() - started
                raise
            return completion, raw_text, time.perf_counter() - started

    def _attempt(
        self, messages: list[Message], params: dict[str, Any], downgradable: bool
    ) -> tuple[ChatCompletion, str]:
        import openai

        try:
            raw = self._client.chat.completions.with_raw_response.create(
                model=self.model,
                messages=cast("list[ChatCompletionMessageParam]", messages),
                **params,
            )
        except openai.APITimeoutError:
            raise _Unavailable(f"timed out after {self._timeout:g}s") from None
        except openai.APIConnectionError as exc:
            cause = exc.__cause__ or exc
            raise _Unavailable(f"{type(cause).__name__}: {cause}") from None
        except openai.APIStatusError as exc:
            raise self._status_error(exc, downgradable) from None
        try:
            # Not JSON parses to the text itself, unless the server called it JSON.
            return raw.parse(), raw.http_response.text
        except ValueError as exc:
            raise _unexpected(raw.http_response.text) from exc

    def _status_error(self, exc: openai.APIStatusError, downgradable: bool) -> Exception:
        """What an HTTP error means: a weaker format to try (`downgradable`: one is left), a
        retry, or a BackendError."""
        status = exc.status_code
        text = exc.response.text
        if downgradable and ("response_format" in text.lower() or "json_schema" in text.lower()):
            return _FormatRejected()  # not transient: complete() asks again, more simply
        if status == 429 or status >= 500:
            wait = parse_retry_after(exc.response.headers)
            return _Unavailable(f"HTTP {status}: {text[:200]}", wait)
        if status in (401, 403):
            return BackendError(
                f"{self._client.base_url} refused the API key (HTTP {status}); "
                "check NEWSDISTILL_OPENAI_API_KEY"
            )
        return BackendError(f"{self._client.base_url} answered HTTP {status}: {text[:300]}")


def _token_counts(completion: ChatCompletion) -> tuple[int, int]:
    usage = completion.usage
    if usage is None:
        return 0, 0
    return int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0)


def _unexpected(raw_text: str) -> BackendError:
    return BackendError(f"unexpected chat completion response: {raw_text[:300]}")
