"""Pages of the centre: ``/central`` (a static shell; its module fetches the API) and the
public open data: ``/datos-abiertos`` (an HTML table rendered here, no script) with its CSV
and JSON files."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from central import opendata
from central.routes import ServiceDep
from server.services import export

WEB_DIR = Path(__file__).resolve().parent / "web"

router = APIRouter(include_in_schema=False)


@router.get("/central")
async def central_page() -> HTMLResponse:
    return HTMLResponse((WEB_DIR / "central.html").read_text(encoding="utf-8"))


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return escape(str(value))


@router.get("/datos-abiertos")
async def open_data_page(service: ServiceDep) -> HTMLResponse:
    rows = await anyio.to_thread.run_sync(service.open_data)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in opendata.HEADER_ES)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(r[c])}</td>" for c in opendata.COLUMNS) + "</tr>"
        for r in rows) or (f'<tr><td colspan="{len(opendata.COLUMNS)}">Aún no hay meses '
                           "completos publicados.</td></tr>")
    page = (WEB_DIR / "datos-abiertos.html").read_text(encoding="utf-8")
    return HTMLResponse(page.replace("{{min_count}}", str(service.settings.min_count))
                        .replace("{{head}}", head).replace("{{body}}", body))


@router.get("/datos-abiertos/mensual.csv")
async def open_data_csv(service: ServiceDep) -> StreamingResponse:
    chunks = await anyio.to_thread.run_sync(service.open_data_csv)
    return StreamingResponse(chunks, media_type=export.CSV_MEDIA_TYPE, headers={
        "Content-Disposition": 'attachment; filename="datos-abiertos-mensual.csv"'})


@router.get("/datos-abiertos/mensual.json")
async def open_data_json(service: ServiceDep) -> Response:
    body = await anyio.to_thread.run_sync(service.open_data_json)
    return Response(body, media_type="application/json; charset=utf-8")
