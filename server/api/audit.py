"""/api/v1/audit: a ticket's history for a supervisor, found by the number on the paper."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from server.api.deps import Manager, ReadingDep
from server.api.schemas import TicketStory, error_responses

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/tickets", response_model=TicketStory,
            responses=error_responses(401, 403, 404, 422))
async def ticket_audit(
    reading: ReadingDep,
    who: Manager,
    number: str = Query(min_length=1, max_length=16, examples=["A-006"]),
    day: str = Query("today", description="'today' or YYYY-MM-DD"),
) -> dict[str, Any]:
    """The ticket with that number on that day and every recorded moment of it, each told in
    one plain-Spanish sentence (who, where, and why each call chose it)."""
    return await reading.ticket_audit(number, day)
