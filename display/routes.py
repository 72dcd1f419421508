"""The board's routes: the page at /display, its chime, the spoken announcements, its assets.

``install(app, cache_dir)`` is the one call the composition root makes. The page itself is
static HTML + JS (the CSP forbids inline code); everything live comes from the events
websocket, authenticated by the display token kept in an HttpOnly device cookie.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from display.spanish_numbers import TICKET_NUMBER, announcement_text
from display.speech import (
    DEFAULT_SPEED,
    DEFAULT_VOICE,
    SpeechCache,
    SpeechUnavailable,
    check_voice,
    chime_wav,
)
from server.api.deps import WATCHER_ROLES, EngineDep, Watcher, principal_from
from server.auth import Role
from server.queue.model import Invalid, NotFound
from server.web.device_link import trade_device_token

HERE = Path(__file__).parent
STATIC = HERE / "static"
BOARD_HTML = HERE / "board.html"
NOTICE_HTML = HERE / "notice.html"

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["display"])


def install(app: FastAPI, cache_dir: Path) -> None:
    """Register the board on ``app`` (call before the generic /static mount)."""
    app.state.speech = SpeechCache(cache_dir)
    app.include_router(pages)
    app.include_router(api, prefix="/api/v1")
    app.mount("/static/display", StaticFiles(directory=STATIC), name="display-static")


def notice_page(status: int, title: str, message: str) -> HTMLResponse:
    """A plain page for a board that cannot start (bad link, no token): readable on a TV."""
    body = Template(NOTICE_HTML.read_text(encoding="utf-8")).substitute(
        title=html.escape(title), message=html.escape(message))
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


@pages.get("/display")
async def board_page(request: Request, token: str | None = None) -> Response:
    """``/display?token=…`` trades the token for a device session kept in an HttpOnly cookie
    and redirects to the same address without it (server/web/device_link.py)."""
    if token is not None:
        traded = await trade_device_token(request, token, Role.DISPLAY)
        if traded is None:
            return notice_page(401, "Enlace de pantalla no válido",
                               "El token de esta pantalla no es válido o fue revocado. Pida "
                               "al administrador un enlace nuevo de pantalla.")
        return traded
    principal = await principal_from(request)
    if principal is None or principal.role not in WATCHER_ROLES:
        return notice_page(401, "Pantalla sin autorizar",
                           "Abra esta pantalla con su enlace de pantalla "
                           "(/display?token=…). El administrador lo crea con "
                           "«turnero token create --role display».")
    return HTMLResponse(BOARD_HTML.read_text(encoding="utf-8"),
                        headers={"Cache-Control": "no-store"})


@pages.get("/display/chime.wav")
async def chime() -> Response:
    """The two-tone chime played before every announcement (public: it is just a sound)."""
    return Response(chime_wav(), media_type="audio/wav",
                    headers={"Cache-Control": "public, max-age=86400"})


@api.get("/announcements/{ticket_number}/{counter}.wav", response_class=FileResponse)
async def announcement(ticket_number: str, counter: str, request: Request, engine: EngineDep,
                       who: Watcher, voice: str = DEFAULT_VOICE, speed: str = str(DEFAULT_SPEED)
                       ) -> Response:
    """ "Turno A veintitrés, ventanilla tres" as a WAV (espeak-ng, generated once, cached).

    Only phrases built from a valid ticket number and a configured counter are spoken: no
    caller-supplied text ever reaches the speech program."""
    if not TICKET_NUMBER.match(ticket_number):
        raise Invalid("Número de turno inválido; use la forma A-023.")
    if not counter.isdigit() or len(counter) > 4:
        raise Invalid("Número de ventanilla inválido.")
    configured = engine.config.counter(int(counter))
    if configured is None:
        raise NotFound(f"La ventanilla {counter} no existe.")
    if not speed.isdigit() or len(speed) > 3:
        raise Invalid("La velocidad debe ser un número de palabras por minuto.")
    try:
        check_voice(voice, int(speed))
    except ValueError as e:
        raise Invalid(str(e)) from None
    text = announcement_text(ticket_number, configured.number, configured.name)
    cache: SpeechCache = request.app.state.speech
    try:
        path = await cache.wav(text, voice, int(speed))
    except SpeechUnavailable as e:  # the board then plays only the chime
        return JSONResponse({"detail": f"No se pudo generar la voz: {e}"}, status_code=503)
    return FileResponse(path, media_type="audio/wav",
                        headers={"Cache-Control": "private, max-age=86400",
                                 "X-Announcement-Text": _header_safe(text)})


def _header_safe(text: str) -> str:
    """HTTP headers are latin-1: keep the phrase readable for tests and debugging."""
    return text.encode("latin-1", errors="replace").decode("latin-1")
