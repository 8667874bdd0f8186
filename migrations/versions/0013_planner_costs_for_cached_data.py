"""the PostgreSQL planner costs random reads as data that is in memory

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

newsdb's reads are short index walks over data a serving database keeps cached. With the
default `random_page_cost` of 4 (a spinning disk's), the planner estimated ~28 tag links an
article on the 1M corpus (there are 8) and joined each page's tags by reading all 5,500 tags
for every article: 20 ms for a topic page of 20 instead of 2 ms. 1.1 is the usual setting for
SSDs and cached data. Set on this database, so every session gets it, through PgBouncer too.
SQLite has no such setting.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _set(value: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET random_page_cost = "
            f"{value}', current_database()); END $$"
        )


def upgrade() -> None:
    _set("1.1")


def downgrade() -> None:
    _set("DEFAULT")
