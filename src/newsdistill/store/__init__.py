"""The store: one repository interface over SQLAlchemy (SQLite by default, PostgreSQL at scale)."""

from newsdistill.store.repository import ClusterState, Store

__all__ = ["ClusterState", "Store"]
