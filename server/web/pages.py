"""The staff pages: the clerk panel (/panel) and the administration (/admin).

Plain HTML files; everything dynamic is in ES modules under /static and the JSON API. The page
itself is public: it shows a sign-in form until the API says who is signed in, and the API
refuses what the role may not do.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

WEB_DIR = Path(__file__).parent
router = APIRouter(include_in_schema=False)


def _page(name: str) -> HTMLResponse:
    return HTMLResponse((WEB_DIR / name).read_text(encoding="utf-8"),
                        headers={"Cache-Control": "no-cache"})


@router.get("/panel")
async def panel() -> HTMLResponse:
    return _page("panel.html")


@router.get("/admin")
async def admin() -> HTMLResponse:
    return _page("admin.html")
