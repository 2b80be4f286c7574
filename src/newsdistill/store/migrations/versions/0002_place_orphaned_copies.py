"""place orphaned copies

Before this revision a copy processed ahead of its original (dated earlier, stored later) was
marked a duplicate of an article in no story yet, and kept story_id NULL for good. Each such
copy joins the story its original was placed in since.

Revision ID: 0002
Revises: 0001
"""

from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE articles SET story_id = ("
        " SELECT original.story_id FROM articles AS original"
        " WHERE original.id = articles.duplicate_of"
        ") WHERE status = 'duplicate' AND story_id IS NULL"
    )


def downgrade() -> None:
    pass  # the copies stay placed: a story is what they always should have had
