"""The store: one repository interface over SQLAlchemy (SQLite by default, PostgreSQL at scale)."""

from newsdistill.store.repository import Store

__all__ = ["Store"]
