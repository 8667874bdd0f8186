"""article_tags carry their article's outlet, at the end of the tag's date index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

The outlet facet of a tag's newest 10,000 articles read 10,000 article rows, and on SQLite
outlet_id lies past the body, in an overflow page: two random pages an article, most of a
facet's time on a large file. With the outlet copied to the link (as published_at is) and
ending the (tag_id, published_at, article_id) index, the facet is one range of that index.
Plain ADD COLUMN on SQLite: a batch rebuild of article_tags would drop 0006's triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_article_tags_tag_published"


def upgrade() -> None:
    op.add_column("article_tags", sa.Column("outlet_id", sa.Integer(), nullable=True))
    postgres = op.get_bind().dialect.name == "postgresql"
    # The copy changes no count: PostgreSQL's statement trigger (0007) would still take every
    # link out of tag_day_counts and put it back.
    if postgres:
        op.execute("ALTER TABLE article_tags DISABLE TRIGGER tag_day_counts_update")
    op.execute(
        "UPDATE article_tags SET outlet_id = "
        "(SELECT outlet_id FROM articles WHERE articles.id = article_tags.article_id)"
    )
    if postgres:
        op.execute("ALTER TABLE article_tags ENABLE TRIGGER tag_day_counts_update")
    op.drop_index(_INDEX, table_name="article_tags")
    op.create_index(
        _INDEX, "article_tags", ["tag_id", "published_at", "article_id", "outlet_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="article_tags")
    op.create_index(_INDEX, "article_tags", ["tag_id", "published_at", "article_id"], unique=False)
    op.drop_column("article_tags", "outlet_id")
