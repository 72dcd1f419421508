"""A limit on the size of request bodies, enforced while they arrive.

A plain ASGI middleware: a declared ``Content-Length`` above the limit is answered 413 before
a byte of the body is read; otherwise the bytes are counted as they arrive and reading stops
(413) the moment they pass the limit, so an oversized body is never held in memory.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api import messages
from server.api.errors import error_response

#: Default limit: every JSON body Turnero accepts is far smaller.
DEFAULT_MAX_BODY_BYTES = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the body passes the limit; rendered by api/errors.py."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, messages.too_large(limit))


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, messages.too_large(self.max_bytes),
                                  headers={"Connection": "close"})
        await response(scope, receive, send)
