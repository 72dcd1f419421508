"""Domain refusals → HTTP statuses, in one place. Every error body is {"detail": "..."}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from server.accounts import BadCredentials, TooManyAttempts
from server.engine import AccessDenied
from server.queue.model import Conflict, Invalid, NotFound, OfficeClosed, QueueError

log = logging.getLogger(__name__)

_STATUS: list[tuple[type[QueueError], int]] = [
    (TooManyAttempts, 429),
    (BadCredentials, 401),
    (AccessDenied, 403),
    (NotFound, 404),
    (OfficeClosed, 409),
    (Conflict, 409),
    (Invalid, 422),
]


def status_for(error: QueueError) -> int:
    return next((code for kind, code in _STATUS if isinstance(error, kind)), 400)


def install(app: FastAPI) -> None:
    @app.exception_handler(QueueError)
    async def queue_error(_request: Request, exc: QueueError) -> JSONResponse:
        body: dict[str, object] = {"detail": str(exc)}
        headers = {}
        problems = getattr(exc, "problems", None)
        if problems is not None:
            body["problems"] = problems
        if isinstance(exc, OfficeClosed):
            body["next_opening"] = exc.next_opening
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(int(exc.retry_after) + 1)
        return JSONResponse(body, status_code=status_for(exc), headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"detail": "Error interno del servidor. Intente de nuevo."},
                            status_code=500)
