"""News-analysis views: attention over time, co-occurring tags, related articles."""

import math
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from app.articles.facets import bucket
from app.articles.filters import ArticleFilters, conditions
from app.articles.reads import assemble, select_articles
from app.db.models import Article, ArticleTag, Tag, TagDayCount, Taxonomy
from app.db.types import JSON, Executor, dialect_name
from app.errors import InvalidInput

MAX_BUCKETS = 5_000


def _bucket_starts(first: date, last: date, interval: str) -> list[date]:
    starts, current = [], first
    while current <= last:
        starts.append(current)
        if interval == "day":
            current += timedelta(days=1)
        elif interval == "week":
            current += timedelta(weeks=1)
        else:
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
        if len(starts) > MAX_BUCKETS:
            raise InvalidInput(
                f"more than {MAX_BUCKETS} {interval}s: narrow the dates or use a longer interval"
            )
    return starts


def _floor(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def counted_by_day(filters: ArticleFilters) -> bool:
    """Whether the daily counts answer: no filter but dates."""
    return not (
        filters.tag_groups
        or filters.exclude_tags
        or filters.outlets
        or filters.exclude_outlets
        or filters.authors
        or filters.exclude_authors
        or filters.q is not None
    )


def timeline(db: Executor, tag_id: int, filters: ArticleFilters, interval: str) -> JSON:
    """Articles per bucket for a tag (and any article filters), empty buckets included."""
    if counted_by_day(filters):
        # A few thousand daily counts at most, however many articles the tag has.
        label = bucket(dialect_name(db), interval, TagDayCount.day)
        days = [TagDayCount.tag_id == tag_id]
        if filters.published_after:
            days.append(TagDayCount.day >= filters.published_after)
        if filters.published_before:
            days.append(TagDayCount.day <= filters.published_before)
        query = select(label, func.sum(TagDayCount.articles)).where(*days)
    else:
        label = bucket(dialect_name(db), interval, ArticleTag.published_at)
        query = select(label, func.count()).where(
            ArticleTag.tag_id == tag_id,
            ArticleTag.article_id.in_(select(Article.id).where(*conditions(db, filters))),
        )
    rows = db.execute(query.group_by(label))
    counts = {
        date.fromisoformat(key if interval != "month" else f"{key}-01"): int(n) for key, n in rows
    }
    first = filters.published_after or (min(counts) if counts else None)
    last = filters.published_before or (max(counts) if counts else None)
    buckets = []
    if first and last:
        for start in _bucket_starts(_floor(first, interval), _floor(last, interval), interval):
            key = start.isoformat()[:7] if interval == "month" else start.isoformat()
            buckets.append({"start": key, "count": counts.get(start, 0)})
    return {"interval": interval, "buckets": buckets, "total": sum(counts.values())}


def cooccurring(db: Executor, tag_id: int, limit: int) -> list[JSON]:
    """The tags (of any taxonomy) that appear most often on the same articles."""
    mine, other = aliased(ArticleTag), aliased(ArticleTag)
    count = func.count().label("count")
    rows = db.execute(
        select(Taxonomy.slug, Tag.slug, Tag.name, count)
        .select_from(mine)
        .join(other, (other.article_id == mine.article_id) & (other.tag_id != mine.tag_id))
        .join(Tag, Tag.id == other.tag_id)
        .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
        .where(mine.tag_id == tag_id)
        .group_by(Taxonomy.slug, Tag.id, Tag.slug, Tag.name)
        .order_by(count.desc(), Tag.slug)
        .limit(limit)
    )
    return [
        {"taxonomy_slug": taxonomy, "slug": slug, "name": name, "count": n}
        for taxonomy, slug, name, n in rows
    ]


def related(db: Executor, article_id: int, limit: int, fields: list[str]) -> list[JSON]:
    """Articles sharing tags with this one; a shared rare tag counts for more than a shared
    common one (inverse document frequency)."""
    tags = (
        db.execute(
            select(ArticleTag.tag_id, func.count())
            .where(
                ArticleTag.tag_id.in_(
                    select(ArticleTag.tag_id).where(ArticleTag.article_id == article_id)
                )
            )
            .group_by(ArticleTag.tag_id)
        )
    ).all()
    if not tags:
        return []
    total = int(db.scalar(select(func.count()).select_from(Article)) or 1)
    weights = {tag: math.log(1 + total / frequency) for tag, frequency in tags}
    score = func.sum(case(weights, value=ArticleTag.tag_id, else_=0.0)).label("score")
    scored = (
        select(ArticleTag.article_id, score)
        .where(ArticleTag.tag_id.in_(list(weights)), ArticleTag.article_id != article_id)
        .group_by(ArticleTag.article_id)
        .order_by(score.desc(), ArticleTag.article_id.desc())
        .limit(limit)
        .subquery()
    )
    rows = (
        db.execute(
            select_articles(fields)
            .add_columns(scored.c.score)
            .join(scored, scored.c.article_id == Article.id)
            .order_by(scored.c.score.desc(), Article.id.desc())
        )
    ).all()
    return assemble(rows, fields, extras=[{"score": round(float(row.score), 6)} for row in rows])
