"""What the clerk panel reads beyond the catalog: the public counter list for the sign-in form
and today's tickets in one status (e.g. no-shows to reactivate).

Registered before the counters router, so ``/counters/public`` is not taken for a number.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from server import desk
from server.api.deps import EngineDep, Staff

router = APIRouter(tags=["panel"])


@router.get("/counters/public")
async def public_counters(engine: EngineDep) -> list[dict[str, Any]]:
    """Counter numbers, names and the services each serves; no sign-in needed (the panel's
    sign-in form lists them). Says nothing about clerks or tickets."""
    return desk.public_counters(engine)


@router.get("/tickets")
async def list_tickets(
    engine: EngineDep,
    who: Staff,
    status: str = Query(examples=["no_show"]),
    day: str = Query("today", description="'today' or YYYY-MM-DD"),
    counter: int | None = Query(None, description="Only the services this counter serves"),
) -> list[dict[str, Any]]:
    """Tickets of one day in one status, newest first (staff). A clerk: today only, their
    own counter only (403 otherwise)."""
    return await desk.tickets_on(engine, status, day, counter, who)
