"""GET /api/v1/labels: the texts the pages show for codes (public, read-only).

Every page reads them from here instead of keeping copies: pause reasons, roles, weekdays,
months, statistics dimensions, satisfaction ratings and the "people ahead" wording."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.queue import labels
from server.stats.query import DIMENSION_NAMES
from server.stats.survey import RATINGS

router = APIRouter(tags=["office"])


@router.get("/labels")
async def get_labels() -> dict[str, Any]:
    """Texts by code. Public: they are the same words printed on tickets and shown on the
    board, and the citizen's phone needs the "people ahead" wording."""
    return {
        "pause_reasons": labels.PAUSE_REASONS,
        "roles": labels.ROLE_NAMES,
        "weekdays": labels.WEEKDAY_NAMES,
        "months": list(labels.MONTH_NAMES),
        "dimensions": DIMENSION_NAMES,
        "ratings": {str(k): v for k, v in RATINGS.items()},
        "people_ahead": labels.PEOPLE_AHEAD,
        "people_ahead_short": labels.PEOPLE_AHEAD_SHORT,
    }
