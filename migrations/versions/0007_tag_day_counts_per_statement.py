"""PostgreSQL keeps tag_day_counts once per statement, not once per article-tag row

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

A batch files thousands of tag links in one INSERT; a row trigger ran a plpgsql call and an
upsert for each of them (about 1 ms an article). Triggers with transition tables see all the
statement's rows at once and upsert each (tag, day) once. SQLite has no statement triggers;
its row triggers from 0006 stay.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Sorted so that concurrent statements take the counters' row locks in one order.
_ADD = """INSERT INTO tag_day_counts (tag_id, day, articles)
    SELECT tag_id, published_at::date, count(*) FROM added GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (tag_id, day)
    DO UPDATE SET articles = tag_day_counts.articles + EXCLUDED.articles;"""
_REMOVE = """UPDATE tag_day_counts AS c SET articles = c.articles - gone.n
    FROM (SELECT tag_id, published_at::date AS day, count(*) AS n FROM removed GROUP BY 1, 2
          ORDER BY 1, 2) AS gone
    WHERE c.tag_id = gone.tag_id AND c.day = gone.day;
    DELETE FROM tag_day_counts AS c USING (SELECT DISTINCT tag_id, published_at::date AS day
        FROM removed) AS gone
    WHERE c.tag_id = gone.tag_id AND c.day = gone.day AND c.articles <= 0;"""

FUNCTION = f"""
CREATE FUNCTION count_tag_days_per_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {_REMOVE}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_ADD}
    END IF;
    RETURN NULL;
END $$
"""
# A trigger with transition tables has one event, and an UPDATE one no column list.
TRIGGERS = {
    "tag_day_counts_insert": "INSERT ON article_tags REFERENCING NEW TABLE AS added",
    "tag_day_counts_delete": "DELETE ON article_tags REFERENCING OLD TABLE AS removed",
    "tag_day_counts_update": "UPDATE ON article_tags "
    "REFERENCING OLD TABLE AS removed NEW TABLE AS added",
}


def _revision_0006() -> ModuleType:
    path = Path(__file__).with_name("0006_tag_day_counts.py")
    spec = importlib.util.spec_from_file_location("revision_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER tag_day_counts ON article_tags")
    op.execute("DROP FUNCTION count_tag_days()")
    op.execute(FUNCTION)
    for name, event in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} "
            "FOR EACH STATEMENT EXECUTE FUNCTION count_tag_days_per_statement()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON article_tags")
    op.execute("DROP FUNCTION count_tag_days_per_statement()")
    previous = _revision_0006()
    op.execute(previous.POSTGRES_FUNCTION)
    op.execute(previous.POSTGRES_TRIGGER)
