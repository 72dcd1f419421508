"""HTML pages of this part: the supervisor dashboard, the printable monthly report and the
counter tablet survey. The pages are static shells (no data, no inline script or style, per
the CSP); their modules under /static fetch everything through the API, which checks roles."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

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


@router.get("/survey")
async def survey() -> HTMLResponse:
    return _page("survey.html")
