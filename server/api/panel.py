"""What the clerk panel reads beyond the catalog: the public counter list for the sign-in form
and today's tickets in one status (e.g. no-shows to reactivate).

Registered before the counters router, so ``/counters/public`` is not taken for a number.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from server.api.deps import DeskDep, Staff
from server.api.schemas import CounterFilter, PublicCounter, TicketStaff, error_responses
from server.queue.model import Status

router = APIRouter(tags=["panel"])


@router.get("/counters/public", response_model=list[PublicCounter])
async def public_counters(desk: DeskDep) -> list[dict[str, Any]]:
    """Counter numbers, names and the services each serves; no sign-in needed (the panel's
    sign-in form lists them). Says nothing about clerks or tickets."""
    return desk.public_counters()


@router.get("/tickets", response_model=list[TicketStaff],
            responses=error_responses(401, 403, 404, 422))
async def list_tickets(
    desk: DeskDep,
    who: Staff,
    status: Annotated[Status, Query(examples=["no_show"])],
    day: str = Query("today", description="'today' or YYYY-MM-DD"),
    counter: CounterFilter = None,
) -> list[dict[str, Any]]:
    """Tickets of one day in one status, newest first (staff). A clerk: today only, their
    own counter only (403 otherwise)."""
    return await desk.tickets_on(status, day, counter, who)
