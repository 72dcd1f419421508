"""The satisfaction survey: public by ticket id (the unguessable id is the capability, as for
the ticket status page), and the counter tablet's "what to ask now"."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from server.api.deps import SurveyDep, SurveyTablet
from server.api.schemas import (
    CounterNumber,
    SurveyAnswered,
    SurveyStatus,
    TicketId,
    error_responses,
)

router = APIRouter(tags=["survey"])

#: The counter tablet runs with a device token of role ``survey`` (``turnero token create
#: --role survey``): a kiosk token would let a tablet issue tickets. Supervisors and admins
#: may open it too, e.g. to test it, but get no survey key.
Tablet = SurveyTablet


class TabletSurvey(SurveyStatus):
    key: str | None = Field(default=None, description="The survey key, only for the counter "
                                                      "tablet (a survey device token)")


class Answer(BaseModel):
    rating: int = Field(description="1 (muy mala) … 5 (muy buena)", examples=[5])
    reason: str | None = Field(default=None, max_length=32,
                               description="Optional reason code from GET …/survey `reasons`")
    key: str | None = Field(default=None, max_length=64,
                            description="The survey key: the `k` in the fragment of the "
                                        "ticket's status_url (QR code), or the counter "
                                        "tablet's survey-ticket `key`")


@router.get("/tickets/{ticket_id}/survey", response_model=SurveyStatus,
            responses=error_responses(404, 422))
async def survey_state(ticket_id: TicketId, surveys: SurveyDep) -> dict[str, Any]:
    """`state`: open (may answer), answered, not_ready (attention not finished) or closed;
    plus the rating labels and reason codes to show."""
    return await surveys.status(ticket_id)


@router.post("/tickets/{ticket_id}/survey", status_code=201, response_model=SurveyAnswered,
             responses=error_responses(403, 404, 409, 413, 422))
async def answer_survey(ticket_id: TicketId, body: Answer, surveys: SurveyDep
                        ) -> dict[str, Any]:
    """Store the anonymous answer: one per ticket (409 the second time), only after the
    ticket was served (409 before), only with the ticket's survey key (403 without it)."""
    return await surveys.answer(ticket_id, body.key, body.rating, body.reason)


@router.get("/counters/{number}/survey-ticket", response_model=TabletSurvey,
            responses={204: {"description": "Nothing to ask now"},
                       **error_responses(401, 403, 404, 422)})
async def counter_survey(number: CounterNumber, surveys: SurveyDep, who: Tablet
                         ) -> dict[str, Any] | Response:
    """The survey the counter tablet shows now: the ticket finished last at this counter, if
    served within the last few minutes and not yet rated; 204 when there is none. A survey
    device token (the tablet) also gets the survey `key` to answer it."""
    found = await surveys.for_counter(number, who)
    return Response(status_code=204) if found is None else found
