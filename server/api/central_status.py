"""/api/v1/central/status: is this office's data reaching the central reporting server?
Last acknowledged send, records waiting, the last error. Supervisors and admins; the health
check calls ``central_status(app)`` directly."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request

from server.api.deps import Manager

router = APIRouter(prefix="/central", tags=["central"])


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


@router.get("/status")
async def status(who: Manager, request: Request) -> dict[str, Any]:
    """How the sending to the central server goes (see docs/central.md)."""
    return await central_status(request.app)
