"""/api/v1/stats: indicators as JSON, exports as CSV/XLSX, the live view's numbers.
Supervisors and admins only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from server.api.deps import EngineDep, Manager
from server.health import storage_alerts
from server.queue.model import Invalid
from server.stats import export
from server.stats.query import StatsQuery, parse_by, parse_filters, parse_range
from server.stats.service import StatsService

router = APIRouter(prefix="/stats", tags=["statistics"])

FORMATS = ("csv", "xlsx")
KINDS = ("tickets", "summary")


def get_stats(engine: EngineDep) -> StatsService:
    return StatsService(engine.store.path, engine.config)


StatsDep = Annotated[StatsService, Depends(get_stats)]


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
    return await anyio.to_thread.run_sync(stats.summary, query)


@router.get("/today")
async def today(who: Manager, stats: StatsDep, engine: EngineDep, request: Request
                ) -> dict[str, Any]:
    """Today's totals (issued, served, …) and today's printer/kiosk alerts, newest first
    (with the server's own: a full disk or a read-only database)."""
    now = engine.clock()
    result: dict[str, Any] = await anyio.to_thread.run_sync(stats.today, now)
    result["alerts"] = [*storage_alerts(request.app, engine.config.tz, now), *result["alerts"]]
    return result


@router.get("/options")
async def options(who: Manager, stats: StatsDep) -> dict[str, Any]:
    """Choices for the history filters: services, counters, groups, clerks, questions."""
    return await anyio.to_thread.run_sync(stats.options)


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
    if format not in FORMATS:
        raise Invalid(f"Formato {format!r} no válido; use csv o xlsx.")
    if kind not in KINDS:
        raise Invalid(f"Tipo {kind!r} no válido; use tickets o summary.")
    if sep not in (None, "", "comma", "semicolon"):
        raise Invalid(f"Separador {sep!r} no válido; use comma o semicolon.")
    filename = stats.filename(kind, query, format)
    if format == "csv":
        return StreamingResponse(
            stats.csv(kind, query, spanish_excel=sep == "semicolon"),
            media_type=export.CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    fd, name = tempfile.mkstemp(prefix="turnero-", suffix=".xlsx")
    os.close(fd)
    path = Path(name)
    try:
        await anyio.to_thread.run_sync(stats.xlsx, kind, query, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(path, media_type=export.XLSX_MEDIA_TYPE, filename=filename,
                        background=BackgroundTask(path.unlink, missing_ok=True))

