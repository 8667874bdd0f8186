"""tag origin, fingerprint bands, syndication

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fingerprint_band0", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("fingerprint_band1", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("fingerprint_band2", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("fingerprint_band3", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("syndicated_from_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_articles_fingerprint_band0"), ["fingerprint_band0"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_articles_fingerprint_band1"), ["fingerprint_band1"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_articles_fingerprint_band2"), ["fingerprint_band2"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_articles_fingerprint_band3"), ["fingerprint_band3"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_articles_syndicated_from_id"), ["syndicated_from_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_articles_syndicated_from_id_articles"),
            "articles",
            ["syndicated_from_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=20), server_default="given", nullable=False)
        )

    # Articles stored before this revision get their bands from the fingerprint they have.
    op.execute(
        "UPDATE articles SET fingerprint_band0 = fingerprint & 65535,"
        " fingerprint_band1 = (fingerprint >> 16) & 65535,"
        " fingerprint_band2 = (fingerprint >> 32) & 65535,"
        " fingerprint_band3 = (fingerprint >> 48) & 65535"
    )


def downgrade() -> None:
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.drop_column("origin")

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_articles_syndicated_from_id_articles"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_articles_syndicated_from_id"))
        batch_op.drop_index(batch_op.f("ix_articles_fingerprint_band3"))
        batch_op.drop_index(batch_op.f("ix_articles_fingerprint_band2"))
        batch_op.drop_index(batch_op.f("ix_articles_fingerprint_band1"))
        batch_op.drop_index(batch_op.f("ix_articles_fingerprint_band0"))
        batch_op.drop_column("syndicated_from_id")
        batch_op.drop_column("fingerprint_band3")
        batch_op.drop_column("fingerprint_band2")
        batch_op.drop_column("fingerprint_band1")
        batch_op.drop_column("fingerprint_band0")
