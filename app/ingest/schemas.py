"""A scrape as sent to `/v1/ingest`, and what ingest answers."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.articles.fields import (
    MAX_BODY,
    MAX_HTML,
    Authors,
    Name,
    OutletIn,
    PublishedAt,
    Subtitle,
    Tags,
    Title,
    Url,
    scrub,
)
from app.articles.schemas import ArticleOut


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
