"""/api/v1/stats: indicators as JSON, exports as CSV/XLSX, the live view's numbers.
Supervisors and admins only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from server.api.deps import Manager, StatsDep, services_of
from server.api.downloads import attachment, finished_file
from server.api.schemas import (
    ExportFormat,
    ExportKind,
    ExportSeparator,
    StatsOptions,
    StatsSummary,
    StatsToday,
    error_responses,
)
from server.queue.stats_query import StatsQuery, parse_by, parse_filters, parse_range
from server.services.export import XLSX_MEDIA_TYPE

router = APIRouter(prefix="/stats", tags=["statistics"])
_QUERY_ERRORS = error_responses(401, 403, 422)


async def stats_query(
    from_: Annotated[str, Query(alias="from", description="First day, YYYY-MM-DD (required)",
                                examples=["2026-11-01"])],
    to: Annotated[str, Query(description="Last day (inclusive), YYYY-MM-DD (required)",
                             examples=["2026-11-30"])],
    by: Annotated[str | None, Query(description="service|counter|clerk|group|hour|day|weekday"
                                                " or char:<question>")] = None,
    service: str | None = None,
    counter: Annotated[str | None, Query(description="counter number (empty: every counter)")
                       ] = None,
    clerk: str | None = None,
    group: Annotated[str | None, Query(description="group code, general or preferential")
                     ] = None,
    char: Annotated[list[str] | None, Query(description="question:answer (repeatable)")
                    ] = None,
) -> StatsQuery:
    start, end = parse_range(from_, to)
    return StatsQuery(start, end, parse_by(by),
                      parse_filters(service, counter, clerk, group, char or []))


QueryDep = Annotated[StatsQuery, Depends(stats_query)]


@router.get("/summary", response_model=StatsSummary, responses=_QUERY_ERRORS)
async def summary(who: Manager, query: QueryDep, stats: StatsDep) -> dict[str, Any]:
    """Indicators for tickets issued from `from` to `to` (local days, inclusive): totals,
    preferential vs general, and one row per value of `by`. Durations in minutes."""
    return await stats.summary(query)


@router.get("/today", response_model=StatsToday, responses=error_responses(401, 403))
async def today(who: Manager, stats: StatsDep, request: Request) -> dict[str, Any]:
    """Today's totals (issued, served, …) and today's printer/kiosk alerts, newest first
    (with the server's own: a full disk or a read-only database)."""
    result = await stats.today()
    services = services_of(request)
    now = services.office.clock()
    result["alerts"] = [*services.health.storage.alerts(services.office.config.tz, now),
                        *result["alerts"]]
    return result


@router.get("/options", response_model=StatsOptions, responses=error_responses(401, 403))
async def options(who: Manager, stats: StatsDep) -> dict[str, Any]:
    """Choices for the history filters: services, counters, groups, clerks, questions."""
    return await stats.options()


@router.get("/export", response_model=None, response_class=Response,
            responses={200: {"description": "The file (CSV or XLSX)",
                             "content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}},
                       **_QUERY_ERRORS})
async def export_file(
    who: Manager, query: QueryDep, stats: StatsDep,
    format: Annotated[ExportFormat, Query(description="csv or xlsx")  # noqa: A002
                      ] = ExportFormat.CSV,
    kind: Annotated[ExportKind, Query(description="tickets (one row per ticket) or summary")
                    ] = ExportKind.TICKETS,
    sep: Annotated[ExportSeparator | None, Query(description="semicolon: ';' and decimal "
                                                 "comma, for Excel in Spanish")] = None,
) -> StreamingResponse:
    """Download the tickets or the indicators of a range as CSV (UTF-8 with BOM) or XLSX. A
    short range's CSV is streamed as it is read; a long one's, and every XLSX, is written
    first in the analytics process and then sent. Memory stays flat for a year of tickets."""
    out = await stats.export(query, format, kind, sep)
    if out.chunks is not None:
        return attachment(out.chunks, out.media_type, out.filename)
    assert out.path is not None
    return await finished_file(out.path, out.media_type, out.filename)
