"""GET /api/v1/health (no auth, no personal data), and database write failures as 503.

A write failure (full disk, read-only database, I/O error) arrives here as
``sqlite3.OperationalError``. A handler registered for that class answers in Starlette's
ExceptionMiddleware, like any refusal: a 503 with a Spanish message and ``Retry-After``, the
client's keep-alive connection kept (an unhandled error would be a 500 from the outermost
middleware). The health service is told, which raises the supervisor alert and probes until
writes work again.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from server.api.central_status import CentralStatus, central_status
from server.api.deps import services_of
from server.api.schemas import Schema
from server.health import BUSY, FAILURES, storage_failure

router = APIRouter(tags=["health"])


class HealthCheck(Schema):
    """One check; which fields a check has depends on the check (see the README)."""

    ok: bool
    message: str | None = None
    failing: list[str] | None = None
    writable: bool | None = None
    failing_since: str | None = None
    free_bytes: int | None = None
    total_bytes: int | None = None
    free_share: float | None = None
    scheduled: bool | None = None
    last_at: str | None = None
    last_tickets: int | None = None
    daily_at: str | None = None
    keep: int | None = None
    folder: str | None = None


class DeviceSeen(Schema):
    """A kiosk, printer, board or bridge: its name (never a person's) and when last seen."""

    name: str
    last_seen_at: str | None = None
    last_report_at: str | None = None
    connected: int | None = None
    ok: bool | None = None
    message: str | None = None


class HealthReport(Schema):
    status: str = Field(description='"ok" or "falla"')
    failing: list[str] = Field(description="names of the failing checks")
    checked_at: str
    checks: dict[str, HealthCheck]
    devices: dict[str, list[DeviceSeen]]
    central: CentralStatus = Field(description="sending to the central reporting server (the "
                                               "same as /supervisor shows); informative: a "
                                               "link down for days is allowed and never "
                                               "makes the report fail")


@router.get("/health", response_model=HealthReport, responses={
    503: {"model": HealthReport, "description": "some part fails; `failing` names it"}})
async def health(request: Request) -> JSONResponse:
    """Database writable, free disk, last backup, kiosks / printers / boards / bridges last
    seen, and the link to the central server (last successful send, records waiting). 200
    when all is well; 503 with ``failing`` naming the failing checks otherwise. "Writable" is
    a real write: one tiny settings row through the writer."""
    service = services_of(request).health
    await service.storage.check()
    extra = await service.source_rows()
    report: dict[str, Any] = await anyio.to_thread.run_sync(service.report, None, extra)
    report["central"] = await central_status(request.app)
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)


def install_storage_errors(app: FastAPI) -> None:
    @app.exception_handler(sqlite3.OperationalError)
    async def storage_error(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        kind = storage_failure(exc)
        if kind is None:
            return JSONResponse({"detail": BUSY}, status_code=503, headers={"Retry-After": "2"})
        services_of(request).health.storage.failed(kind, exc, time.time())
        return JSONResponse({"detail": FAILURES[kind]}, status_code=503,
                            headers={"Retry-After": "5"})
