"""All settings in one place, read from the environment (prefix NEWSDISTILL_) or passed in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from newsdistill import __version__
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

    # Fetching; retries and backoff as newsdistill.retry explains, the limits and the address
    # guard as docs/security.md does
    contact_url: str = Field(
        default="https://github.com/newsdistill/newsdistill",
        description="Where site owners learn about us and reach us; sent in the User-Agent.",
    )
    user_agent: str | None = Field(
        default=None, description="Replaces the User-Agent built from the version and contact."
    )
    fetch_timeout: float = Field(
        default=15.0, description="Seconds one URL may take, redirects and body included."
    )
    fetch_connect_timeout: float = 5.0
    fetch_read_timeout: float = Field(
        default=10.0, description="Seconds a server may stay silent in the middle of a fetch."
    )
    fetch_run_deadline: float = Field(
        default=900.0, description="Seconds one `fetch` or `ingest` run may spend fetching."
    )
    fetch_max_redirects: int = 5
    fetch_per_host: int = Field(default=2, description="Fetches at once from one host.")
    fetch_robots: bool = Field(default=True, description="Honour each site's robots.txt.")
    fetch_allow: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Non-public destinations fetching may reach: hosts, host:port or CIDRs, "
        "comma-separated in the environment (e.g. 127.0.0.1:8080,10.1.0.0/16).",
    )
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
    # Where the database has pgvector, how many nearest stories of the window an article is
    # scored against (docs/postgresql.md); elsewhere it is scored against all of them.
    nearest_stories: int = Field(default=50, gt=0)

    # Distilling
    writer: str = "extractive"
    # The reader's language (ISO 639-1, e.g. "de"): a story with sources in it is written in
    # it; unset, or with none, in the language most of the story's sources are in.
    digest_language: str | None = None
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
    llm_concurrency: int = Field(
        default=4,
        ge=1,
        description="Requests this process has in flight to the OpenAI-compatible server at "
        "most; every worker process has its own, so the server sees at most the processes "
        "times this.",
    )
    llm_retries: int = 2
    llm_backoff: float = 0.5

    # `newsdistill watch`: seconds between polls of a feed (each feed's own interval starts
    # here and moves within min..max with how often it publishes), the settle delay before a
    # story that gained reports is distilled again, and the hours after which a story with no
    # new report is closed.
    poll_interval: float = 900.0
    poll_min_interval: float = 300.0
    poll_max_interval: float = 6 * 3600.0
    settle_delay: float = 120.0
    close_after_hours: float = 48.0

    # Stage workers (`newsdistill worker`, `newsdistill dispatch`): Celery's broker, Redis
    # (redis://) or RabbitMQ (amqp://), and where task results go; unset, Redis keeps them
    # when it is the broker, and with RabbitMQ they come back as messages (rpc://).
    broker_url: str = "redis://127.0.0.1:6379/0"
    result_backend: str | None = None
    # Put before each stage's queue name, so that several newsrooms can share one broker.
    queue_prefix: str = ""
    # How long `dispatch` waits for one stage's tasks before it gives up.
    dispatch_timeout: float = 3600.0

    # `newsdistill serve`: with a token set, the JSON API accepts writes (adding a feed) from
    # requests bearing it; unset, the API is read-only.
    write_token: str | None = None

    @field_validator("fetch_allow", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    def http_user_agent(self) -> str:
        return self.user_agent or (
            f"newsdistill/{__version__} (news feed reader; +{self.contact_url})"
        )

    def database_url(self) -> str:
        if self.db:
            return self.db
        return f"sqlite:///{self.home / 'newsdistill.db'}"


@cache
def get_settings() -> Settings:
    return Settings()
