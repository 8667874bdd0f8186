"""A scrape as sent to `/v1/ingest`, and what ingest answers."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from app.articles.fields import (
    MAX_BODY,
    MAX_HTML,
    VISIBLE,
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
        json_schema_extra={
            "oneOf": [
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
                {"required": ["html"], "properties": {"html": {"type": "string"}}},
            ]
        },
    )

    text: (
        Annotated[
            str,
            Field(
                max_length=MAX_BODY,
                description="The scrape, as scraped (or the page's text)",
                json_schema_extra=VISIBLE,
            ),
        ]
        | None
    ) = None
    html: (
        Annotated[
            str,
            Field(
                max_length=MAX_HTML,
                description="The page's HTML, as fetched",
                json_schema_extra=VISIBLE,
            ),
        ]
        | None
    ) = None
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


class RemovedLine(BaseModel):
    line: str = Field(description="The line (its first 300 characters)")
    reason: str


class RepairedParagraph(BaseModel):
    glued: str = Field(description="The paragraph as it came (its first 200 characters)")
    split_into: str = Field(description="How many paragraphs it became")
    rule: str


class FoundTag(BaseModel):
    name: str
    found_by: str = Field(description="vocabulary, vocabulary:other, gazetteer, body, glue, ...")


class TaxonomySection(BaseModel):
    label: str
    line: str = Field(description="The tag line (its first 500 characters)")
    tags: list[FoundTag]


class FoundBio(BaseModel):
    name: str | None = Field(description="Whose bio it is, when the paragraph names them")
    bio: str
    found_by: str


class ParseReport(BaseModel):
    """What the pipeline found in the scrape, step by step."""

    input: Literal["clean scrape", "page text", "html"] = Field(
        description="What the input was taken to be"
    )
    found: dict[str, str] = Field(
        description="Where each field came from: json-ld, meta, byline, url, given, ..."
    )
    header_copies: int = Field(description="Copies of the header collapsed")
    header: dict[str, Any] = Field(description="How the header (or the article) was found")
    removed_lines: list[RemovedLine]
    repaired_paragraphs: list[RepairedParagraph]
    sections: list[TaxonomySection] = Field(description="Taxonomy sections read at the end")
    bios: list[FoundBio] = Field(description="Closing author bios taken out of the body")
    missing: list[str] = Field(description="Fields the scrape did not give")


class BioAttribution(BaseModel):
    bio: str
    attributed_to: str | None = Field(description="The author's name; null when nobody's")
    how: str


class Attribution(BaseModel):
    byline_from: Literal["request", "byline"] | None = Field(
        description="Where the authors came from; null when there are none"
    )
    bios: list[BioAttribution]


class ReportTag(BaseModel):
    taxonomy: str
    name: str
    found_by: str = Field(description="given, vocabulary, gazetteer, body, glue, ...")


class DuplicateDecision(BaseModel):
    decision: Literal["created", "existing"]
    rule: Literal["url", "outlet+title+day", "fingerprint"] | None = Field(
        description="For an existing piece, the rule that matched it"
    )
    syndicated_from: int | None = Field(
        description="The original, when this is a syndicated copy from another outlet"
    )


class IngestReport(ParseReport):
    """What the pipeline did, step by step, and how the article was filed."""

    author: Attribution
    tags: list[ReportTag]
    duplicate: DuplicateDecision
    dry_run: Literal[True] | SkipJsonSchema[None] = Field(
        None, description="Only on a dry run (`dry_run=true`): nothing was stored"
    )


class IngestOut(BaseModel):
    article: ArticleOut
    created: bool
    report: IngestReport
