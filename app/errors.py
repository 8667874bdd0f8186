"""Typed errors. One handler renders them all as RFC 9457 problem details."""

from typing import Any, ClassVar


class NewsdbError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(NewsdbError):
    status = 404
    code = "not_found"
    title = "Not found"


class Unauthorized(NewsdbError):
    status = 401
    code = "unauthorized"
    title = "Authentication required"


class Forbidden(NewsdbError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class InvalidCursor(NewsdbError):
    status = 400
    code = "invalid_cursor"
    title = "Invalid cursor"


class InvalidInput(NewsdbError):
    status = 422
    code = "invalid_input"
    title = "Invalid input"


class BatchTooLarge(InvalidInput):
    code = "batch_too_large"
    title = "Too many items in a batch"


class Conflict(NewsdbError):
    status = 409
    code = "conflict"
    title = "Conflict"


class ServiceUnavailable(NewsdbError):
    status = 503
    code = "database_unavailable"
    title = "Database unavailable"


class SlugMismatch(InvalidInput):
    code = "slug_mismatch"
    title = "Name and slug disagree"
