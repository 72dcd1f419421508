"""Read-only office data: services, preferential groups, office facts, the live queue."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from server.api.deps import AnyRole, EngineDep, Manager
from server.security.exposure import device_overview

router = APIRouter(tags=["office"])


@router.get("/services")
async def services(engine: EngineDep, who: AnyRole) -> list[dict[str, Any]]:
    return [asdict(s) for s in engine.config.services]


@router.get("/groups")
async def groups(engine: EngineDep, who: AnyRole) -> list[dict[str, Any]]:
    return [asdict(g) for g in engine.config.groups]


@router.get("/office")
async def office(engine: EngineDep, who: AnyRole) -> dict[str, Any]:
    """Name, opening state, hours and ticket footer (what a kiosk needs to show and print)."""
    cfg = engine.config
    data = cfg.to_dict()
    return {
        "name": cfg.name,
        "timezone": cfg.timezone,
        "hours": data["hours"],
        "ticket_footer": list(cfg.ticket_footer),
        "board_message": cfg.board_message,
        "boards": data["boards"],
        "opening": engine.opening_state(),
        "characterization": cfg.characterization.public(),
    }


@router.get("/queue")
async def queue(engine: EngineDep, who: AnyRole) -> dict[str, Any]:
    """Waiting per service and class, longest current wait, counter states. Devices see
    tickets by number only (no ids, no staff names: docs/security.md)."""
    overview = await engine.queue_overview()
    return device_overview(overview) if who.is_device else overview


@router.post("/queue/close-day")
async def close_day(engine: EngineDep, who: Manager) -> dict[str, Any]:
    """End the day now: every waiting ticket ends as 'not attended'."""
    return {"closed": await engine.close_day_now(who)}
