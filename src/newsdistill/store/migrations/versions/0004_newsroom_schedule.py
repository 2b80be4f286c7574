"""feed schedules, feed topics and closed stories

For `watch`: each feed keeps its own polling interval and the time it is next due (a restart
resumes the schedule instead of polling everything at once), and a topic taken from its OPML
category or the user's own group. A story with no new reports for a while is closed: it stays
readable and is never shown as new again.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# Plain ADD COLUMN, not a batch copy of the table: SQLite would drop and recreate `feeds`, and
# with foreign keys on, dropping it sets every article's feed_id to NULL.
def upgrade() -> None:
    op.add_column("feeds", sa.Column("topic", sa.String(256), nullable=True))
    op.add_column("feeds", sa.Column("poll_interval", sa.Integer(), nullable=True))
    op.add_column("feeds", sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("stories", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("stories", "closed_at")
    for column in ("next_poll_at", "poll_interval", "topic"):
        op.drop_column("feeds", column)
