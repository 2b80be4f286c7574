"""Throw-away databases for benchmarks and tests: each run gets its own, empty one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

__all__ = ["scratch_database"]


@contextmanager
def scratch_database(server: str, folder: Path, name: str) -> Iterator[str]:
    """A new, empty database: a SQLite file `name`.db in `folder` for a sqlite URL, else a
    uniquely named database on `server`'s PostgreSQL (which must allow CREATE DATABASE),
    dropped afterwards."""
    if server.startswith("sqlite"):
        path = folder / f"{name}.db"
        path.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    url = make_url(server)
    database = f"newsdistill_scratch_{uuid.uuid4().hex[:16]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        try:
            yield url.set(database=database).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    finally:
        admin.dispose()
