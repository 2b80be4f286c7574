"""Exception hierarchy: every error newsdistill raises on purpose derives from NewsdistillError."""


class NewsdistillError(Exception):
    """Base class for errors that carry a message meant for the user."""


class ConfigError(NewsdistillError):
    """A setting is missing or invalid."""


class StoreError(NewsdistillError):
    """The database could not be opened, migrated or written."""


class DatabaseError(StoreError):
    """The database refused or failed an operation: locked, read-only, full or unreachable.
    The transaction it interrupted was rolled back, so what was stored before is intact."""


class NotFoundError(StoreError):
    """A feed, article, story or digest that was asked for does not exist."""


class FetchError(NewsdistillError):
    """A URL could not be fetched: network failure, HTTP error, oversize or undecodable body."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class BlockedAddressError(FetchError):
    """A URL (or a redirect it led to) points at an address fetching may not reach: loopback,
    private, link-local, multicast, reserved, unspecified or a cloud metadata service."""


class FeedParseError(NewsdistillError):
    """A document that should be an RSS/Atom feed or OPML list is not."""


class InputError(NewsdistillError):
    """A local file or argument given to ingest cannot be read as articles."""


class ExtractionError(NewsdistillError):
    """No article text could be extracted from a page."""


class ModelLoadError(NewsdistillError):
    """A model file is missing, corrupt (hash mismatch) or its runtime is not installed."""


class WriterError(NewsdistillError):
    """A writer failed to produce a digest (timeout, server error, malformed output)."""


class WorkerError(NewsdistillError):
    """The stage workers could not do a round: no broker, or no worker took a stage's tasks."""
