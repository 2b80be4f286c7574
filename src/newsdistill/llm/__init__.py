"""LLM back-ends for chat completion: llama.cpp in-process, or any OpenAI-compatible server.

Writers depend only on the `ChatBackend` protocol; `local_backend` and `openai_backend` build
the two implementations from Settings.
"""

from __future__ import annotations

import importlib.util

from newsdistill.config import Settings
from newsdistill.errors import ModelLoadError
from newsdistill.llm.backend import (
    BackendError,
    ChatBackend,
    JsonSchema,
    Message,
    ModelBackend,
    Reply,
    Usage,
)
from newsdistill.llm.llamacpp import INSTALL_HINT, LlamaCppBackend
from newsdistill.llm.model_files import resolve_model_path
from newsdistill.llm.openai_compat import OpenAICompatBackend
from newsdistill.retry import RetryPolicy

__all__ = [
    "BackendError",
    "ChatBackend",
    "JsonSchema",
    "LlamaCppBackend",
    "Message",
    "ModelBackend",
    "OpenAICompatBackend",
    "Reply",
    "Usage",
    "local_backend",
    "openai_backend",
]


def local_backend(settings: Settings) -> LlamaCppBackend:
    """The in-process back-end; fails fast (ModelLoadError) if the runtime or model is missing.

    The model itself loads at the first completion, so building a writer stays cheap.
    """
    if importlib.util.find_spec("llama_cpp") is None:
        raise ModelLoadError(INSTALL_HINT)
    return LlamaCppBackend(resolve_model_path(settings), n_threads=settings.model_threads)


def openai_backend(settings: Settings) -> OpenAICompatBackend:
    return OpenAICompatBackend(
        settings.openai_base_url,
        settings.openai_model,
        settings.openai_api_key,
        settings.llm_timeout,
        concurrency=settings.llm_concurrency,
        retry=RetryPolicy.for_models(settings),
    )
