"""Read-your-writes with a replica: every successful write's answer says where the primary's
WAL stood after it (`Newsdb-LSN`), which the client sends back on its next read."""

import logging
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.replica import LSN_HEADER, primary_position

log = logging.getLogger("newsdb")
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WritePosition:
    """Adds `Newsdb-LSN` to every successful write's answer when reads go to a replica."""

    def __init__(self, app: ASGIApp, primary: Callable[[], AsyncEngine]) -> None:
        self.app = app
        self.primary = primary

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WRITES:
            await self.app(scope, receive, send)
            return

        async def send_with_position(message: Message) -> None:
            # The route has committed before its answer starts, so the position covers it.
            if message["type"] == "http.response.start" and message["status"] < 400:
                try:
                    position = await primary_position(self.primary())
                except DBAPIError as error:
                    # The write stands; only the client's next read may be served stale.
                    log.warning("no WAL position for a write's answer: %s", error.orig)
                else:
                    message["headers"] = [
                        *message.get("headers", []),
                        (LSN_HEADER.lower().encode(), position.encode()),
                    ]
            await send(message)

        await self.app(scope, receive, send_with_position)
