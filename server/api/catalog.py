"""Read-only office data: services, preferential groups, office facts, the live queue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api.deps import AnyRole, Manager, ReadingDep, TicketingDep
from server.api.device_schemas import QueueAnswer
from server.api.schemas import DayClosed, Group, Office, Service, error_responses
from server.security.exposure import device_overview, numbers_only

router = APIRouter(tags=["office"])
_READ_ERRORS = error_responses(401, 403)


@router.get("/services", response_model=list[Service], responses=_READ_ERRORS)
async def services(reading: ReadingDep, who: AnyRole) -> list[dict[str, Any]]:
    return reading.services()


@router.get("/groups", response_model=list[Group], responses=_READ_ERRORS)
async def groups(reading: ReadingDep, who: AnyRole) -> list[dict[str, Any]]:
    return reading.groups()


@router.get("/office", response_model=Office, responses=_READ_ERRORS)
async def office(reading: ReadingDep, who: AnyRole) -> dict[str, Any]:
    """Name, opening state, hours and ticket footer (what a kiosk needs to show and print)."""
    return reading.office_facts()


@router.get("/queue", response_model=QueueAnswer,
            responses=_READ_ERRORS)
async def queue(reading: ReadingDep, who: AnyRole) -> dict[str, Any]:
    """Waiting per service and class, longest current wait, counter states. Devices see
    tickets by number only (no ids, no staff names: docs/security.md)."""
    overview = await reading.queue_overview()
    return device_overview(overview) if numbers_only(who.role) else overview


@router.post("/queue/close-day", response_model=DayClosed, responses=_READ_ERRORS)
async def close_day(ticketing: TicketingDep, who: Manager) -> dict[str, Any]:
    """End the day now: every waiting ticket ends as 'not attended'."""
    return {"closed": await ticketing.close_day_now(who)}
