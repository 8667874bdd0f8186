"""The matches of a filter set, for a listing's total and facets, and the walk of a lead tag's
index that pages and counts share: its conditions and parameters, bound into statements built
once per shape (building a statement, or working out a new one's cache key, cost more than
running it)."""

from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, bindparam, func, literal, select

from app.articles.filters import FilterPlan, bit_guarded_probe
from app.db.models import Article, ArticleTag
from app.db.tag_bits import tag_bits
from app.db.types import Executor

# Counting stops here: past it a total reads "10,000 or more", and facets count the newest
# 10,000 matches (a popular tag has hundreds of thousands of articles on a big database).
COUNT_LIMIT = 10_000
# Dates outside any article's, for a tag page filtered on one side only.
_EARLIEST, _LATEST = datetime(1, 1, 1), datetime(9999, 12, 31)


def walk_conditions(dated: bool, probes: tuple[bool, ...]) -> list[ColumnElement[bool]]:
    """On a walk of the lead tag's index: its rows' dates, and for each of `probes` one other
    tag (`probe_<n>`) the article has (True) or has not (False), all bound parameters."""
    key = ArticleTag.published_at
    conditions = (
        [key >= bindparam("published_from"), key < bindparam("published_until")] if dated else []
    )
    for n, wanted in enumerate(probes):
        probe = bit_guarded_probe(bindparam(f"probe_{n}"), wanted, bindparam(f"probe_bits_{n}"))
        conditions.append(probe)
    return conditions


@lru_cache(maxsize=64)
def walk_matches(dated: bool, probes: tuple[bool, ...], newest: bool) -> Select[*tuple[Any, ...]]:
    """The matches of a lead tag's walk, built once per shape (or the `newest` of them)."""
    matches = select(
        ArticleTag.article_id.label("id"), ArticleTag.published_at, ArticleTag.outlet_id
    ).where(ArticleTag.tag_id == bindparam("lead_tag"), *walk_conditions(dated, probes))
    return newest_matches(matches) if newest else matches


def is_dated(filter_plan: FilterPlan) -> bool:
    return bool(filter_plan.published_from or filter_plan.published_until)


def has_bound_probes(filter_plan: FilterPlan) -> bool:
    """Whether each tag the walk probes is one id (a bound parameter of a built statement)."""
    return all(len(ids) == 1 for ids, _ in filter_plan.probes)


def walk_parameters(filter_plan: FilterPlan) -> dict[str, Any]:
    """The lead tag, its dates, and with bound probes their tags and tag bits."""
    parameters = {
        "lead_tag": filter_plan.lead_tag,
        "published_from": filter_plan.published_from or _EARLIEST,
        "published_until": filter_plan.published_until or _LATEST,
    }
    if has_bound_probes(filter_plan):
        for n, (ids, _) in enumerate(filter_plan.probes):
            parameters |= {f"probe_{n}": min(ids), f"probe_bits_{n}": tag_bits(ids)}
    return parameters


class Matches(NamedTuple):
    """A statement selecting (id, published_at, outlet_id) of matches, with its parameters."""

    statement: Select[*tuple[Any, ...]]
    parameters: dict[str, Any]
    # Built once per shape, so what is built from it may be kept too.
    built_once: bool


def matches_of(filter_plan: FilterPlan, *, newest: bool = False) -> Matches:
    """Every match (or the `newest` COUNT_LIMIT), for counting: from the lead tag's index rows
    when there is a lead tag, through the statement built once per shape; the filters it
    cannot bind (a tag group of several tags, outlets, authors, search) are added to it, as a
    lead tag's page adds them."""
    limit = {"count_limit": COUNT_LIMIT} if newest else {}
    if filter_plan.lead_tag is None:
        matches = select(Article.id, Article.published_at, Article.outlet_id).where(
            *filter_plan.conditions()
        )
        return Matches(newest_matches(matches) if newest else matches, limit, False)
    bound = has_bound_probes(filter_plan)
    probes = tuple(wanted for _, wanted in filter_plan.probes) if bound else ()
    statement = walk_matches(is_dated(filter_plan), probes, newest)
    unbound = [] if bound else filter_plan.walk_probed()
    if unbound:
        statement = statement.where(*unbound)
    if filter_plan.where:
        statement = statement.join(Article, Article.id == ArticleTag.article_id).where(
            *filter_plan.where
        )
    built_once = not unbound and not filter_plan.where
    return Matches(statement, walk_parameters(filter_plan) | limit, built_once)


def count_matches(db: Executor, matches: Matches) -> tuple[int, bool]:
    """The number of matches and whether it is exact: counting stops past COUNT_LIMIT, so a
    total costs the same on a million articles as on ten thousand."""
    capped = (
        matches.statement.with_only_columns(literal(1), maintain_column_froms=True)
        .limit(COUNT_LIMIT + 1)
        .subquery()
    )
    counted = int(db.scalar(select(func.count()).select_from(capped), matches.parameters) or 0)
    return min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT


def newest_matches(matches: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """The newest `count_limit` (COUNT_LIMIT when run) matches: what facets count."""
    published_at = matches.selected_columns.published_at
    return matches.order_by(published_at.desc()).limit(bindparam("count_limit"))
