"""The centre's refusals and their HTTP statuses, in one place. Every error body is
{"detail": "..."} in plain Spanish; nothing a client sends gives a 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from central.refusals import Forbidden, TooLarge, Unauthorized
from server.errors import Conflict, DomainError, Invalid, NotFound, TooManyAttempts

log = logging.getLogger("turnero.central")

_STATUS: list[tuple[type[DomainError], int]] = [
    (TooManyAttempts, 429), (Unauthorized, 401), (Forbidden, 403), (NotFound, 404), (Conflict, 409),
    (TooLarge, 413), (Invalid, 422),
]


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def refused(_request: Request, exc: DomainError) -> JSONResponse:
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(int(exc.retry_after) + 1)
        return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_params(_request: Request, exc: RequestValidationError) -> JSONResponse:
        names = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return JSONResponse({"detail": f"Parámetros no válidos: {names}."}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"detail": "Error interno del servidor central. Intente de nuevo."},
                            status_code=500)
