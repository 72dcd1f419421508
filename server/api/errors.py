"""Domain refusals → HTTP statuses, in one place. Every error body is {"detail": "..."}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from server.errors import (
    AccessDenied,
    BadCredentials,
    ConfigInvalid,
    Conflict,
    DomainError,
    Invalid,
    NotFound,
    NotSignedIn,
    OfficeClosed,
    TicketInHand,
    TooManyAttempts,
)

log = logging.getLogger(__name__)

#: First match wins (subclasses before their bases).
_STATUS: list[tuple[type[DomainError], int]] = [
    (TooManyAttempts, 429),
    (NotSignedIn, 401),
    (BadCredentials, 401),
    (AccessDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (Invalid, 422),
]


def status_for(error: DomainError) -> int:
    return next((code for kind, code in _STATUS if isinstance(error, kind)), 400)


def body_and_headers(exc: DomainError) -> tuple[dict[str, object], dict[str, str]]:
    """What a refusal carries besides its message: the readable problems of a configuration,
    when the office opens, how long to wait, how to authenticate."""
    body: dict[str, object] = {"detail": str(exc)}
    headers: dict[str, str] = {}
    if isinstance(exc, ConfigInvalid):
        body["problems"] = exc.problems
    if isinstance(exc, TicketInHand):
        body["ticket"] = exc.ticket
    if isinstance(exc, OfficeClosed):
        body["next_opening"] = exc.next_opening
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(int(exc.retry_after) + 1)
    elif isinstance(exc, NotSignedIn):
        headers["WWW-Authenticate"] = "Bearer"
    return body, headers


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        body, headers = body_and_headers(exc)
        return JSONResponse(body, status_code=status_for(exc), headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"detail": "Error interno del servidor. Intente de nuevo."},
                            status_code=500)
