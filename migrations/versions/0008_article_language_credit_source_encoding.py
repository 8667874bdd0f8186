"""articles' language and credit; compressed sources

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Plain ADD COLUMN on both engines: a batch rebuild of `articles` on SQLite would drop the
full-text triggers that 0003 created on it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("language", sa.String(length=35), nullable=True))
    op.add_column("articles", sa.Column("credit", sa.String(length=300), nullable=True))
    op.add_column(
        "article_sources",
        sa.Column("encoding", sa.String(length=20), server_default="identity", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("article_sources", schema=None) as batch_op:
        batch_op.drop_column("encoding")
    op.drop_column("articles", "credit")
    op.drop_column("articles", "language")
