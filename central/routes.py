"""/api/v1/central: the routes parse, call one service function, return. Who may call what is
decided here (office token: only ``POST /records``; signed-in supervisors and admins: the
rest); refusals are mapped to HTTP in ``central.errors``."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from central.refusals import TooLarge
from central.service import Caller, CentralService
from server.api.downloads import attachment, finished_file
from server.errors import Invalid
from server.services import export

router = APIRouter(prefix="/api/v1/central", tags=["central"])

MAX_BODY = 8 * 1024 * 1024


def get_service(request: Request) -> CentralService:
    service: CentralService = request.app.state.central
    return service


ServiceDep = Annotated[CentralService, Depends(get_service)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


async def get_caller(request: Request, service: ServiceDep) -> Caller | None:
    return await anyio.to_thread.run_sync(service.caller, _bearer(request))


CallerDep = Annotated[Caller | None, Depends(get_caller)]


async def require_user(caller: CallerDep, service: ServiceDep) -> Caller:
    return service.require_user(caller)


UserDep = Annotated[Caller, Depends(require_user)]


@router.post("/records")
async def receive(request: Request, caller: CallerDep, service: ServiceDep) -> dict[str, Any]:
    """A batch of an office's ticket records (office token). Idempotent: each record is
    keyed by (office, ticket); a record sent again replaces its row, a replayed batch changes
    nothing. A token only writes its own office's rows."""
    office = service.require_office(caller)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise TooLarge(f"El lote es demasiado grande (máximo {MAX_BODY // 1024 // 1024} MB); "
                       "envíe lotes más pequeños.")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise TooLarge("El lote es demasiado grande; envíe lotes más pequeños.")
    return await anyio.to_thread.run_sync(service.receive, office, raw)


@router.get("/office")
async def this_office(caller: CallerDep, service: ServiceDep) -> dict[str, str]:
    """Which office this office token belongs to (the sender asks once)."""
    return await anyio.to_thread.run_sync(service.office_of, caller)


class Login(BaseModel):
    username: str = ""
    password: str = ""


@router.post("/auth/login")
async def login(body: Login, request: Request, service: ServiceDep) -> dict[str, Any]:
    """Sign in a supervisor or admin of the centre → a bearer token (12 hours)."""
    address = request.client.host if request.client else ""
    return await service.sign_in(body.username, body.password, address)


@router.post("/auth/logout")
async def logout(request: Request, who: UserDep, service: ServiceDep) -> dict[str, bool]:
    await anyio.to_thread.run_sync(service.logout, _bearer(request) or "")
    return {"ok": True}


@router.get("/auth/me")
async def me(who: UserDep) -> dict[str, str]:
    return {"username": who.name, "role": who.role}


@router.get("/offices")
async def offices(who: UserDep, service: ServiceDep) -> dict[str, Any]:
    """Every office with its last send, its records and whether it is late."""
    return await anyio.to_thread.run_sync(service.offices)


@router.get("/summary")
async def summary(
    who: UserDep, service: ServiceDep,
    from_: Annotated[str | None, Query(alias="from", description="First day, YYYY-MM-DD")] = None,
    to: Annotated[str | None, Query(description="Last day (inclusive), YYYY-MM-DD")] = None,
    by: Annotated[str | None, Query(description="office|service|group|month|day|"
                                                "office_service")] = None,
    office: Annotated[str | None, Query(description="one office's code")] = None,
) -> dict[str, Any]:
    """The office statistics' indicators over the offices' records, by office, service,
    group, month or day (durations in minutes)."""
    return await anyio.to_thread.run_sync(service.summary, from_, to, by, office)


@router.get("/export", response_model=None)
async def export_file(
    who: UserDep, service: ServiceDep,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    office: str | None = None,
    format: Annotated[str, Query(description="csv or xlsx")] = "csv",  # noqa: A002
    sep: Annotated[str | None, Query(description="semicolon for Excel in Spanish")] = None,
) -> StreamingResponse:
    """The offices' tickets as the office export's columns (plus the office), streamed."""
    if format not in ("csv", "xlsx"):
        raise Invalid(f"Formato {format!r} no válido; use csv o xlsx.")
    if sep not in (None, "", "comma", "semicolon"):
        raise Invalid(f"Separador {sep!r} no válido; use comma o semicolon.")
    filename = service.filename(from_, to, format)
    if format == "csv":
        chunks = await anyio.to_thread.run_sync(service.export_csv, from_, to, office,
                                                sep == "semicolon")
        return attachment(chunks, export.CSV_MEDIA_TYPE, filename)
    path = await export.written_file(partial(service.export_xlsx, from_, to, office),
                                     "turnero-central-", ".xlsx")
    return await finished_file(path, export.XLSX_MEDIA_TYPE, filename)
