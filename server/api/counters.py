"""/api/v1/counters: the counters and what a clerk does at one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from server.api.deps import AnyRole, EngineDep, Staff
from server.engine import UNGUARDED
from server.security.exposure import device_counter, device_overview

router = APIRouter(prefix="/counters", tags=["counters"])


class CallOne(BaseModel):
    ticket: str = Field(min_length=1, max_length=64)


class NextCall(BaseModel):
    in_hand: str | None = Field(
        description="Id of the ticket the caller believes is in hand (null: none). If the "
                    "counter holds another one, it is returned with `repeated: true` and "
                    "nothing is called: double clicks never call two tickets.")


class Pause(BaseModel):
    reason: str = Field(examples=["break", "lunch", "other_task"])


@router.get("")
async def list_counters(engine: EngineDep, who: AnyRole) -> list[dict[str, Any]]:
    overview = await engine.queue_overview()
    if who.is_device:
        overview = device_overview(overview)
    counters: list[dict[str, Any]] = overview["counters"]
    return counters


@router.get("/{number}")
async def get_counter(number: int, engine: EngineDep, who: AnyRole) -> dict[str, Any]:
    counter = await engine.counter_state(number)
    return (device_counter(counter) or {}) if who.is_device else counter


def _call_response(result: Any, response: Response) -> Any:
    if result.closed_previous:
        prev = result.closed_previous
        response.headers["X-Closed-Previous"] = f"{prev['number']}={prev['outcome']}"
    if result.ticket is None:
        return Response(status_code=204, headers=dict(response.headers))
    return {**result.ticket, "closed_previous": result.closed_previous,
            "call_reason": result.reason, "repeated": result.repeated}


@router.post("/{number}/next", responses={204: {"description": "Nobody is waiting"}})
async def call_next(number: int, engine: EngineDep, who: Staff, response: Response,
                    body: NextCall | None = None) -> Any:
    """Call the next ticket by the priority policy. A ticket still in hand is closed first:
    served if attention started, otherwise no-show (see `closed_previous`). Send
    `{"in_hand": <id or null>}` to make a repeated request harmless."""
    expected = body.in_hand if body is not None else UNGUARDED
    return _call_response(await engine.call_next(number, who, expected), response)


@router.post("/{number}/call")
async def call_specific(number: int, body: CallOne, engine: EngineDep, who: Staff,
                        response: Response) -> Any:
    """Call one waiting ticket out of order (recorded as such in the audit log)."""
    return _call_response(await engine.call_specific(number, body.ticket, who), response)


@router.post("/{number}/pause")
async def pause(number: int, body: Pause, engine: EngineDep, who: Staff) -> dict[str, Any]:
    return await engine.pause(number, body.reason, who)


@router.post("/{number}/resume")
async def resume(number: int, engine: EngineDep, who: Staff) -> dict[str, Any]:
    return await engine.resume(number, who)
