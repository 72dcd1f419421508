"""Every error answer is rendered here: domain refusals → HTTP statuses, the framework's own
refusals (422 validation, 404, 405, 413) in plain Spanish. Every error body is
``{"detail": "..."}`` (schema ``ErrorBody`` in server/api/schemas.py)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

from server.api import messages
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
    OtherCounter,
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
    if isinstance(exc, OtherCounter):
        body["counter"] = exc.counter
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

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        detail, fields = messages.validation_detail(exc.errors())
        return error_response(422, detail, fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allowed = allowed_methods(request.app, request.scope)
            headers["Allow"] = ", ".join(allowed)
            return error_response(405, messages.method_not_allowed(request.method, allowed),
                                  headers=headers)
        return error_response(exc.status_code,
                              messages.http_detail(exc.status_code, exc.detail),
                              headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"detail": "Error interno del servidor. Intente de nuevo."},
                            status_code=500)


def error_response(status: int, detail: str, headers: dict[str, str] | None = None,
                   **extra: object) -> JSONResponse:
    """The one shape of every error answer (also used by the ASGI middlewares)."""
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


#: Methods tried when telling a client which ones a path admits (405 ``Allow``).
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: object, scope: Scope) -> list[str]:
    """Every method some route admits for this path: Starlette's 405 only names the methods
    of the first route that matched the path, not of all of them."""
    routes = getattr(app, "routes", [])
    allowed = []
    for method in _METHODS:
        probe = {**scope, "method": method}
        if any(route.matches(probe)[0] == Match.FULL for route in routes):
            allowed.append(method)
    return allowed
