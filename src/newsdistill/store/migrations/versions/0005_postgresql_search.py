"""full-text search indexes (PostgreSQL)

PostgreSQL's counterpart of the FTS5 tables of 0003: two GIN indexes over tsvector
expressions, so the text is stored once, in its table, and no trigger has to keep a copy:

- ix_articles_search: an article's title and text;
- ix_digests_search: every "text" value in a digest's JSON (headline, summary, key points,
  lede, sections, path ahead and the key developments' details), as 0003 gathers them with
  json_tree. Every version is indexed; the search asks for the newest one of each story.

Both use the text search configuration `newsdistill`: English stemming ("strikes" finds
"strike") and, where the server has the unaccent extension (contrib, trusted since
PostgreSQL 13), accents folded ("Zürich" finds "zurich"). Without unaccent it is a copy of
`english` and a warning says so. The queries of store/search.py repeat these expressions
exactly: PostgreSQL uses an expression index only for the same expression.

On SQLite this revision does nothing.

Revision ID: 0005
Revises: 0004
"""

import logging

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ARTICLE_DOCUMENT = "to_tsvector('newsdistill', title || ' ' || text)"
_DIGEST_DOCUMENT = (
    "to_tsvector('newsdistill', jsonb_path_query_array(body::jsonb, 'strict $.**.text'))"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE TEXT SEARCH CONFIGURATION newsdistill (COPY = english)")
    if _unaccent(bind):
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION newsdistill"
            " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
    else:
        logging.getLogger(__name__).warning(
            "PostgreSQL has no unaccent extension here: search matches accents as typed"
        )
    op.execute(f"CREATE INDEX ix_articles_search ON articles USING gin ({_ARTICLE_DOCUMENT})")
    op.execute(f"CREATE INDEX ix_digests_search ON digests USING gin ({_DIGEST_DOCUMENT})")


def _unaccent(bind: Connection) -> bool:
    """Whether the unaccent extension is (now) installed in this database. A server without
    it, or a user who may not create it, leaves the migration going, not failed."""
    available = bind.scalar(text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"))
    if not available:
        return False
    savepoint = bind.begin_nested()
    try:
        bind.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_digests_search")
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    # The unaccent extension stays: other schemas of this database may use it.
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsdistill")
