"""Request and response shapes (the public contract; tables evolve separately)."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from app.identity import HOST_NAME, MAX_URL_CHARS

MAX_NAME = 300
MAX_TITLE = 1_000
MAX_SUBTITLE = 2_000
MAX_BODY = 2_000_000
MAX_HTML = 10_000_000
MAX_BIO = 5_000
MAX_AUTHORS = 50
MAX_TAXONOMIES = 20
MAX_TAGS = 500

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def scrub(value: str) -> str:
    """No NUL or other control characters: PostgreSQL refuses NUL, and none belong in text.
    (Lone surrogates never get this far: request validation refuses them.)"""
    return _CONTROL.sub("", value)


def _single_line(value: str) -> str:
    return _SPACES.sub(" ", scrub(value)).strip()


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


Name = Annotated[
    str, Field(max_length=MAX_NAME), AfterValidator(_single_line), AfterValidator(_non_empty)
]
Title = Annotated[
    str, Field(max_length=MAX_TITLE), AfterValidator(_single_line), AfterValidator(_non_empty)
]
Subtitle = Annotated[str, Field(max_length=MAX_SUBTITLE), AfterValidator(_single_line)]
Body = Annotated[str, Field(max_length=MAX_BODY), AfterValidator(scrub)]
Language = Annotated[
    str,
    Field(
        pattern=r"^[a-z]{2,3}$",
        description="BCP 47 primary language subtag, lower case: en, ko, pt",
    ),
]
Bio = Annotated[str, Field(max_length=MAX_BIO), AfterValidator(_single_line)]


def parse_published_at(value: Any) -> datetime | date:
    """A day ("2024-11-06") stays a `date`; an ISO 8601 instant becomes a naive UTC `datetime`."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("expected an ISO 8601 date (YYYY-MM-DD) or date-time") from None
    else:
        raise ValueError("expected an ISO 8601 date (YYYY-MM-DD) or date-time")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


class OutletIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    domain: Annotated[str, Field(max_length=255)] | None = None

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = _single_line(value).lower().removeprefix("www.")
        if not HOST_NAME.fullmatch(value):
            raise ValueError("expected a host name such as example.com")
        return value


class AuthorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    bio: Bio | None = None


def _check_url(value: str) -> str:
    value = _single_line(value)
    if not re.match(r"(?i)https?://[^/\s?#]+", value):
        raise ValueError("expected an absolute http(s) URL")
    return value


def _check_tags(value: dict[str, list[str]]) -> dict[str, list[str]]:
    if len(value) > MAX_TAXONOMIES:
        raise ValueError(f"at most {MAX_TAXONOMIES} taxonomies per article")
    if sum(len(names) for names in value.values()) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags per article")
    return value


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Url = Annotated[
    Annotated[str, Field(max_length=MAX_URL_CHARS), AfterValidator(_check_url)] | None,
    BeforeValidator(_blank_is_none),
]
PublishedAt = Annotated[
    datetime | date,
    BeforeValidator(parse_published_at),
    Field(description="YYYY-MM-DD, or an ISO 8601 date-time"),
]
Authors = Annotated[list[Name | AuthorIn], Field(max_length=MAX_AUTHORS)]
Tags = Annotated[
    dict[Name, list[Name]],
    AfterValidator(_check_tags),
    Field(description="Taxonomy name → tag names, in source order"),
]


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


class ReplicaHealth(BaseModel):
    status: str = Field(description="ok, or unreachable (reads then go to the primary)")
    lag_seconds: float | None = Field(
        default=None, description="Since the last replayed commit; null when idle or unknown"
    )


class Health(BaseModel):
    status: str
    replica: ReplicaHealth | None = Field(
        default=None, description="Only when DATABASE_READ_URL names a read replica"
    )


class Problem(BaseModel):
    """RFC 9457 problem details; `code` is stable and meant for programs."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None


class VocabularyIn(BaseModel):
    """A publisher's controlled vocabulary: the taxonomy and the tags it should know."""

    model_config = ConfigDict(extra="forbid")
    name: Name
    description: Annotated[str, Field(max_length=MAX_BIO)] | None = None
    tags: Annotated[list[Name], Field(max_length=10_000)] = []


class TaxonomyOut(BaseModel):
    id: int
    name: str
    slug: str
    description: str | None
    tag_count: int


class VocabularyLoaded(TaxonomyOut):
    added: list[str] = Field(description="Tags this request added, in the order sent")


class IngestIn(BaseModel):
    """A scrape: exactly one of `text` (a clean scrape or a page's visible text) or `html` (the
    page as fetched). Any explicit field wins over what is found in it."""

    model_config = ConfigDict(
        extra="forbid",
        # Exactly one of the two, said where a generated client or a fuzzer can see it.
        json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["html"]}]},
    )

    text: Annotated[
        str | None,
        Field(max_length=MAX_BODY, description="The scrape, as scraped (or the page's text)"),
    ] = None
    html: Annotated[
        str | None, Field(max_length=MAX_HTML, description="The page's HTML, as fetched")
    ] = None
    url: Url = None
    outlet: Name | OutletIn | None = None
    authors: Authors | None = None
    published_at: PublishedAt | None = None
    title: Title | None = None
    subtitle: Subtitle | None = None
    tags: Tags | None = None

    @field_validator("text", "html")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not scrub(value).strip():
            raise ValueError("must not be empty")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> "IngestIn":
        if (self.text is None) == (self.html is None):
            raise ValueError("send exactly one of `text` or `html`")
        return self


class IngestOut(BaseModel):
    article: ArticleOut
    created: bool
    report: dict[str, Any] = Field(description="What the pipeline did, step by step")


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


class TaxonomyPage(BaseModel):
    items: list[TaxonomyOut]
    next_cursor: str | None
    total: int


class TagSummary(BaseModel):
    id: int
    name: str
    slug: str
    article_count: int


class TagPage(BaseModel):
    items: list[TagSummary]
    next_cursor: str | None
    total: int


class TagLink(BaseModel):
    name: str
    slug: str


class TagDetail(TagSummary):
    taxonomy: str
    taxonomy_slug: str
    parent: TagLink | None
    children: list[TagLink]
    aliases: list[str] = Field(description="Old or merged slugs that still resolve to this tag")


class AuthorSummary(AuthorOut):
    article_count: int


class AuthorPage(BaseModel):
    items: list[AuthorSummary]
    next_cursor: str | None
    total: int


class OutletSummary(OutletOut):
    article_count: int


class OutletPage(BaseModel):
    items: list[OutletSummary]
    next_cursor: str | None
    total: int


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


class TagChange(BaseModel):
    """Rename a tag (its old slug keeps resolving) and/or set its parent (null for none)."""

    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    parent: Annotated[str, Field(max_length=MAX_NAME)] | None = None


class TagMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: Annotated[str, Field(max_length=MAX_NAME, description="The slug of the surviving tag")]
