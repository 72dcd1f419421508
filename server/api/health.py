"""GET /api/v1/health: the server's own check (no auth, no personal data)."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from server.health import HealthService

router = APIRouter(tags=["health"])


@router.get("/health", responses={503: {"description": "some part fails; `failing` names it"}})
async def health(request: Request) -> JSONResponse:
    """Database writable, free disk, last backup, kiosks / printers / boards / bridges last
    seen. 200 when all is well; 503 with ``failing`` naming the failing checks otherwise."""
    service: HealthService = request.app.state.health
    report: dict[str, Any] = await anyio.to_thread.run_sync(service.report)
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)
