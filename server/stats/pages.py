"""HTML pages of this part: the supervisor dashboard, the printable monthly report and the
counter tablet survey. The pages are static shells (no data, no inline script or style, per
the CSP); their modules under /static fetch everything through the API, which checks roles."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from server.auth import Role
from server.web.device_link import trade_device_token

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

router = APIRouter(include_in_schema=False)


def _page(name: str) -> HTMLResponse:
    return HTMLResponse((WEB_DIR / name).read_text(encoding="utf-8"))


@router.get("/supervisor")
async def supervisor() -> HTMLResponse:
    return _page("supervisor.html")


@router.get("/supervisor/report")
async def report() -> HTMLResponse:
    return _page("report.html")


@router.get("/survey", response_model=None)
async def survey(request: Request, token: str | None = None) -> Response:
    """The counter tablet opens ``/survey?counter=N&token=…`` once: the kiosk token is traded
    for a device session in an HttpOnly cookie (never kept in the page's storage)."""
    if token is not None:
        traded = await trade_device_token(request, token, Role.KIOSK)
        if traded is not None:
            return traded
    return _page("survey.html")
