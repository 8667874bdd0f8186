"""Articles as the API takes and gives them (the public contract; tables evolve separately)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

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
    """An article in a list: by default everything but `body`, with an `excerpt`; `fields=`
    trims or widens it (`snippet` and `score` come with searches)."""

    id: int | None = None
    url: str | None = None
    title: str | None = None
    subtitle: str | None = None
    body: str | None = None
    language: str | None = None
    credit: str | None = None
    excerpt: str | None = None
    snippet: str | None = Field(None, description="HTML-escaped passage, hits in <mark>")
    score: float | None = None
    published_at: str | None = None
    outlet: OutletOut | None = None
    authors: list[AuthorOut] | None = None
    tags: list[ArticleTagOut] | None = None
    syndicated_from: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


class FacetCount(BaseModel):
    slug: str
    name: str
    count: int


class ArticlePage(BaseModel):
    items: list[ArticleListItem]
    next_cursor: str | None
    total: int | None = Field(
        description="The number of matches, counted up to 10,000; null when total=false"
    )
    total_exact: bool | None = Field(
        description="false when more than 10,000 match (total then reads 10,000)"
    )
    facets: dict[str, list[FacetCount]] | None = None
    facets_over: int | None = Field(
        None, description="How many matches the facets count: all of them, or the newest 10,000"
    )


class BatchItemResult(BaseModel):
    index: int
    status: str = Field(description="created | existing | error")
    article_id: int | None = None
    error: dict[str, Any] | None = None


class BatchOut(BaseModel):
    created: int
    existing: int
    failed: int
    results: list[BatchItemResult]


class ArticleBatchItemResult(BatchItemResult):
    status: str = Field(description="created | existing | invalid")
    matched_by: str | None = Field(
        None, description="For an existing piece: url, outlet+title+day or fingerprint"
    )


class ArticleBatchOut(BatchOut):
    results: list[ArticleBatchItemResult]  # type: ignore[assignment]


class TimelineBucket(BaseModel):
    start: str = Field(description="YYYY-MM-DD (day, or the Monday of a week) or YYYY-MM")
    count: int


class Timeline(BaseModel):
    interval: str
    buckets: list[TimelineBucket]
    total: int


class CooccurringTag(BaseModel):
    taxonomy_slug: str
    slug: str
    name: str
    count: int
