"""GET /api/v1/announcements/{number}/{counter}.wav: the board's spoken call.

The speech cache is passed in by the composition root (``build_router(speech)``)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse, JSONResponse

from display.spanish_numbers import TICKET_NUMBER, announcement_text
from display.speech import (
    DEFAULT_SPEED,
    DEFAULT_VOICE,
    SpeechCache,
    SpeechUnavailable,
    check_voice,
)
from server.api.deps import ReadingDep, Watcher
from server.errors import Invalid, NotFound


def build_router(speech: SpeechCache) -> APIRouter:
    """The announcements route, speaking through ``speech`` (one cache per server)."""
    router = APIRouter(tags=["display"])

    @router.get("/announcements/{ticket_number}/{counter}.wav", response_class=FileResponse)
    async def announcement(ticket_number: str, counter: str, reading: ReadingDep, who: Watcher,
                           voice: str = DEFAULT_VOICE, speed: str = str(DEFAULT_SPEED)
                           ) -> Response:
        """ "Turno A veintitrés, ventanilla tres" as a WAV (espeak-ng, generated once,
        cached). Only phrases built from a valid ticket number and a configured counter are
        spoken: no caller-supplied text ever reaches the speech program."""
        if not TICKET_NUMBER.match(ticket_number):
            raise Invalid("Número de turno inválido; use la forma A-023.")
        if not counter.isdigit() or len(counter) > 4:
            raise Invalid("Número de ventanilla inválido.")
        configured = reading.config.counter(int(counter))
        if configured is None:
            raise NotFound(f"La ventanilla {counter} no existe.")
        if not speed.isdigit() or len(speed) > 3:
            raise Invalid("La velocidad debe ser un número de palabras por minuto.")
        try:
            check_voice(voice, int(speed))
        except ValueError as e:
            raise Invalid(str(e)) from None
        text = announcement_text(ticket_number, configured.number, configured.name)
        try:
            path = await speech.wav(text, voice, int(speed))
        except SpeechUnavailable as e:  # the board then plays only the chime
            return JSONResponse({"detail": f"No se pudo generar la voz: {e}"}, status_code=503)
        return FileResponse(path, media_type="audio/wav",
                            headers={"Cache-Control": "private, max-age=86400",
                                     "X-Announcement-Text": _header_safe(text)})

    return router


def _header_safe(text: str) -> str:
    """HTTP headers are latin-1: keep the phrase readable for tests and debugging."""
    return text.encode("latin-1", errors="replace").decode("latin-1")
