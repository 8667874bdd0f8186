"""Articles as the API takes and gives them (the public contract; tables evolve separately)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.articles.fields import (
    Authors,
    Body,
    Language,
    Name,
    OutletIn,
    PublishedAt,
    Subtitle,
    Tags,
    Title,
    Url,
)


class ArticleCreate(BaseModel):
    """A structured article, as a scraper that already parsed it sends it."""

    model_config = ConfigDict(extra="forbid")

    url: Url = None
    title: Title
    subtitle: Subtitle | None = None
    body: Body
    published_at: PublishedAt
    outlet: Name | OutletIn
    authors: Authors = []
    tags: Tags = {}
    language: Language | None = None
    credit: Name | None = Field(None, description="An agency or staff byline: not a person")

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class OutletOut(BaseModel):
    id: int
    name: str
    slug: str
    domain: str | None


class AuthorOut(BaseModel):
    id: int
    name: str
    slug: str
    bio: str | None


class ArticleTagOut(BaseModel):
    taxonomy: str
    taxonomy_slug: str
    name: str
    slug: str


class ArticleOut(BaseModel):
    id: int
    url: str | None
    title: str
    subtitle: str | None
    body: str
    language: str | None = Field(description="The page's declared language (BCP 47 primary tag)")
    credit: str | None = Field(description="An agency or staff byline: credited, not a person")
    published_at: str = Field(description="YYYY-MM-DD, or ISO 8601 in UTC when a time is known")
    outlet: OutletOut | None
    authors: list[AuthorOut]
    tags: list[ArticleTagOut]
    syndicated_from: int | None = Field(
        description="The original, when this is a syndicated copy of an article from another outlet"
    )
    created_at: str
    updated_at: str


class ArticleListItem(BaseModel):
    """An article in a list, as listed by default: everything but `body`, with an `excerpt`
    (and a `snippet` when the list searches with `q`). With `fields=`, items are
    `TrimmedArticle`s instead."""

    id: int
    url: str | None
    title: str
    subtitle: str | None
    language: str | None
    credit: str | None
    excerpt: str = Field(description="The opening of the body, cut at a word")
    snippet: str | SkipJsonSchema[None] = Field(
        None, description="Only when searching (`q`): HTML-escaped passage, hits in <mark>"
    )
    published_at: str = Field(description="YYYY-MM-DD, or ISO 8601 in UTC when a time is known")
    outlet: OutletOut | None
    authors: list[AuthorOut]
    tags: list[ArticleTagOut]
    syndicated_from: int | None
    created_at: str
    updated_at: str


class RelatedArticle(ArticleListItem):
    """An article related to another: a list item with how much their shared tags weigh."""

    score: float = Field(description="Shared tags, a rare one weighing more than a common one")


class TrimmedArticle(BaseModel):
    """An article in a list asked for with `fields=`: exactly the fields named there, each as
    in `ArticleOut` (`excerpt`, `snippet` and `score` as described here)."""

    id: int | SkipJsonSchema[None] = None
    url: str | None = None
    title: str | SkipJsonSchema[None] = None
    subtitle: str | None = None
    body: str | SkipJsonSchema[None] = None
    language: str | None = None
    credit: str | None = None
    excerpt: str | SkipJsonSchema[None] = Field(
        None, description="The opening of the body, cut at a word"
    )
    snippet: str | SkipJsonSchema[None] = Field(
        None, description="Only when searching (`q`): HTML-escaped passage, hits in <mark>"
    )
    score: float | None = Field(
        None, description="The search rank with sort=relevance; null with other sorts"
    )
    published_at: str | SkipJsonSchema[None] = None
    outlet: OutletOut | None = None
    authors: list[AuthorOut] | SkipJsonSchema[None] = None
    tags: list[ArticleTagOut] | SkipJsonSchema[None] = None
    syndicated_from: int | None = None
    created_at: str | SkipJsonSchema[None] = None
    updated_at: str | SkipJsonSchema[None] = None


class FacetCount(BaseModel):
    slug: str
    name: str
    count: int


class ArticlePage(BaseModel):
    """A page of articles as listed by default (no `fields=`)."""

    items: list[ArticleListItem]
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page")
    total: int | None = Field(
        description="The number of matches, counted up to 10,000; null when total=false"
    )
    total_exact: bool | None = Field(
        description="false when more than 10,000 match (total then reads 10,000); null when "
        "total=false"
    )
    facets: dict[str, list[FacetCount]] | SkipJsonSchema[None] = Field(
        None, description="Only with `facets=`: counts for each name asked for"
    )
    facets_over: int | SkipJsonSchema[None] = Field(
        None,
        description="Only with `facets=`: how many matches the facets count, all of them or the "
        "newest 10,000",
    )


class TrimmedArticlePage(ArticlePage):
    """A page of articles asked for with `fields=`: the items carry only those fields."""

    items: list[TrimmedArticle]  # type: ignore[assignment]


class ItemError(BaseModel):
    code: str = Field(description="A problem code, as in problem details")
    detail: str


class BatchItemResult(BaseModel):
    index: int = Field(description="The item's position in the batch, from 0")
    status: Literal["created", "existing", "error"]
    article_id: int | None = Field(description="The stored article; null for an error")
    error: ItemError | None = Field(description="Why the item was not stored; null otherwise")


class BatchOut(BaseModel):
    created: int
    existing: int
    failed: int
    results: list[BatchItemResult]


class ArticleBatchItemResult(BatchItemResult):
    status: Literal["created", "existing", "invalid"]  # type: ignore[assignment]
    matched_by: Literal["url", "outlet+title+day", "fingerprint"] | None = Field(
        description="For an existing piece, the rule that matched it; null otherwise"
    )


class ArticleBatchOut(BatchOut):
    results: list[ArticleBatchItemResult]  # type: ignore[assignment]


class TimelineBucket(BaseModel):
    start: str = Field(description="YYYY-MM-DD (day, or the Monday of a week) or YYYY-MM")
    count: int


class Timeline(BaseModel):
    interval: Literal["day", "week", "month"]
    buckets: list[TimelineBucket]
    total: int


class CooccurringTag(BaseModel):
    taxonomy_slug: str
    slug: str
    name: str
    count: int
