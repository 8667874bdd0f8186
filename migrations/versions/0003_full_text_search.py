"""full-text search: FTS5 on SQLite, a weighted tsvector with a GIN index on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

The search objects live outside the ORM models (they differ per engine); app/migrate.py keeps
autogenerate from reporting them. A later SQLite batch migration that rebuilds `articles`
drops its triggers and must create them again (see create_sqlite_triggers).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Bodies can be up to 2 MB; PostgreSQL caps a tsvector at 1 MB, so index the first 300k chars.
POSTGRES_SEARCH_VECTOR = """
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(subtitle, '')), 'B') ||
    setweight(to_tsvector('english', left(body, 300000)), 'C')
) STORED
"""

SQLITE_TRIGGERS = [
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, subtitle, body)
        VALUES (new.id, new.title, new.subtitle, new.body);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, subtitle, body)
        VALUES ('delete', old.id, old.title, old.subtitle, old.body);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, subtitle, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, subtitle, body)
        VALUES ('delete', old.id, old.title, old.subtitle, old.body);
        INSERT INTO articles_fts(rowid, title, subtitle, body)
        VALUES (new.id, new.title, new.subtitle, new.body);
    END""",
]


def create_sqlite_triggers() -> None:
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_SEARCH_VECTOR)
        op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, subtitle, body,"
        " content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN search_vector")
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER articles_fts_{name}")
    op.execute("DROP TABLE articles_fts")
