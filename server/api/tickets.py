"""/api/v1/tickets: issue, read, and act on one ticket."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from server.api.deps import (
    AtCounter,
    Issuer,
    Kiosk,
    ReadingDep,
    Staff,
    TicketingDep,
)
from server.api.schemas import (
    HistoryEntry,
    PrintStatus,
    TicketId,
    TicketIssued,
    TicketPublic,
    TicketStaff,
    error_responses,
)
from server.web.qr import qr_svg

router = APIRouter(prefix="/tickets", tags=["tickets"])
_ACTION_ERRORS = error_responses(401, 403, 404, 409, 422)


class TicketCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"service": "A"}, {"service": "B", "group": "AM", "request_id": "quiosco-1-000123"}]})

    service: str = Field(min_length=1, max_length=8, examples=["A"])
    group: str | None = Field(default=None, max_length=12, examples=[None, "AM"])
    characterization: dict[str, str | None] | None = Field(
        default=None, max_length=20, examples=[None, {"age_band": "60+"}],
        description="Optional anonymous answers (question code → option code), only when the "
                    "office enabled characterization; see GET /api/v1/office.")
    request_id: str | None = Field(
        default=None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
        description="Idempotency key chosen by the kiosk for this request: a retry with the "
                    "same key returns the ticket already issued (replayed: true), never a second.")


class Transfer(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"service": "B"}]})

    service: str = Field(min_length=1, max_length=8)


class PrintReport(BaseModel):
    ok: bool
    message: str = Field(default="", max_length=200)


@router.post("", status_code=201, response_model=TicketIssued,
             responses=error_responses(401, 403, 409, 413, 422))
async def issue_ticket(body: TicketCreate, ticketing: TicketingDep, who: Issuer
                       ) -> dict[str, Any]:
    """Issue a ticket (kiosks). 409 when the office is closed, with `next_opening`.
    `status_url` (the QR code) carries the survey key in its fragment: only this answer, the
    printed ticket and the counter's tablet have it (docs/security.md)."""
    return await ticketing.issue_ticket(body.service, body.group, who, body.characterization,
                                        body.request_id)


@router.get("/{ticket_id}", response_model=TicketPublic, responses=error_responses(404, 422))
async def get_ticket(ticket_id: TicketId, reading: ReadingDep) -> dict[str, Any]:
    """Public by design: the unguessable id printed in the QR code is the capability; the
    answer shows only this ticket's public fields, nothing about other citizens or staff."""
    return await reading.public_ticket(ticket_id)


@router.get("/{ticket_id}/qr.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}},
                       **error_responses(404, 422)})
async def ticket_qr(ticket_id: TicketId, reading: ReadingDep) -> Response:
    """The QR code of the ticket's status page (public like the ticket: the id is the
    capability); the clerk panel shows and prints it for a ticket given at the counter."""
    ticket = await reading.public_ticket(ticket_id)
    return Response(qr_svg(ticket["status_url"]), media_type="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})


@router.get("/{ticket_id}/history", response_model=list[HistoryEntry],
            responses=error_responses(401, 403, 404, 422))
async def ticket_history(ticket_id: TicketId, reading: ReadingDep, who: Staff
                         ) -> list[dict[str, Any]]:
    """Every recorded moment of the ticket, with who acted and why each call chose it. A
    clerk: only today's tickets of their counter, or that they transferred (403 otherwise)."""
    return await reading.ticket_history(ticket_id, who)


@router.post("/{ticket_id}/recall", response_model=TicketStaff, responses=_ACTION_ERRORS)
async def recall(ticket_id: TicketId, ticketing: TicketingDep, who: AtCounter) -> dict[str, Any]:
    return await ticketing.recall(ticket_id, who)


@router.post("/{ticket_id}/start", response_model=TicketStaff, responses=_ACTION_ERRORS)
async def start(ticket_id: TicketId, ticketing: TicketingDep, who: AtCounter) -> dict[str, Any]:
    return await ticketing.start(ticket_id, who)


@router.post("/{ticket_id}/finish", response_model=TicketStaff, responses=_ACTION_ERRORS)
async def finish(ticket_id: TicketId, ticketing: TicketingDep, who: AtCounter) -> dict[str, Any]:
    return await ticketing.finish(ticket_id, who)


@router.post("/{ticket_id}/no-show", response_model=TicketStaff, responses=_ACTION_ERRORS)
async def no_show(ticket_id: TicketId, ticketing: TicketingDep, who: AtCounter) -> dict[str, Any]:
    return await ticketing.no_show(ticket_id, who)


@router.post("/{ticket_id}/reactivate", response_model=TicketStaff, responses=_ACTION_ERRORS)
async def reactivate(ticket_id: TicketId, ticketing: TicketingDep, who: Staff
                     ) -> dict[str, Any]:
    return await ticketing.reactivate(ticket_id, who)


@router.post("/{ticket_id}/cancel", response_model=TicketStaff, responses=_ACTION_ERRORS)
async def cancel(ticket_id: TicketId, ticketing: TicketingDep, who: Staff) -> dict[str, Any]:
    return await ticketing.cancel(ticket_id, who)


@router.post("/{ticket_id}/transfer", response_model=TicketStaff,
             responses=error_responses(401, 403, 404, 409, 413, 422))
async def transfer(ticket_id: TicketId, body: Transfer, ticketing: TicketingDep, who: Staff
                   ) -> dict[str, Any]:
    return await ticketing.transfer(ticket_id, body.service, who)


@router.post("/{ticket_id}/print-status", response_model=PrintStatus,
             responses=error_responses(401, 403, 404, 413, 422))
async def print_status(ticket_id: TicketId, body: PrintReport, ticketing: TicketingDep,
                       who: Kiosk
                       ) -> dict[str, Any]:
    """The kiosk reports whether the ticket printed; a failure is a supervisor alert."""
    return await ticketing.report_print(ticket_id, body.ok, body.message, who)
