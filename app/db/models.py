"""ORM models: the schema is created only through Alembic migrations."""

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Column lengths the API's input limits are declared from.
MAX_URL_CHARS = 2048
MAX_LANGUAGE_CHARS = 35

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    # Stored naive: SQLite has no time zones, so every timestamp is UTC by convention.
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Outlet(Base):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(300), unique=True)
    domain: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(300), unique=True)
    bio: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Taxonomy(Base):
    __tablename__ = "taxonomies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    tags: Mapped[list["Tag"]] = relationship(back_populates="taxonomy", lazy="raise")


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("taxonomy_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy_id: Mapped[int] = mapped_column(ForeignKey("taxonomies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    # Indexed alone too: a plain `tag=slug` filter and vocabulary lookups span taxonomies.
    slug: Mapped[str] = mapped_column(String(300), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="SET NULL"), index=True
    )
    # How the tag entered the vocabulary: "vocabulary" (loaded by a publisher's list), "given"
    # (a scraper sent it as a list) or "inferred" (segmented from run-together text). Only the
    # first two guide later segmentation, so one bad split never teaches the next.
    origin: Mapped[str] = mapped_column(String(20), default="given", server_default="given")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The tag's JSON object as an article lists it, written by triggers (migration 0014) so a
    # listing only joins the texts. Never set from Python; nullable because SQLite's trigger
    # fills it just after the row is inserted. Derived: backups leave it out.
    json_text: Mapped[str | None] = mapped_column(Text, info={"derived": True})

    taxonomy: Mapped[Taxonomy] = relationship(back_populates="tags", lazy="raise")


class TagAlias(Base):
    """An old or alternative slug that still resolves to a tag (renames, merges)."""

    __tablename__ = "tag_aliases"
    __table_args__ = (UniqueConstraint("taxonomy_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy_id: Mapped[int] = mapped_column(ForeignKey("taxonomies.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(300))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        # Plain ascending indexes: both engines scan them backwards for "newest first".
        Index("ix_articles_published_at_id", "published_at", "id"),
        Index("ix_articles_outlet_published", "outlet_id", "published_at", "id"),
        # Without a URL, the same outlet + title + day is the same piece; the database enforces it
        # so that two scrapers racing each other still get one row.
        Index(
            "uq_articles_identity_key_without_url",
            "identity_key",
            unique=True,
            sqlite_where=text("url IS NULL"),
            postgresql_where=text("url IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(MAX_URL_CHARS), unique=True)
    title: Mapped[str] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # What a list shows of the body (app/articles/excerpt.py), written with it: lists never
    # read bodies. Derived, so backups leave it out. The default is there because SQLite adds
    # a NOT NULL column only with one.
    excerpt: Mapped[str] = mapped_column(Text, server_default="", info={"derived": True})
    published_at: Mapped[datetime] = mapped_column(DateTime)
    # False when the source gave a day only: the API then shows "YYYY-MM-DD".
    published_time_known: Mapped[bool] = mapped_column(Boolean, default=False)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="RESTRICT"))
    # sha256 of outlet slug + normalised title + publication day.
    identity_key: Mapped[str] = mapped_column(String(64), index=True)
    # 64-bit SimHash of the body, signed to fit BIGINT; its four 16-bit bands are indexed so
    # that bodies a few bits apart (near-duplicates) share at least one band.
    fingerprint: Mapped[int] = mapped_column(BigInteger)
    fingerprint_band0: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", index=True
    )
    fingerprint_band1: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", index=True
    )
    fingerprint_band2: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", index=True
    )
    fingerprint_band3: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", index=True
    )
    # BCP 47 primary language subtag as the page declared it ("en", "ko"), when it did.
    language: Mapped[str | None] = mapped_column(String(MAX_LANGUAGE_CHARS))
    # An agency or staff byline ("Associated Press"): credited, but not a person.
    credit: Mapped[str | None] = mapped_column(String(300))
    # The article this one is a syndicated copy of (same body, another outlet).
    syndicated_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ArticleAuthor(Base):
    __tablename__ = "article_authors"
    __table_args__ = (
        Index("ix_article_authors_author_published", "author_id", "published_at", "article_id"),
        # An article's authors in byline order straight from the index: a page's JSON per row
        # neither sorts nor reads the table (see app/articles/reads.py).
        Index("ix_article_authors_article_position", "article_id", "position", "author_id"),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)
    # Copied from the article so "this author's newest" is one index range scan.
    published_at: Mapped[datetime] = mapped_column(DateTime)


class ArticleTag(Base):
    __tablename__ = "article_tags"
    __table_args__ = (
        # Ends with outlet_id so the outlet (and month) facets of a tag's newest articles are
        # counted from this index alone, never from the articles' rows (migration 0012), and
        # with tag_bits so a walk tests another tag from the index too (migration 0016).
        Index(
            "ix_article_tags_tag_published",
            "tag_id",
            "published_at",
            "article_id",
            "outlet_id",
            "tag_bits",
        ),
        # An article's tags in order straight from the index (no sort, no table read per row):
        # on a topic page of 20 this was a third of the query.
        Index("ix_article_tags_article_position", "article_id", "position", "tag_id"),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    # "given" when the scraper sent the tag, otherwise how the pipeline inferred it.
    source: Mapped[str] = mapped_column(String(40))
    # Copied from the article so "this tag's newest" is one index range scan, not a sort.
    published_at: Mapped[datetime] = mapped_column(DateTime)
    # Copied from the article too (links are written again whenever an article changes); no
    # foreign key of its own: an outlet with articles cannot be deleted.
    outlet_id: Mapped[int | None] = mapped_column(Integer)
    # A bit for each of the article's tags (app/db/tag_bits.py): a walk of one tag skips the
    # probe for another when its bit is clear. Derived, so backups leave it out.
    tag_bits: Mapped[int] = mapped_column(BigInteger, server_default="0", info={"derived": True})


class TagDayCount(Base):
    """Articles per tag per day, kept by triggers on article_tags (migration 0006): a timeline
    sums a few thousand of these instead of counting a popular tag's every link. Derived, so
    backups leave it out and rebuild it. Clustered on its key on SQLite (migration 0011), so
    one tag's days are a few consecutive pages, not a random read each."""

    __tablename__ = "tag_day_counts"
    __table_args__ = ({"info": {"derived": True}, "sqlite_with_rowid": False},)

    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)


class ArticleSource(Base):
    """What a scraper sent, exactly as received: nothing is lost, articles can be re-parsed."""

    __tablename__ = "article_sources"
    __table_args__ = (UniqueConstraint("article_id", "payload_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # "structured" (a POST /v1/articles JSON body) or "raw" (scraped text or a fetched page).
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(Text)
    # "identity" (stored as sent) or "gzip+base64" (a fetched page: compressed, still text).
    encoding: Mapped[str] = mapped_column(String(20), default="identity", server_default="identity")
    payload_sha256: Mapped[str] = mapped_column(String(64))
    parser_version: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated: "ingest", "admin", "read".
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class IdempotencyRecord(Base):
    """The first response to a POST sent with an Idempotency-Key, replayed to its retries."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("caller", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the caller's Authorization header: keys are scoped to who sent them.
    caller: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    request_sha256: Mapped[str] = mapped_column(String(64))
    # None while the first request is still being served.
    status_code: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class RateLimitWindow(Base):
    """Requests counted per caller per minute, shared by every worker."""

    __tablename__ = "rate_limit_windows"

    bucket: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
