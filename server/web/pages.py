"""Every HTML page of Turnero, and the static files they load.

The pages are Jinja2 templates under ``templates/`` that extend ``layout.html``, the one HTML
head (charset, viewport, icon, design tokens). ``Pages.load()`` reads and compiles them once,
when the app is built, and renders the pages that carry no data right away; a request only
picks the bytes (or renders the few values a page shows, escaped). The pages are shells: no
inline script or style (the CSP forbids them), everything dynamic comes from ES modules under
/static and the JSON API, which checks roles.

``install(app)`` is the one call the composition root makes, after the API routes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

import display
from display.speech import chime_wav
from server.api.deps import (
    WATCHER_ROLES,
    ReadingDep,
    principal_from,
)
from server.auth import Role
from server.errors import NotFound
from server.web.device_link import trade_device_token

WEB_DIR = Path(__file__).parent
TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static"
#: Pages without data, rendered once at start-up: path → template.
STATIC_PAGES = {
    "/panel": "panel.html",
    "/admin": "admin.html",
    "/supervisor": "supervisor.html",
    "/supervisor/report": "report.html",
    "/survey": "survey.html",
    "/docs": "docs.html",
}
#: Pages rendered at start-up but served by their own route (a device link to trade first).
OWN_ROUTE = frozenset({"/survey"})
#: Layouts and partials: extended by the pages, never served alone.
LAYOUTS = frozenset({"layout.html", "staff.html", "manager.html"})
NO_CACHE = {"Cache-Control": "no-cache"}
NO_STORE = {"Cache-Control": "no-store"}
MAX_TICKET_ID_LENGTH = 64


@dataclass(frozen=True)
class Pages:
    """The compiled page templates and the pre-rendered pages without data."""

    templates: dict[str, Template]
    rendered: dict[str, bytes]

    @classmethod
    def load(cls, directory: Path = TEMPLATES) -> Pages:
        """Read and compile every template in ``directory`` (fails at start-up, not on the
        first visitor, when a template is broken or a page refers to a missing value)."""
        env = Environment(loader=FileSystemLoader(directory), autoescape=True,
                          auto_reload=False, undefined=StrictUndefined,
                          keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
        templates = {path.name: env.get_template(path.name)
                     for path in sorted(directory.glob("*.html"))
                     if path.name not in LAYOUTS}
        rendered = {name: templates[name].render().encode("utf-8")
                    for name in STATIC_PAGES.values()}
        return cls(templates, rendered)

    def page(self, name: str) -> HTMLResponse:
        """A page without data, as rendered at start-up."""
        return HTMLResponse(self.rendered[name], headers=NO_CACHE)

    def render(self, name: str, status_code: int = 200, **values: str) -> HTMLResponse:
        """A page with a few values (HTML-escaped); never cached (it shows live data)."""
        return HTMLResponse(self.templates[name].render(**values), status_code=status_code,
                            headers=NO_STORE)


def install(app: FastAPI, pages: Pages | None = None) -> None:
    """Register every page and mount the static files (the board's before the generic one)."""
    import swagger_ui_bundle

    app.include_router(router(pages or Pages.load()))
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="swagger")
    app.mount("/static/display", StaticFiles(directory=display.STATIC_DIR),
              name="display-static")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def router(pages: Pages) -> APIRouter:
    """The page routes, bound to the loaded ``pages``."""
    routes = APIRouter(include_in_schema=False)

    for path, name in STATIC_PAGES.items():
        if path in OWN_ROUTE:
            continue
        routes.add_api_route(path, _static_page(pages, name), methods=["GET"],
                             response_class=HTMLResponse, name=name.removesuffix(".html"))

    @routes.get("/")
    async def home() -> RedirectResponse:
        return RedirectResponse("/panel")

    @routes.get("/t/{ticket_id}")
    async def ticket_page(ticket_id: str, reading: ReadingDep) -> HTMLResponse:
        """The page the QR code on a printed ticket opens on the citizen's phone. No sign-in:
        the unguessable id is the capability. It shows only this ticket and follows it live
        (WS /api/v1/tickets/{id}/live); an unknown id gets a friendly page with status 404."""
        office = reading.config.name
        try:
            ticket = await reading.get_ticket(ticket_id[:MAX_TICKET_ID_LENGTH])
        except NotFound:
            return pages.render("ticket-missing.html", 404, office=office)
        return pages.render("ticket.html", office=office, id=ticket["id"],
                            number=ticket["number"], service=ticket["service_name"] or "")

    @routes.get("/display")
    async def board_page(request: Request, token: str | None = None) -> Response:
        """The TV board. ``/display?token=…`` trades the display token for a device session
        kept in an HttpOnly cookie and redirects to the same address without it
        (server/web/device_link.py); everything live then comes from the events websocket."""
        return await _board(pages, request, token)

    @routes.get("/survey")
    async def survey_page(request: Request, token: str | None = None) -> Response:
        """The counter tablet opens ``/survey?counter=N&token=…`` once: its survey device
        token is traded for a device session in an HttpOnly cookie (never kept in the page's
        storage); ``/survey?ticket=<id>`` is one ticket's survey."""
        if token is not None:
            traded = await trade_device_token(request, token, Role.SURVEY)
            if traded is not None:
                return traded
        return pages.page("survey.html")

    @routes.get("/display/chime.wav")
    async def chime() -> Response:
        """The two-tone chime played before every announcement (public: it is a sound)."""
        return Response(chime_wav(), media_type="audio/wav",
                        headers={"Cache-Control": "public, max-age=86400"})

    return routes


async def _board(pages: Pages, request: Request, token: str | None) -> Response:
    if token is not None:
        traded = await trade_device_token(request, token, Role.DISPLAY)
        if traded is None:
            return _board_notice(
                pages, "Enlace de pantalla no válido",
                "El token de esta pantalla no es válido o fue revocado. Pida al "
                "administrador un enlace nuevo de pantalla.")
        return traded
    principal = await principal_from(request)
    if principal is None or principal.role not in WATCHER_ROLES:
        return _board_notice(
            pages, "Pantalla sin autorizar",
            "Abra esta pantalla con su enlace de pantalla (/display?token=…). El "
            "administrador lo crea con «turnero token create --role display».")
    return pages.render("board.html")


def _static_page(pages: Pages, name: str) -> Callable[[], Awaitable[HTMLResponse]]:
    async def page() -> HTMLResponse:
        return pages.page(name)

    return page


def _board_notice(pages: Pages, title: str, message: str) -> HTMLResponse:
    """A plain page for a board that cannot start (bad link, no token): readable on a TV."""
    return pages.render("board-notice.html", 401, title=title, message=message)
