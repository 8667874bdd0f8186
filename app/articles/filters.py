"""The filter set shared by listing, counting, facets, timelines and feeds."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ColumnExpressionArgument,
    Select,
    bindparam,
    false,
    func,
    literal,
    select,
    true,
    union,
)
from sqlalchemy.orm import aliased

from app.articles import search as article_search
from app.db.models import (
    Article,
    ArticleAuthor,
    ArticleTag,
    Author,
    Outlet,
    Tag,
    TagAlias,
    Taxonomy,
)
from app.db.tag_bits import any_bit, tag_bits
from app.db.types import Executor


@dataclass(frozen=True, slots=True)
class TagRef:
    slug: str
    taxonomy: str | None = None

    @classmethod
    def parse(cls, text: str) -> "TagRef":
        """`slug` (any taxonomy) or `taxonomy:slug`."""
        taxonomy, _, slug = text.strip().rpartition(":")
        return cls(slug.strip().lower(), taxonomy.strip().lower() or None)


@dataclass(slots=True)
class ArticleFilters:
    # Each group is one `tag=` parameter: alternatives joined by `|` (OR); groups are ANDed.
    tag_groups: list[list[TagRef]] = field(default_factory=list)
    exclude_tags: list[TagRef] = field(default_factory=list)
    include_descendants: bool = False
    outlets: list[str] = field(default_factory=list)
    exclude_outlets: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    exclude_authors: list[str] = field(default_factory=list)
    published_after: date | None = None
    published_before: date | None = None
    q: str | None = None

    @classmethod
    def from_params(
        cls, tag: list[str], exclude_tag: list[str], **rest: object
    ) -> "ArticleFilters":
        groups = [[TagRef.parse(alt) for alt in value.split("|") if alt.strip()] for value in tag]
        return cls(
            tag_groups=[group for group in groups if group],
            exclude_tags=[
                TagRef.parse(v) for value in exclude_tag for v in value.split("|") if v.strip()
            ],
            **rest,  # type: ignore[arg-type]
        )


def _slug_lookup(number: int, taxonomy_given: bool) -> list[Select[int, int]]:
    """Reference `number`'s tag: by its slug, or by an alias (renamed and merged slugs keep
    resolving), in its taxonomy when it names one."""
    slug: BindParameter[str] = bindparam(f"slug_{number}")
    taxonomy: BindParameter[str] = bindparam(f"taxonomy_{number}")
    named = Taxonomy.slug == taxonomy if taxonomy_given else true()
    direct = (
        select(literal(number).label("reference"), Tag.id.label("id"))
        .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
        .where(Tag.slug == slug, named)
    )
    aliased = (
        select(literal(number).label("reference"), TagAlias.tag_id.label("id"))
        .join(Taxonomy, Taxonomy.id == TagAlias.taxonomy_id)
        .where(TagAlias.slug == slug, named)
    )
    return [direct, aliased]


# How many articles a tag has is counted up to this: enough to tell the rarer of two tags.
SIZE_CAP = 1_000


@lru_cache(maxsize=128)
def _lookup(shape: tuple[bool, ...], sized: bool) -> Any:
    """Every reference's tags in one statement, one round trip however many a request names:
    rows of (reference number, tag id), with `sized` also the tag's article count up to
    SIZE_CAP. `shape`: whether each reference names its taxonomy. Built once per shape, since
    building a statement costs more than running it."""
    found = union(
        *(part for number, given in enumerate(shape) for part in _slug_lookup(number, given))
    ).subquery()
    columns: list[Any] = [found.c.reference, found.c.id]
    if sized:
        links = (
            select(ArticleTag.article_id)
            .where(ArticleTag.tag_id == found.c.id)
            .correlate(found)
            .limit(SIZE_CAP)
            .subquery()
        )
        columns.append(select(func.count()).select_from(links).scalar_subquery())
    return select(*columns)


def named_tag(taxonomy_given: bool) -> tuple[Any, Any]:
    """Scalar subqueries for one reference (`named_tag_parameters`): its tag's id, and how many
    tags it names (the id is right only when that is 1: a slug may name a tag and be another's
    alias). For a page that finds its tag in its own statement."""
    found = _lookup((taxonomy_given,), False).subquery()
    tag = select(found.c.id).limit(1).scalar_subquery()
    return tag, select(func.count()).select_from(found).scalar_subquery()


def named_tag_parameters(ref: TagRef) -> dict[str, Any]:
    return {"slug_0": ref.slug, "taxonomy_0": ref.taxonomy}


def _resolve(
    db: Executor, groups: list[list[TagRef]], include_descendants: bool, sized: bool
) -> tuple[list[set[int]], dict[int, int]]:
    """The tags each group of references names (with their descendants when asked), and with
    `sized` each tag's article count up to SIZE_CAP."""
    refs = [ref for group in groups for ref in group]
    if not refs:
        return [set() for _ in groups], {}
    parameters: dict[str, Any] = {}
    for number, ref in enumerate(refs):
        parameters |= {f"slug_{number}": ref.slug, f"taxonomy_{number}": ref.taxonomy}
    shape = tuple(ref.taxonomy is not None for ref in refs)
    found: dict[int, set[int]] = {}
    sizes: dict[int, int] = {}
    for row in db.execute(_lookup(shape, sized), parameters):
        found.setdefault(row[0], set()).add(row[1])
        if sized:
            sizes[row[1]] = row[2]
    resolved, number = [], 0
    for group in groups:
        ids = set().union(*(found.get(n, set()) for n in range(number, number + len(group))))
        number += len(group)
        resolved.append(_with_descendants(db, ids) if include_descendants else ids)
    return resolved, sizes


def _with_descendants(db: Executor, ids: set[int]) -> set[int]:
    found, frontier = set(ids), set(ids)
    while frontier:
        children = set(db.scalars(select(Tag.id).where(Tag.parent_id.in_(frontier))).all())
        frontier = children - found
        found |= frontier
    return found


def _with_tags(ids: set[int]) -> ColumnElement[bool]:
    return Article.id.in_(select(ArticleTag.article_id).where(ArticleTag.tag_id.in_(ids)))


def _by_outlets(slugs: list[str]) -> ColumnElement[bool]:
    return Article.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(slugs)))


def _by_authors(slugs: list[str]) -> ColumnElement[bool]:
    return Article.id.in_(
        select(ArticleAuthor.article_id)
        .join(Author, Author.id == ArticleAuthor.author_id)
        .where(Author.slug.in_(slugs))
    )


@dataclass(slots=True)
class FilterPlan:
    """The filter set as WHERE clauses, with one single-tag filter set apart when there is
    one: a listing then walks that tag's (tag, published_at) index in order instead of sorting
    every matching article, which keeps a popular tag's first page as fast as a rare one's."""

    # Conditions on `articles`, but for the dates and, with a lead tag, the tags.
    where: list[ColumnElement[bool]]
    lead_tag: int | None = None
    # With a lead tag, the other tags asked for (True) and excluded (False), each tested on
    # the article at hand rather than gathered first (see `probed`).
    probes: list[tuple[set[int], bool]] = field(default_factory=list)
    # [after, before): on a walk of the lead tag, its rows' own range of its index.
    published_from: datetime | None = None
    published_until: datetime | None = None
    search: ColumnElement[bool] | None = None  # one of `where`, for a listing to swap

    def conditions(self) -> list[ColumnElement[bool]]:
        """Every filter as a condition on `articles`."""
        lead = [] if self.lead_tag is None else [_with_tags({self.lead_tag})]
        dates = []
        if self.published_from:
            dates.append(Article.published_at >= self.published_from)
        if self.published_until:
            dates.append(Article.published_at < self.published_until)
        return [*lead, *self.probed(Article.id), *dates, *self.where]

    def probed(self, article_id: ColumnExpressionArgument[int]) -> list[ColumnElement[bool]]:
        """The tag probes on the article `article_id` names. A walk of the lead tag's index
        names it by the walked link row's `article_id`: the database then tests the other tags
        before it reads the article (at 100k articles, two popular topics 0.8 → 0.3 ms)."""
        return [
            tag_probe(article_id, ids) if wanted else ~tag_probe(article_id, ids)
            for ids, wanted in self.probes
        ]

    def walk_probed(self) -> list[ColumnElement[bool]]:
        """`probed` on the walked link row of the lead tag, each probe behind a test of the
        row's tag bits (app/db/tag_bits.py), which needs no read of another row."""
        return [bit_guarded_probe(ids, wanted, tag_bits(ids)) for ids, wanted in self.probes]


def conditions(db: Executor, filters: ArticleFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses on `articles` for the filter set (tags are resolved to ids first)."""
    return (plan(db, filters)).conditions()


# The walked tag's rows are in the outer query already: a probe reads the links under another
# name. Made once (an alias costs more to make than a page's query takes to run); each probe is
# its own subquery, so one name serves them all.
_LINK = aliased(ArticleTag, name="link")


def tag_probe(
    article_id: ColumnExpressionArgument[int], tags: set[int] | BindParameter[int]
) -> ColumnElement[bool]:
    """The same test as `_with_tags`, probing the (article_id, tag_id) key for the article at
    hand: cheap per article while a listing walks another tag's index, where `_with_tags` would
    first gather every article of these tags. `tags`, a set of ids or one bound id."""
    tagged = _LINK.tag_id.in_(tags) if isinstance(tags, set) else _LINK.tag_id == tags
    return (
        select(_LINK.article_id)
        .where(_LINK.article_id == article_id, tagged)
        .correlate_except(_LINK)
        .exists()
    )


def bit_guarded_probe(
    tags: set[int] | BindParameter[int], wanted: bool, bits: int | BindParameter[int]
) -> ColumnElement[bool]:
    """`tag_probe` on the walked link row, asked only when the row's tag bits share one
    with `bits` (those of `tags`): a clear bit already says the article lacks the tags."""
    shared = any_bit(ArticleTag.tag_bits, bits)
    probe = tag_probe(ArticleTag.article_id, tags)
    return shared & probe if wanted else ~shared | ~probe


def plan(db: Executor, filters: ArticleFilters) -> FilterPlan:
    """The listing walks the rarest single tag asked for (the fewest rows to walk) and tests
    the others on each article it meets."""
    lead, where, probes = _tag_conditions(db, filters)
    where += _name_conditions(filters)
    start, end = _instants(filters)
    search = article_search.matches(db, filters.q) if filters.q is not None else None
    if search is not None:
        where.append(search)
    return FilterPlan(where, lead, probes, start, end, search)


def _tag_conditions(
    db: Executor, filters: ArticleFilters
) -> tuple[int | None, list[ColumnElement[bool]], list[tuple[set[int], bool]]]:
    """The lead tag (the rarest single tag asked for, if any); then the other tags asked for
    and those excluded, as conditions when there is no lead tag, as probes when there is."""
    sized = len(filters.tag_groups) > 1  # only then is there a rarest one to choose
    resolved, sizes = _resolve(
        db, [*filters.tag_groups, filters.exclude_tags], filters.include_descendants, sized
    )
    *groups, excluded = resolved
    singles = [next(iter(ids)) for ids in groups if len(ids) == 1]
    lead = min(singles, key=lambda tag: sizes.get(tag, 0)) if singles else None
    if any(not ids for ids in groups):
        return lead, [false()], []  # a tag that does not exist: nothing matches
    others = [ids for ids in groups if ids != {lead}]
    if lead is not None:
        probes = [(ids, True) for ids in others] + ([(excluded, False)] if excluded else [])
        return lead, [], probes
    where = [_with_tags(ids) for ids in others]
    if excluded:
        where.append(~_with_tags(excluded))
    return lead, where, []


def _name_conditions(filters: ArticleFilters) -> list[ColumnElement[bool]]:
    """Outlets and authors asked for, and excluded."""
    where: list[ColumnElement[bool]] = []
    if filters.outlets:
        where.append(_by_outlets(filters.outlets))
    if filters.exclude_outlets:
        where.append(Article.outlet_id.is_(None) | ~_by_outlets(filters.exclude_outlets))
    if filters.authors:
        where.append(_by_authors(filters.authors))
    if filters.exclude_authors:
        where.append(~_by_authors(filters.exclude_authors))
    return where


def _instants(filters: ArticleFilters) -> tuple[datetime | None, datetime | None]:
    """The publication days asked for (both inclusive) as instants: from, and until before."""
    start = _midnight(filters.published_after) if filters.published_after else None
    end = (
        _midnight(filters.published_before + timedelta(days=1))
        if filters.published_before
        else None
    )
    return start, end


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
