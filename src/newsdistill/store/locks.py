"""One lock across processes for work that must not run twice at once (story assignment).

Incremental clustering reads the open stories, then places each pending article: two workers
doing that at once could both open a story for one event. The lock makes them take turns.
On PostgreSQL it is a session advisory lock, held on a connection of its own for the whole
critical section; on a SQLite file, an flock(2) on a file beside the database (SQLite allows
one writer at a time anyway, but a lock on its transactions would not span the section).
"""

from __future__ import annotations

import fcntl
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

_in_memory = threading.Lock()  # a ":memory:" SQLite store lives in one process only


def _key(name: str) -> int:
    """A stable 32-bit key for `name`, the same in every process (Python's hash is salted)."""
    return zlib.crc32(f"newsdistill:{name}".encode())


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock `name` for this store until the block ends; waits while another holds it."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _key(name)})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _key(name)})
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        with _in_memory:
            yield
        return
    database = database.removeprefix("file:")  # a URI filename (sqlite:///file:…?uri=true)
    path = Path(database).with_name(Path(database).name + f".{name}.lock")
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
