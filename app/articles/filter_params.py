"""The article filter parameters, one dependency shared by lists, timelines and feeds."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from pydantic import Field

from app.articles.fields import scrub
from app.articles.filters import ArticleFilters

TagParams = Annotated[
    list[Annotated[str, Field(max_length=1000)]],
    Query(
        max_length=20, description="Repeat for AND; `a|b` for OR; `taxonomy:slug` for one taxonomy"
    ),
]
SlugParams = Annotated[
    list[Annotated[str, Field(max_length=300)]], Query(max_length=50, description="Repeat for OR")
]


async def article_filters(  # async: see app.http.deps
    tag: TagParams = [],
    exclude_tag: TagParams = [],
    include_descendants: Annotated[
        bool, Query(description="Widen each tag to its descendants")
    ] = False,
    outlet: SlugParams = [],
    exclude_outlet: SlugParams = [],
    author: SlugParams = [],
    exclude_author: SlugParams = [],
    published_after: Annotated[date | None, Query(description="Inclusive, YYYY-MM-DD")] = None,
    published_before: Annotated[date | None, Query(description="Inclusive, YYYY-MM-DD")] = None,
    q: Annotated[
        str | None,
        Query(max_length=500, description='Full-text search: words, "phrases", OR, -exclusion'),
    ] = None,
) -> ArticleFilters:
    return ArticleFilters.from_params(
        tag,
        exclude_tag,
        include_descendants=include_descendants,
        outlets=outlet,
        exclude_outlets=exclude_outlet,
        authors=author,
        exclude_authors=exclude_author,
        published_after=published_after,
        published_before=published_before,
        q=scrub(q) if q is not None else None,
    )


FiltersDep = Annotated[ArticleFilters, Depends(article_filters)]
