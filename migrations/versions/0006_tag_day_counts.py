"""articles per tag per day, kept by triggers on article_tags

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

The triggers live here, not in the models. On SQLite a batch migration that rebuilds
article_tags drops them and must create them again (see create_sqlite_triggers).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADD = """INSERT INTO tag_day_counts (tag_id, day, articles) VALUES ({tag}, {day}, 1)
    ON CONFLICT (tag_id, day) DO UPDATE SET articles = tag_day_counts.articles + 1;"""
_REMOVE = """UPDATE tag_day_counts SET articles = articles - 1
    WHERE tag_id = {tag} AND day = {day};
    DELETE FROM tag_day_counts WHERE tag_id = {tag} AND day = {day} AND articles <= 0;"""

SQLITE_TRIGGERS = {
    "tag_day_counts_insert": "AFTER INSERT ON article_tags BEGIN "
    + _ADD.format(tag="NEW.tag_id", day="date(NEW.published_at)")
    + " END",
    "tag_day_counts_delete": "AFTER DELETE ON article_tags BEGIN "
    + _REMOVE.format(tag="OLD.tag_id", day="date(OLD.published_at)")
    + " END",
    "tag_day_counts_update": "AFTER UPDATE OF tag_id, published_at ON article_tags BEGIN "
    + _REMOVE.format(tag="OLD.tag_id", day="date(OLD.published_at)")
    + _ADD.format(tag="NEW.tag_id", day="date(NEW.published_at)")
    + " END",
}

POSTGRES_FUNCTION = f"""
CREATE FUNCTION count_tag_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {_REMOVE.format(tag="OLD.tag_id", day="OLD.published_at::date")}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_ADD.format(tag="NEW.tag_id", day="NEW.published_at::date")}
    END IF;
    RETURN NULL;
END $$
"""
POSTGRES_TRIGGER = """CREATE TRIGGER tag_day_counts AFTER INSERT OR DELETE
    OR UPDATE OF tag_id, published_at ON article_tags
    FOR EACH ROW EXECUTE FUNCTION count_tag_days()"""


def create_sqlite_triggers() -> None:
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade() -> None:
    op.create_table(
        "tag_day_counts",
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
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    day = "published_at::date" if postgres else "date(published_at)"
    op.execute(
        f"INSERT INTO tag_day_counts (tag_id, day, articles) "
        f"SELECT tag_id, {day}, count(*) FROM article_tags GROUP BY tag_id, {day}"
    )
    if postgres:
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
    else:
        create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER tag_day_counts ON article_tags")
        op.execute("DROP FUNCTION count_tag_days()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("tag_day_counts")
