"""Satisfaction survey use cases: read a ticket's survey state (the phone and the counter
tablet poll it: read pool), store an answer (writer), find the ticket the counter tablet
should ask about."""

from __future__ import annotations

from typing import Any

from server.auth import Principal, Role
from server.errors import AccessDenied, Conflict, NotFound, OtherCounter
from server.queue import survey
from server.security.survey_keys import SurveyKeys
from server.services.office import Office
from server.storage import Reader, ReadPool, Store, Tx

NO_KEY = ("Esta encuesta solo la puede responder el ciudadano, con el código QR de su turno, "
          "o la tableta de la ventanilla al terminar la atención.")


class Surveys:
    def __init__(self, store: Store, reads: ReadPool, office: Office, keys: SurveyKeys
                 ) -> None:
        self.store = store
        self.reads = reads
        self.office = office
        self.keys = keys

    @staticmethod
    def _ticket(r: Reader, ticket_id: str) -> survey.SurveyTicket:
        t = r.survey_ticket(ticket_id)
        if t is None:
            raise NotFound("Ese turno no existe.")
        return t

    def _view(self, t: survey.SurveyTicket) -> dict[str, Any]:
        return {"ticket": t.id, "number": t.number,
                "state": survey.state(t, self.office.clock()), **survey.public_choices()}

    async def status(self, ticket_id: str) -> dict[str, Any]:
        """open / answered / not_ready / closed, with the rating faces and reasons to show."""
        return await self.reads.run(lambda r: self._view(self._ticket(r, ticket_id)))

    async def answer(self, ticket_id: str, key: str | None, rating: Any, reason: Any
                     ) -> dict[str, Any]:
        """Only with the ticket's survey key (its QR code, or the counter tablet's): a clerk
        must not rate their own attentions."""
        if not self.keys.valid(ticket_id, key):
            raise AccessDenied(NO_KEY)

        def save(tx: Tx) -> dict[str, Any]:
            now = self.office.clock()
            t = self._ticket(tx, ticket_id)
            value, why = survey.check_answer(t, now, rating, reason)
            if not tx.save_satisfaction(t.id, value, why, now):
                raise Conflict(f"El turno {t.number} ya fue calificado. ¡Gracias!")
            return {"ticket": t.id, "number": t.number, "state": survey.ANSWERED,
                    "rating": value, "reason": why}

        return await self.store.run(save)

    async def for_counter(self, counter: int, who: Principal) -> dict[str, Any] | None:
        """The survey the counter tablet should show now, or None. A tablet whose token names
        its counter gets that counter's survey only; the tablet itself also gets the survey
        ``key`` to answer it (a supervisor testing the tablet cannot answer)."""
        if self.office.config.counter(counter) is None:
            raise NotFound(f"La ventanilla {counter} no existe.")
        if who.role == Role.SURVEY and who.counters and counter not in who.counters:
            own = min(who.counters)
            raise OtherCounter(f"Esta tableta de encuesta es de la ventanilla {own}.", own)

        def find(r: Reader) -> dict[str, Any] | None:
            now = self.office.clock()
            latest = r.last_finished_at_counter(counter, now - survey.TABLET_WINDOW_S)
            t = survey.tablet_candidate(latest, now)
            return self._view(t) if t else None

        found = await self.reads.run(find)
        if found is not None and who.role == Role.SURVEY:
            found["key"] = self.keys.key_for(found["ticket"])
        return found
