"""Field types every input shape shares: names, titles, URLs, dates, tags, an outlet and
an author as sent. Cleaning (control characters, runs of spaces) happens here, once."""

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
)

from app.articles.identity import HOST_NAME
from app.db.models import MAX_URL_CHARS

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


# What cleaning removes: control characters and whitespace as Python sees it (str.isspace; a
# JSON Schema pattern's \s is another set, so the characters are spelt out).
INVISIBLE = r"\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Said in the OpenAPI document for a schema-driven client (the validators say it to a person):
# text that must not be empty holds one character cleaning keeps.
VISIBLE = {"pattern": f"[^{INVISIBLE}]"}
# A cursor as the API issues it (unpadded URL-safe base64); any other is a 400.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
# An http(s) URL the server can file: a host in ASCII labels (one in Unicode that IDNA encodes
# is taken too), a port, then no spaces or control characters.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
URL_PATTERN = (
    rf"^[Hh][Tt][Tt][Pp][Ss]?://(?:{_LABEL}\.)*{_LABEL}(?::[0-9]{{1,4}})?"
    rf"(?:[/?#][^{INVISIBLE}]*)?$"
)
# A host name as HOST_NAME reads it once lowered, sent without the www. it would lose.
DOMAIN_PATTERN = r"^(?![Ww][Ww][Ww]\.)[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"

_ONE_LINE = (AfterValidator(_single_line), AfterValidator(_non_empty))
Name = Annotated[str, Field(max_length=MAX_NAME, json_schema_extra=VISIBLE), *_ONE_LINE]
Title = Annotated[str, Field(max_length=MAX_TITLE, json_schema_extra=VISIBLE), *_ONE_LINE]
# A name as a JSON object's key: the object's propertyNames say what Name's pattern says.
_NameKey = Annotated[str, Field(max_length=MAX_NAME), *_ONE_LINE]
Subtitle = Annotated[str, Field(max_length=MAX_SUBTITLE), AfterValidator(_single_line)]
Body = Annotated[str, Field(max_length=MAX_BODY, json_schema_extra=VISIBLE), AfterValidator(scrub)]
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
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
            raise ValueError("the date is out of range in UTC") from None
    return parsed


class OutletIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    domain: (
        Annotated[
            str,
            Field(
                max_length=255,
                description="A host name such as example.com (a www. in front is dropped)",
                json_schema_extra={"pattern": DOMAIN_PATTERN},
            ),
        ]
        | None
    ) = None

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
    Annotated[
        str,
        Field(
            max_length=MAX_URL_CHARS,
            description="An absolute http(s) URL (a host name in its ASCII form)",
            json_schema_extra={"pattern": URL_PATTERN},
        ),
        AfterValidator(_check_url),
    ]
    | None,
    BeforeValidator(_blank_is_none),
]
PublishedAt = Annotated[
    datetime | date,
    BeforeValidator(parse_published_at),
    Field(description="YYYY-MM-DD, or an ISO 8601 date-time"),
]
Authors = Annotated[list[Name | AuthorIn], Field(max_length=MAX_AUTHORS)]
Tags = Annotated[
    dict[_NameKey, Annotated[list[Name], Field(json_schema_extra={"maxItems": MAX_TAGS})]],
    AfterValidator(_check_tags),
    Field(
        description=f"Taxonomy name → tag names, in source order: at most {MAX_TAXONOMIES} "
        f"taxonomies and {MAX_TAGS} tags in all",
        json_schema_extra={
            "maxProperties": MAX_TAXONOMIES,
            "propertyNames": {"maxLength": MAX_NAME, **VISIBLE},
        },
    ),
]
