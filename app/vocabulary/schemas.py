"""Taxonomies, tags, authors and outlets as the API takes and gives them."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.articles.fields import MAX_BIO, MAX_NAME, Name
from app.articles.identity import SLUG_PATTERN
from app.articles.schemas import AuthorOut, OutletOut


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


class TagChange(BaseModel):
    """Rename a tag (its old slug keeps resolving) and/or set its parent (null for none)."""

    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    parent: (
        Annotated[
            str,
            Field(
                max_length=MAX_NAME,
                description="The slug of the parent tag, in the same taxonomy",
                json_schema_extra={"pattern": SLUG_PATTERN},
            ),
        ]
        | None
    ) = None


class TagMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: Annotated[
        str,
        Field(
            max_length=MAX_NAME,
            description="The slug of the surviving tag",
            json_schema_extra={"pattern": SLUG_PATTERN},
        ),
    ]
