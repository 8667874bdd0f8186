"""SQLite keeps tag_day_counts WITHOUT ROWID, its rows clustered on (tag_id, day)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

A timeline sums one tag's daily counts. In a rowid table those rows lie wherever the trigger
inserted them, interleaved with every other tag's: a popular tag's 3,650 days were 3,650 rowid
lookups, each a random page in a large file (most of a timeline's 140 ms at 1M articles,
reading from disk). Clustered on the key, they are a few consecutive leaf pages. SQLite cannot
change a table to WITHOUT ROWID in place: the rows move to a new table, and article_tags'
triggers, which name the table, are made again. PostgreSQL has no such table kind: unchanged.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision_0006() -> ModuleType:
    path = Path(__file__).with_name("0006_tag_day_counts.py")
    spec = importlib.util.spec_from_file_location("revision_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rebuild(with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    previous = _revision_0006()
    for name in previous.SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.create_table(
        "tag_day_counts_new",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_tag_day_counts_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tag_id", "day", name=op.f("pk_tag_day_counts")),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        "INSERT INTO tag_day_counts_new (tag_id, day, articles) "
        "SELECT tag_id, day, articles FROM tag_day_counts ORDER BY tag_id, day"
    )
    op.drop_table("tag_day_counts")
    op.rename_table("tag_day_counts_new", "tag_day_counts")
    previous.create_sqlite_triggers()


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
