"""full-text search index (SQLite FTS5)

Two FTS5 tables, kept current by triggers so that no write path has to remember them:

- article_search: an external-content index over articles (title, text); the text lives once,
  in `articles`, and the index holds only the terms.
- story_search: each story's newest digest (headline and every claim's text, gathered from the
  digest's JSON with json_tree), replaced whenever a new version is stored.

Both use the porter stemmer over unicode61, so "strikes" finds "strike" and "Zürich" "zurich".
PostgreSQL has its own full-text search (0005); there this revision does nothing.

Revision ID: 0003
Revises: 0002
"""

from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"
# Every "text" value in a digest's JSON: headline, summary, key points, lede, sections, path
# ahead and the key developments' details (citations and sources carry no "text").
_DIGEST_TEXT = "(SELECT group_concat(value, ' ') FROM json_tree(NEW.body) WHERE key = 'text')"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE article_search USING fts5("
        f"title, text, content = 'articles', content_rowid = 'id', {_TOKENIZE})"
    )
    op.execute(
        "CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN"
        " INSERT INTO article_search(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text);"
        " END"
    )
    op.execute(
        "CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN"
        " INSERT INTO article_search(article_search, rowid, title, text)"
        " VALUES ('delete', OLD.id, OLD.title, OLD.text);"
        " END"
    )
    # Only a change of the indexed columns: articles are updated often (status, story, vectors).
    op.execute(
        "CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN"
        " INSERT INTO article_search(article_search, rowid, title, text)"
        " VALUES ('delete', OLD.id, OLD.title, OLD.text);"
        " INSERT INTO article_search(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text);"
        " END"
    )
    op.execute("INSERT INTO article_search(article_search) VALUES ('rebuild')")

    op.execute(
        f"CREATE VIRTUAL TABLE story_search USING fts5(story_id UNINDEXED, headline, body, {_TOKENIZE})"
    )
    op.execute(
        "CREATE TRIGGER story_search_digest AFTER INSERT ON digests"
        " WHEN NEW.version >= (SELECT max(version) FROM digests WHERE story_id = NEW.story_id)"
        " BEGIN"
        " DELETE FROM story_search WHERE story_id = NEW.story_id;"
        f" INSERT INTO story_search(story_id, headline, body) VALUES (NEW.story_id, NEW.headline, {_DIGEST_TEXT});"
        " END"
    )
    op.execute(
        "INSERT INTO story_search(story_id, headline, body)"
        " SELECT d.story_id, d.headline,"
        " (SELECT group_concat(value, ' ') FROM json_tree(d.body) WHERE key = 'text')"
        " FROM digests AS d"
        " WHERE d.version = (SELECT max(version) FROM digests WHERE story_id = d.story_id)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in (
        "article_search_insert",
        "article_search_delete",
        "article_search_update",
        "story_search_digest",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS article_search")
    op.execute("DROP TABLE IF EXISTS story_search")
