"""GET /api/v1/announcements/{number}/{counter}.wav: the board's spoken call.

The speech cache is passed in by the composition root (``build_router(speech)``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse

from display.spanish_numbers import TICKET_NUMBER, announcement_text
from display.speech import (
    DEFAULT_SPEED,
    DEFAULT_VOICE,
    MAX_SPEED,
    MIN_SPEED,
    SpeechCache,
    SpeechUnavailable,
    check_voice,
)
from server.api.deps import ReadingDep, Watcher
from server.api.schemas import CounterNumber, error_responses
from server.errors import Invalid, NotFound


def build_router(speech: SpeechCache) -> APIRouter:
    """The announcements route, speaking through ``speech`` (one cache per server)."""
    router = APIRouter(tags=["display"])

    @router.get("/announcements/{ticket_number}/{counter}.wav", response_class=FileResponse,
                responses={200: {"content": {"audio/wav": {}}, "description": "The spoken call"},
                           **error_responses(401, 403, 404, 422, 503)})
    async def announcement(
        ticket_number: Annotated[str, PathParam(max_length=16, examples=["A-023"])],
        counter: CounterNumber, reading: ReadingDep, who: Watcher,
        voice: Annotated[str, Query(max_length=16)] = DEFAULT_VOICE,
        speed: Annotated[int, Query(ge=MIN_SPEED, le=MAX_SPEED, description="words per minute")
                         ] = DEFAULT_SPEED,
    ) -> Response:
        """ "Turno A veintitrés, ventanilla tres" as a WAV (espeak-ng, generated once,
        cached). Only phrases built from a valid ticket number and a configured counter are
        spoken: no caller-supplied text ever reaches the speech program."""
        if not TICKET_NUMBER.match(ticket_number):
            raise Invalid("Número de turno inválido; use la forma A-023.")
        configured = reading.config.counter(counter)
        if configured is None:
            raise NotFound(f"La ventanilla {counter} no existe.")
        try:
            check_voice(voice, speed)
        except ValueError as e:
            raise Invalid(str(e)) from None
        text = announcement_text(ticket_number, configured.number, configured.name)
        try:
            path = await speech.wav(text, voice, speed)
        except SpeechUnavailable as e:  # the board then plays only the chime
            return JSONResponse({"detail": f"No se pudo generar la voz: {e}"}, status_code=503)
        return FileResponse(path, media_type="audio/wav",
                            headers={"Cache-Control": "private, max-age=86400",
                                     "X-Announcement-Text": _header_safe(text)})

    return router


def _header_safe(text: str) -> str:
    """HTTP headers are latin-1: keep the phrase readable for tests and debugging."""
    return text.encode("latin-1", errors="replace").decode("latin-1")
