"""/api/v1/counters: the counters and what a clerk does at one."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from server.api.deps import (
    AccountsDep,
    AnyRole,
    AtCounter,
    DeskDep,
    Manager,
    ReadingDep,
    Staff,
    TicketingDep,
)
from server.api.device_schemas import CounterAnswer, CountersAnswer
from server.api.schemas import (
    CalledTicket,
    CounterNumber,
    CounterState,
    PauseReason,
    TicketIssued,
    error_responses,
)
from server.security.exposure import device_counter, numbers_only
from server.services.desk import UNGUARDED, CallResult

router = APIRouter(prefix="/counters", tags=["counters"])


class CallOne(BaseModel):
    ticket: str = Field(min_length=1, max_length=64)
    previous: Literal["no_show", "served"] | None = None


class NextCall(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"in_hand": None}]})

    in_hand: str | None = Field(
        default=None,
        description="Id of the ticket the caller believes is in hand (null: none). If the "
                    "counter holds another one, it is returned with `repeated: true` and "
                    "nothing is called: double clicks never call two tickets.")
    previous: Literal["no_show", "served"] | None = Field(
        default=None,
        description="How to close a ticket in hand that was called but not started. Without "
                    "it such a ticket is never closed: 409 names it (`ticket`).")


class IssueAtCounter(BaseModel):
    service: str = Field(min_length=1, max_length=8, examples=["A"])
    group: str | None = Field(default=None, max_length=12, examples=[None, "AM"])
    request_id: str | None = Field(default=None, min_length=8, max_length=64,
                                   pattern=r"^[A-Za-z0-9_-]+$")


class Pause(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "lunch"}]})

    reason: PauseReason = Field(examples=["break", "lunch", "other_task"])


@router.get("", response_model=CountersAnswer,
            responses=error_responses(401, 403))
async def list_counters(reading: ReadingDep, who: AnyRole) -> list[dict[str, Any]]:
    """Every counter with its line. Devices see tickets by number only (docs/security.md)."""
    counters = await reading.counters()
    return [device_counter(c) or {} for c in counters] if numbers_only(who.role) else counters


@router.get("/{number}", response_model=CounterAnswer,
            responses=error_responses(401, 403, 404, 422))
async def get_counter(number: CounterNumber, desk: DeskDep, who: AnyRole) -> dict[str, Any]:
    counter = await desk.counter_state(number)
    return (device_counter(counter) or {}) if numbers_only(who.role) else counter


def _call_response(result: CallResult, response: Response) -> Any:
    if result.closed_previous:
        prev = result.closed_previous
        response.headers["X-Closed-Previous"] = f"{prev['number']}={prev['outcome']}"
    if result.ticket is None:
        return Response(status_code=204, headers=dict(response.headers))
    return {**result.ticket, "closed_previous": result.closed_previous,
            "call_reason": result.reason, "repeated": result.repeated}


@router.post("/{number}/next", response_model=CalledTicket,
             responses={204: {"description": "Nobody is waiting"},
                        **error_responses(401, 403, 404, 409, 413, 422)})
async def call_next(number: CounterNumber, desk: DeskDep, who: AtCounter, response: Response,
                    body: NextCall | None = None) -> Any:
    """Call the next ticket by the priority policy. A ticket in attention closes first as
    served (see `closed_previous`); one called but not started is closed only as `previous`
    says, else 409 names it. 409 too while the counter is paused. Send
    `{"in_hand": <id or null>}` to make a repeated request harmless."""
    sent = body.model_fields_set if body is not None else set()
    expected = body.in_hand if body is not None and "in_hand" in sent else UNGUARDED
    previous = body.previous if body is not None else None
    return _call_response(await desk.call_next(number, who, expected, previous), response)


@router.post("/{number}/call", response_model=CalledTicket,
             responses=error_responses(401, 403, 404, 409, 413, 422))
async def call_specific(number: CounterNumber, body: CallOne, desk: DeskDep, who: Staff,
                        response: Response) -> Any:
    """Call one waiting ticket out of order (recorded as such in the audit log)."""
    return _call_response(await desk.call_specific(number, body.ticket, who, body.previous),
                          response)


@router.post("/{number}/free", response_model=CounterState,
             responses=error_responses(401, 403, 404, 409, 422))
async def free_counter(number: CounterNumber, accounts: AccountsDep, who: Manager
                       ) -> dict[str, Any]:
    """A supervisor frees a counter: its clerk is signed out there, its ticket in hand
    returns to the line in its place, and the counter closes (audit log)."""
    return await accounts.free_counter(number, who)


@router.post("/{number}/issue", status_code=201, response_model=TicketIssued,
             responses=error_responses(401, 403, 404, 409, 413, 422))
async def issue_at_counter(number: CounterNumber, body: IssueAtCounter,
                           ticketing: TicketingDep, who: Staff) -> dict[str, Any]:
    """Issue a ticket for a citizen who does not use the kiosk, recorded as issued at this
    counter; it waits in line like any other."""
    return await ticketing.issue_at_counter(number, body.service, body.group, who,
                                            body.request_id)


@router.post("/{number}/pause", response_model=CounterState,
             responses=error_responses(401, 403, 404, 409, 413, 422))
async def pause(number: CounterNumber, body: Pause, desk: DeskDep, who: AtCounter
                ) -> dict[str, Any]:
    return await desk.pause(number, body.reason, who)


@router.post("/{number}/resume", response_model=CounterState,
             responses=error_responses(401, 403, 404, 409, 422))
async def resume(number: CounterNumber, desk: DeskDep, who: AtCounter) -> dict[str, Any]:
    return await desk.resume(number, who)
