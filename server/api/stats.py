"""/api/v1/stats: indicators as JSON, exports as CSV/XLSX, the live view's numbers.
Supervisors and admins only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from server.api.deps import Manager, StatsDep
from server.queue.stats_query import StatsQuery, parse_by, parse_filters, parse_range

router = APIRouter(prefix="/stats", tags=["statistics"])


def stats_query(
    from_: Annotated[str | None, Query(alias="from", description="First day, YYYY-MM-DD")] = None,
    to: Annotated[str | None, Query(description="Last day (inclusive), YYYY-MM-DD")] = None,
    by: Annotated[str | None, Query(description="service|counter|clerk|group|hour|day|weekday"
                                                " or char:<question>")] = None,
    service: str | None = None,
    counter: str | None = None,
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


@router.get("/summary")
async def summary(who: Manager, query: QueryDep, stats: StatsDep) -> dict[str, Any]:
    """Indicators for tickets issued from `from` to `to` (local days, inclusive): totals,
    preferential vs general, and one row per value of `by`. Durations in minutes."""
    return await stats.summary(query)


@router.get("/today")
async def today(who: Manager, stats: StatsDep) -> dict[str, Any]:
    """Today's totals (issued, served, …) and today's printer/kiosk alerts, newest first."""
    return await stats.today()


@router.get("/options")
async def options(who: Manager, stats: StatsDep) -> dict[str, Any]:
    """Choices for the history filters: services, counters, groups, clerks, questions."""
    return await stats.options()


@router.get("/export", response_model=None)
async def export_file(
    who: Manager, query: QueryDep, stats: StatsDep,
    format: Annotated[str, Query(description="csv or xlsx")] = "csv",  # noqa: A002
    kind: Annotated[str, Query(description="tickets (one row per ticket) or summary")
                    ] = "tickets",
    sep: Annotated[str | None, Query(description="semicolon: ';' and decimal comma, for "
                                                 "Excel in Spanish")] = None,
) -> StreamingResponse | FileResponse:
    """Download the tickets or the indicators of a range as CSV (UTF-8 with BOM) or XLSX,
    streamed: a year of tickets does not fill the server's memory."""
    out = await stats.export(query, format, kind, sep)
    disposition = {"Content-Disposition": f'attachment; filename="{out.filename}"'}
    if out.chunks is not None:
        return StreamingResponse(out.chunks, media_type=out.media_type, headers=disposition)
    assert out.path is not None
    return FileResponse(out.path, media_type=out.media_type, filename=out.filename,
                        background=BackgroundTask(out.path.unlink, missing_ok=True))
