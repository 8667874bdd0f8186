"""The article filters as query parameters: one model shared by lists, timelines and feeds,
read in one validation with the route's own parameters (`app.http.query_model`)."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from app.articles.fields import scrub
from app.articles.filters import ArticleFilters

TagValues = Annotated[
    list[Annotated[str, Field(max_length=1000)]],
    Field(
        max_length=20, description="Repeat for AND; `a|b` for OR; `taxonomy:slug` for one taxonomy"
    ),
]
SlugValues = Annotated[
    list[Annotated[str, Field(max_length=300)]], Field(max_length=50, description="Repeat for OR")
]


class FilterQuery(BaseModel):
    tag: TagValues = []
    exclude_tag: TagValues = []
    include_descendants: bool = Field(False, description="Widen each tag to its descendants")
    outlet: SlugValues = []
    exclude_outlet: SlugValues = []
    author: SlugValues = []
    exclude_author: SlugValues = []
    published_after: date | None = Field(None, description="Inclusive, YYYY-MM-DD")
    published_before: date | None = Field(None, description="Inclusive, YYYY-MM-DD")
    q: str | None = Field(
        None, max_length=500, description='Full-text search: words, "phrases", OR, -exclusion'
    )

    def filters(self) -> ArticleFilters:
        return ArticleFilters.from_params(
            self.tag,
            self.exclude_tag,
            include_descendants=self.include_descendants,
            outlets=self.outlet,
            exclude_outlets=self.exclude_outlet,
            authors=self.author,
            exclude_authors=self.exclude_author,
            published_after=self.published_after,
            published_before=self.published_before,
            q=scrub(self.q) if self.q is not None else None,
        )
