"""Path and query parameters several routers share: a name's slug, and the paging, sorting and
prefix of the browse lists (taxonomies, tags, authors, outlets)."""

from typing import Annotated, Literal

from fastapi import Path, Query

from app.articles.fields import CURSOR_PATTERN
from app.articles.identity import SLUG_PATTERN

Slug = Annotated[
    str,
    Path(
        max_length=300,
        description="A slug, as the API gives them (any other names nothing: 404)",
        json_schema_extra={"pattern": SLUG_PATTERN},
    ),
]
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[
    str | None,
    Query(
        max_length=100,
        description="The `next_cursor` of the page before",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    ),
]
Prefix = Annotated[str | None, Query(max_length=300, description="Names starting with this")]
Sort = Literal["name", "count"]
