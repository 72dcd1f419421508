"""The satisfaction survey that closes the service cycle: rules only (no storage, no web).

One anonymous answer per ticket, only once the attention ended as served, within
``ANSWER_WINDOW_S`` of the end (a QR scanned days later says little about that visit).
The counter tablet shows the survey for the ticket finished last at its counter, for
``TABLET_WINDOW_S`` after it ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.errors import Conflict, Invalid
from server.queue.model import Status

RATINGS = {1: "Muy mala", 2: "Mala", 3: "Regular", 4: "Buena", 5: "Muy buena"}
#: One-tap reasons: what weighed most in the rating (good or bad). Codes are stored.
REASONS = {
    "tiempo_espera": "El tiempo de espera",
    "amabilidad": "La amabilidad del funcionario",
    "claridad": "La claridad de la información",
    "solucion": "La solución de mi trámite",
    "instalaciones": "Las instalaciones",
    "otro": "Otro motivo",
}
ANSWER_WINDOW_S = 48 * 3600
TABLET_WINDOW_S = 5 * 60

OPEN, ANSWERED, NOT_READY, CLOSED = "open", "answered", "not_ready", "closed"


@dataclass(frozen=True)
class SurveyTicket:
    """What the rules need to know about a ticket."""

    id: str
    number: str
    status: Status
    finished_at: float | None
    satisfaction: int | None
    counter: int | None = None


def state(t: SurveyTicket, now: float) -> str:
    if t.satisfaction is not None:
        return ANSWERED
    if t.status != Status.DONE or t.finished_at is None:
        return NOT_READY
    if now - t.finished_at > ANSWER_WINDOW_S:
        return CLOSED
    return OPEN


def check_answer(t: SurveyTicket, now: float, rating: Any, reason: Any) -> tuple[int, str | None]:
    """The (rating, reason) to store, or the refusal: Invalid for a bad answer (422),
    Conflict when the ticket cannot be rated now (409)."""
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise Invalid("La calificación debe ser un número de 1 a 5.")
    if reason is not None and reason not in REASONS:
        raise Invalid(f"Motivo desconocido; use uno de: {', '.join(REASONS)}.")
    s = state(t, now)
    if s == ANSWERED:
        raise Conflict(f"El turno {t.number} ya fue calificado. ¡Gracias!")
    if s == NOT_READY:
        raise Conflict(f"El turno {t.number} aún no ha terminado su atención.")
    if s == CLOSED:
        raise Conflict(f"La encuesta del turno {t.number} ya cerró.")
    return rating, reason


def tablet_candidate(latest: SurveyTicket | None, now: float) -> SurveyTicket | None:
    """The ticket the counter tablet should ask about: the one finished last at the counter,
    if it ended served within the last few minutes and nobody rated it yet. An older unrated
    ticket is never shown: that citizen has left."""
    if latest is None or latest.finished_at is None:
        return None
    if now - latest.finished_at > TABLET_WINDOW_S:
        return None
    return latest if state(latest, now) == OPEN else None


def public_choices() -> dict[str, Any]:
    return {
        "ratings": [{"value": v, "label": label} for v, label in RATINGS.items()],
        "reasons": [{"code": c, "label": label} for c, label in REASONS.items()],
    }
