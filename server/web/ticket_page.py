"""GET /t/{id}: the page the QR code on a printed ticket opens on the citizen's phone.

No sign-in: the unguessable id is the capability. The page shows only this ticket (number,
status, people ahead, estimated wait) and follows it live through
WS /api/v1/tickets/{id}/live, polling GET /api/v1/tickets/{id} while that link is down.
An unknown id gets a friendly page with status 404.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from server.api.deps import ReadingDep
from server.errors import NotFound

WEB_DIR = Path(__file__).parent
NO_STORE = {"Cache-Control": "no-store"}

router = APIRouter(include_in_schema=False)


@router.get("/t/{ticket_id}")
async def ticket_page(ticket_id: str, reading: ReadingDep) -> HTMLResponse:
    office = html.escape(reading.config.name)
    try:
        ticket = await reading.get_ticket(ticket_id[:64])
    except NotFound:
        page = Template((WEB_DIR / "ticket-missing.html").read_text(encoding="utf-8"))
        return HTMLResponse(page.substitute(office=office), status_code=404, headers=NO_STORE)
    page = Template((WEB_DIR / "ticket.html").read_text(encoding="utf-8"))
    body = page.substitute(
        office=office,
        id=html.escape(ticket["id"]),
        number=html.escape(ticket["number"]),
        service=html.escape(ticket["service_name"] or ""),
    )
    return HTMLResponse(body, headers=NO_STORE)
