"""Typed errors. One handler renders them all as RFC 9457 problem details."""

from typing import Any, ClassVar


class NewsdbError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"
    # Seconds a client should wait before trying again (a Retry-After header); None: no header.
    retry_after: ClassVar[int | None] = None

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
    retry_after = 1


class DatabaseBusy(ServiceUnavailable):
    code = "database_busy"
    title = "Database busy"


class DatabaseReadOnly(ServiceUnavailable):
    code = "database_read_only"
    title = "Database read-only"
    # An operator has to act: asking again every second would only add load.
    retry_after = 30


class StorageFull(NewsdbError):
    status = 507
    code = "storage_full"
    title = "Insufficient storage"


class SlugMismatch(InvalidInput):
    code = "slug_mismatch"
    title = "Name and slug disagree"


_DETAILS: dict[type[NewsdbError], str] = {
    ServiceUnavailable: "the database could not complete the request; retry shortly",
    DatabaseBusy: "another process held the database's write lock for longer than "
    "SQLITE_BUSY_TIMEOUT_MS; nothing was stored; retry shortly",
    DatabaseReadOnly: "the database is read-only at the moment: reads work, but nothing can be "
    "stored; retry later",
    StorageFull: "the database's disk is full: nothing was stored; retry once space is freed",
}
# PostgreSQL's SQLSTATEs and SQLite's result codes (extended codes share the prefix).
_BY_SQLSTATE: dict[str, type[NewsdbError]] = {"25006": DatabaseReadOnly, "53100": StorageFull}
_BY_SQLITE_CODE: dict[str, type[NewsdbError]] = {
    "SQLITE_READONLY": DatabaseReadOnly,
    "SQLITE_FULL": StorageFull,
    "SQLITE_BUSY": DatabaseBusy,
}


def _failure_kind(error: BaseException) -> type[NewsdbError]:
    driver_error = getattr(error, "orig", None) or error
    kind = _BY_SQLSTATE.get(getattr(driver_error, "sqlstate", None) or "")
    sqlite_code = getattr(driver_error, "sqlite_errorname", None) or ""
    for prefix, sqlite_kind in _BY_SQLITE_CODE.items():
        if sqlite_code == prefix or sqlite_code.startswith(prefix + "_"):
            kind = sqlite_kind
    return kind or ServiceUnavailable


def database_failure(error: BaseException) -> NewsdbError:
    """What a database driver's error means for the client: read-only, full, busy, or (the
    rest: a server going away, a refused connection) unavailable. `error` is SQLAlchemy's
    wrapper or the driver's own exception."""
    kind = _failure_kind(error)
    return kind(_DETAILS[kind])


def is_database_busy(error: BaseException) -> bool:
    """Whether another connection holds SQLite's write lock (SQLITE_BUSY, "database is
    locked"): the one test for it, for retries and for the clients' `database_busy`."""
    return _failure_kind(error) is DatabaseBusy


def driver_message(error: BaseException) -> str:
    """The first line of what the database driver said, for a message without a traceback."""
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__
