"""/api/v1/central/status: is this office's data reaching the central reporting server?
Last acknowledged send, records waiting, the last error. Supervisors and admins; the health
check calls ``central_status(app)`` directly."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from pydantic import Field

from server.api.deps import Manager
from server.api.schemas import Schema, error_responses

router = APIRouter(prefix="/central", tags=["central"])


class CentralStatus(Schema):
    """How the sending to the central reporting server goes (times in UTC, ISO 8601)."""

    configured: bool = Field(description="False when this office sends to no centre")
    url: str | None
    office: str | None = Field(description="this office's code at the centre, once known")
    pending: int | None = Field(description="records not yet acknowledged by the centre")
    last_success_at: str | None
    last_attempt_at: str | None
    last_error: str | None = Field(description="why the last attempt failed, in Spanish")
    failures: int = Field(description="failed attempts in a row")
    next_attempt_at: str | None


async def central_status(app: FastAPI) -> dict[str, Any]:
    """{"configured", "url", "office", "pending", "last_success_at", "last_attempt_at",
    "last_error", "failures", "next_attempt_at"}; ``configured`` false when the office sends
    to no centre."""
    from central.sender import not_configured

    sender = getattr(app.state, "central_sender", None)
    if sender is None:
        return not_configured()
    status: dict[str, Any] = await anyio.to_thread.run_sync(sender.status)
    return status


@router.get("/status", response_model=CentralStatus, responses=error_responses(401, 403))
async def status(who: Manager, request: Request) -> dict[str, Any]:
    """How the sending to the central server goes (see docs/central.md)."""
    return await central_status(request.app)
