"""article_tags and article_authors indexed in position order

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

A listing builds each article's tags and authors as JSON in their order: with these covering
indexes the database reads them in order from the index, with no sort and no table read per
article (282 → 210 µs for the query of a topic page of 20 at 10k articles on SQLite).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_article_tags_article_position",
        "article_tags",
        ["article_id", "position", "tag_id"],
    )
    op.create_index(
        "ix_article_authors_article_position",
        "article_authors",
        ["article_id", "position", "author_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_article_authors_article_position", table_name="article_authors")
    op.drop_index("ix_article_tags_article_position", table_name="article_tags")
