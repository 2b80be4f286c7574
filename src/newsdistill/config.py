"""All settings in one place, read from the environment (prefix NEWSDISTILL_) or passed in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from newsdistill.models import WriterMode


def _default_home() -> Path:
    return Path.home() / ".newsdistill"


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as NEWSDISTILL_<FIELD> in the environment."""

    model_config = SettingsConfigDict(env_prefix="NEWSDISTILL_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Where the default DB lives.")
    db: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; default sqlite:///<home>/newsdistill.db.",
    )

    # Fetching; retries and backoff as newsdistill.retry explains
    user_agent: str = "newsdistill/0.1 (+https://github.com/newsdistill; news digest reader)"
    fetch_timeout: float = 15.0
    fetch_retries: int = 2
    fetch_backoff: float = 0.5
    # The longest wait between two attempts of a fetch or a model call, whatever Retry-After says
    retry_max_wait: float = 30.0
    max_response_bytes: int = 10 * 1024 * 1024
    fetch_concurrency: int = 8

    # Clustering: how alike (mean similarity to its members) an article and a story must be
    # for the article to join, and how close in time; unset, ClusterParams' tuned defaults
    cluster_threshold: float | None = None
    cluster_window_hours: float | None = None
    near_duplicate_threshold: float = 0.6

    # Distilling
    writer: str = "extractive"
    # How a model writer works: "narrow" rewords the extractive draft piece by piece, "compose"
    # writes the whole digest from the numbered evidence. Unset: the writer's own default
    # (local → narrow, for its 1.5B model; openai → compose).
    writer_mode: WriterMode | None = None
    # Unset: the writer's own model judges it (local → llm, openai → llm-openai), else
    # the feature judge.
    judge: str | None = None
    # The clustering and the features judge were tuned on MiniLM's vectors; the store keeps
    # them, so a database must stay with one embedder.
    embedder: str = "minilm"
    model_threads: int = 2

    # LLM back-ends
    local_model_path: Path | None = None
    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_model: str = "default"
    openai_api_key: str = "sk-no-key"
    llm_timeout: float = 120.0
    llm_retries: int = 2
    llm_backoff: float = 0.5

    def database_url(self) -> str:
        if self.db:
            return self.db
        return f"sqlite:///{self.home / 'newsdistill.db'}"


@cache
def get_settings() -> Settings:
    return Settings()
