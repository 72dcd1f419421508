"""Satisfaction survey use cases: read a ticket's survey state, store an answer, find the
ticket the counter tablet should ask about. Writes go through the store's writer thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from server.config import OfficeConfig
from server.queue.model import Conflict, NotFound
from server.stats import survey
from server.storage import Store, Tx
from server.storage import feedback_queries as fq


class SurveyService:
    def __init__(self, store: Store, clock: Callable[[], float], config: OfficeConfig) -> None:
        self.store = store
        self.clock = clock
        self.config = config

    @staticmethod
    def _ticket(tx: Tx, ticket_id: str) -> survey.SurveyTicket:
        t = fq.survey_ticket(tx, ticket_id)
        if t is None:
            raise NotFound("Ese turno no existe.")
        return t

    def _view(self, t: survey.SurveyTicket) -> dict[str, Any]:
        return {"ticket": t.id, "number": t.number, "state": survey.state(t, self.clock()),
                **survey.public_choices()}

    async def status(self, ticket_id: str) -> dict[str, Any]:
        """open / answered / not_ready / closed, with the rating faces and reasons to show."""
        return await self.store.run(lambda tx: self._view(self._ticket(tx, ticket_id)))

    async def answer(self, ticket_id: str, rating: Any, reason: Any) -> dict[str, Any]:
        def save(tx: Tx) -> dict[str, Any]:
            now = self.clock()
            t = self._ticket(tx, ticket_id)
            value, why = survey.check_answer(t, now, rating, reason)
            if not fq.save_satisfaction(tx, t.id, value, why, now):
                raise Conflict(f"El turno {t.number} ya fue calificado. ¡Gracias!")
            return {"ticket": t.id, "number": t.number, "state": survey.ANSWERED,
                    "rating": value, "reason": why}

        return await self.store.run(save)

    async def for_counter(self, counter: int) -> dict[str, Any] | None:
        """The survey the counter tablet should show now, or None."""
        if self.config.counter(counter) is None:
            raise NotFound(f"La ventanilla {counter} no existe.")

        def find(tx: Tx) -> dict[str, Any] | None:
            now = self.clock()
            latest = fq.last_finished_at_counter(tx, counter, now - survey.TABLET_WINDOW_S)
            t = survey.tablet_candidate(latest, now)
            return self._view(t) if t else None

        return await self.store.run(find)
