"""Issuing and the ticket cycle: issue (idempotent per kiosk request), the print report, the
clerk's actions on one ticket (recall, start, finish, no-show, reactivate, cancel, transfer)
and the end of the day. Each use case is one write transaction; events follow the commit."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from server.auth import ALL_COUNTERS, Principal
from server.errors import AccessDenied, Conflict, Invalid, OfficeClosed
from server.queue import lifecycle
from server.queue.model import Status, Ticket
from server.queue.no_show import refusal as no_show_refusal
from server.queue.numbering import format_number
from server.security.survey_keys import SurveyKeys
from server.services.office import Office
from server.storage import Store, Tx


class Ticketing:
    def __init__(self, store: Store, office: Office, survey_keys: SurveyKeys) -> None:
        self.store = store
        self.office = office
        self.survey_keys = survey_keys

    # ------------------------------------------------------------------ issuing

    async def issue_ticket(self, service: str, group: str | None, actor: Principal,
                           characterization: dict[str, Any] | None = None,
                           request_id: str | None = None) -> dict[str, Any]:
        """Issue a ticket at a kiosk. ``request_id`` is the kiosk's idempotency key: when the
        answer to a first attempt was lost, the retry with the same key gets the same ticket
        back (field ``replayed``) instead of a second turn. ``status_url`` (the printed QR
        code) carries the survey key in its fragment: only this answer, the printed ticket
        and the counter's tablet have it (docs/security.md)."""
        ticket = await self._issue(service, group, actor, characterization, request_id, None)
        return {**ticket,
                "status_url": self.survey_keys.capability_url(ticket["status_url"], ticket["id"])}

    async def _issue(self, service: str, group: str | None, actor: Principal,
                     characterization: dict[str, Any] | None, request_id: str | None,
                     at_counter: int | None) -> dict[str, Any]:
        """One ticket into its line. ``at_counter``: a clerk issued it there for a citizen
        who did not use the kiosk (the audit log says so)."""
        office = self.office
        cfg = office.config
        answers = cfg.characterization.validate(characterization)
        svc = cfg.service(service)
        if svc is None:
            raise Invalid(f"El servicio {service!r} no existe.")
        if not svc.active:
            raise Conflict(f"El servicio «{svc.name}» no está disponible en este momento.")
        if group is not None:
            g = cfg.group(group)
            if g is None:
                raise Invalid(f"El grupo preferencial {group!r} no existe.")
            if not g.enabled:
                raise Invalid(f"El grupo «{g.name}» no está habilitado en esta oficina.")

        def issue(tx: Tx) -> dict[str, Any]:
            if request_id is not None:
                earlier = tx.ticket_for_request(actor.name, request_id)
                if earlier is not None:
                    if (earlier.letter, earlier.group) != (svc.code, group):
                        raise Conflict("Ese identificador de solicitud ya se usó para otro turno.")
                    return {**office.waiting_view(tx, earlier), "replayed": True}
            now = office.clock()
            local = office.local(now)
            state = office.opening_state(now)
            if not state["open"]:
                raise OfficeClosed(state["message"], state["next_opening"])
            day = local.date().isoformat()
            seq = tx.next_seq(day, svc.code)
            t = Ticket(
                id=secrets.token_urlsafe(12), number=format_number(svc.code, seq),
                letter=svc.code, seq=seq, day=day, service=svc.code, group=group,
                status=Status.WAITING, issued_at=now, queued_at=now, kiosk=actor.name,
            )
            tx.insert_ticket(t, hour=local.hour, weekday=local.weekday(), request_id=request_id)
            if answers:
                tx.save_characterization(t.id, answers)
            view = office.waiting_view(tx, t, at_back=True)
            tx.record("ticket.issued", now, {"ticket": view, "counter": None}, ticket_id=t.id,
                      counter=at_counter, actor=actor.name, actor_role=str(actor.role),
                      detail={"service": t.service, "group": t.group,
                              "issued_at_counter": at_counter})
            return {**view, "replayed": False}

        return await self.store.run(issue)

    async def issue_at_counter(self, number: int, service: str, group: str | None,
                               actor: Principal, request_id: str | None = None
                               ) -> dict[str, Any]:
        """A clerk issues a ticket at their counter for a citizen who cannot or will not use
        the kiosk; it takes its place in line like any other (same rules, same numbering).
        Its status URL has no survey key: the clerk must not be able to rate their own
        attention (the counter's tablet shows the survey)."""
        self.office.counter_config(number)
        self.office.may_act_at(actor, number)
        return await self._issue(service, group, actor, None, request_id, number)

    async def report_print(self, ticket_id: str, ok: bool, message: str, actor: Principal
                           ) -> dict[str, Any]:
        """A kiosk says whether the ticket printed; failures become supervisor alerts."""
        office = self.office

        def report(tx: Tx) -> dict[str, Any]:
            t = office.ticket(tx, ticket_id)
            if t.kiosk != actor.name and actor.role not in ALL_COUNTERS:
                raise AccessDenied("Ese turno no fue emitido por este quiosco.")
            now = office.clock()
            tx.set_print_status(t.id, "ok" if ok else f"failed: {message}"[:200])
            if not ok:
                tx.record("printer.failed", now,
                          {"ticket": office.view(t), "counter": None, "kiosk": actor.name,
                           "message": message},
                          ticket_id=t.id, actor=actor.name, actor_role=str(actor.role),
                          detail={"message": message})
            return {"ticket": t.id, "printed": ok}

        return await self.store.run(report)

    # ------------------------------------------------------------------ one ticket

    async def _ticket_action(
        self,
        ticket_id: str,
        actor: Principal,
        kind: str,
        change: Callable[[Ticket, float], Ticket],
        detail: Callable[[Ticket], dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        office = self.office

        def act(tx: Tx) -> dict[str, Any]:
            now = office.clock()
            before = office.ticket(tx, ticket_id)
            office.may_handle(actor, before)
            after = change(before, now)
            tx.save_ticket(after)
            view = office.waiting_view(tx, after)
            number = before.counter if before.counter is not None else after.counter
            counter = office.counter_view(tx, number) if number is not None else None
            tx.record(kind, now, {"ticket": view, "counter": counter}, ticket_id=after.id,
                      counter=number, actor=actor.name, actor_role=str(actor.role),
                      detail=detail(before) if detail else {})
            return view

        return await self.store.run(act)

    async def recall(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        return await self._ticket_action(ticket_id, actor, "ticket.recalled", lifecycle.recall)

    async def start(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        return await self._ticket_action(ticket_id, actor, "ticket.started", lifecycle.start)

    async def finish(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        return await self._ticket_action(ticket_id, actor, "ticket.finished", lifecycle.finish)

    async def no_show(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        rule = self.office.config.no_show

        def no_show(t: Ticket, now: float) -> Ticket:
            why_not = no_show_refusal(t, rule, now)
            if why_not:
                raise Conflict(why_not)
            return lifecycle.no_show(t, now)

        return await self._ticket_action(ticket_id, actor, "ticket.no_show", no_show)

    async def reactivate(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        return await self._ticket_action(ticket_id, actor, "ticket.reactivated",
                                         lambda t, _now: lifecycle.reactivate(t))

    async def cancel(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        return await self._ticket_action(ticket_id, actor, "ticket.cancelled", lifecycle.cancel)

    async def transfer(self, ticket_id: str, service: str, actor: Principal) -> dict[str, Any]:
        svc = self.office.config.service(service)
        if svc is None:
            raise Invalid(f"El servicio {service!r} no existe.")
        if not svc.active:
            raise Conflict(f"El servicio «{svc.name}» no está disponible.")
        return await self._ticket_action(
            ticket_id, actor, "ticket.transferred",
            lambda t, _now: lifecycle.transfer(t, svc.code),
            lambda before: {"from_service": before.service, "to_service": svc.code,
                            "from_counter": before.counter, "from_clerk": before.clerk},
        )

    # ------------------------------------------------------------------ end of day

    def _end_not_attended(self, tx: Tx, tickets: list[Ticket], actor: str, role: str,
                          why: str) -> int:
        now = self.office.clock()
        for t in tickets:
            closed = lifecycle.close_at_day_end(t, now)
            tx.save_ticket(closed)
            tx.record("ticket.not_attended", now,
                      {"ticket": self.office.view(closed), "counter": None},
                      ticket_id=t.id, actor=actor, actor_role=role, detail={"why": why})
        return len(tickets)

    async def close_stale_days(self) -> int:
        """Tickets left active on a past day end as 'not attended' (run at start and hourly)."""

        def close(tx: Tx) -> int:
            return self._end_not_attended(tx, tx.active_before_day(self.office.today()),
                                          "system", "system", "cierre del día")

        return await self.store.run(close)

    async def close_day_now(self, actor: Principal) -> int:
        """A supervisor ends the day: every waiting ticket of today ends as 'not attended'."""

        def close(tx: Tx) -> int:
            closed = self._end_not_attended(tx, tx.tickets_with_status(Status.WAITING),
                                            actor.name, str(actor.role),
                                            "cierre del día por supervisor")
            tx.record("day.closed", self.office.clock(), {"closed": closed}, actor=actor.name,
                      actor_role=str(actor.role), detail={"closed": closed})
            return closed

        return await self.store.run(close)
