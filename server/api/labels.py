"""GET /api/v1/labels: the texts the pages show for codes (public, read-only).

Every page reads them from here instead of keeping copies: pause reasons, roles, weekdays,
months, statistics dimensions, satisfaction ratings and the "people ahead" wording."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from server.queue import labels
from server.queue.stats_query import DIMENSION_NAMES
from server.queue.survey import RATINGS

router = APIRouter(tags=["office"])


class CountTexts(BaseModel):
    """A text per count: 0, 1, and more (``{n}`` is the number)."""

    zero: str
    one: str
    other: str


class Labels(BaseModel):
    pause_reasons: dict[str, str] = Field(description="pause reason code → its name")
    roles: dict[str, str] = Field(description="role → its name")
    weekdays: dict[str, str] = Field(description="monday … sunday → Lunes … Domingo")
    months: list[str] = Field(description="enero … diciembre")
    dimensions: dict[str, str] = Field(description="statistics `by` → its name")
    ratings: dict[str, str] = Field(description='satisfaction "1" … "5" → its name')
    people_ahead: CountTexts = Field(description="people ahead of a waiting ticket, a sentence")
    people_ahead_short: CountTexts = Field(description="the same, as a short fact")


@router.get("/labels")
async def get_labels() -> Labels:
    """Texts by code. Public: they are the same words printed on tickets and shown on the
    board, and the citizen's phone needs the "people ahead" wording."""
    return Labels(
        pause_reasons=labels.PAUSE_REASONS,
        roles=labels.ROLE_NAMES,
        weekdays=labels.WEEKDAY_NAMES,
        months=list(labels.MONTH_NAMES),
        dimensions=DIMENSION_NAMES,
        ratings={str(k): v for k, v in RATINGS.items()},
        people_ahead=CountTexts(**labels.PEOPLE_AHEAD),
        people_ahead_short=CountTexts(**labels.PEOPLE_AHEAD_SHORT),
    )
