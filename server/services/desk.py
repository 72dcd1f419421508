"""Calling and counters: call the next ticket (the priority policy chooses, and says why),
call one out of order, pause and resume, a clerk's counter opened at sign-in and closed at
sign-out, and what the clerk panel reads besides the live queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from server.auth import Principal, Role
from server.errors import AccessDenied, Conflict, Invalid, TicketInHand
from server.queue import lifecycle
from server.queue.labels import PAUSE_REASONS
from server.queue.model import Status, Ticket
from server.queue.no_show import refusal as no_show_refusal
from server.queue.policy import RULE_SPECIFIC, choose_next
from server.queue.stats_query import parse_day
from server.security import clerk_scope
from server.services.office import Office
from server.storage import CounterRow, ReadPool, Store, Tx

RULE_ALREADY_IN_HAND = "already_in_hand"
PREVIOUS_SERVED = "served"
PREVIOUS_NO_SHOW = "no_show"
PREVIOUS_CHOICES = (PREVIOUS_SERVED, PREVIOUS_NO_SHOW)


SETTLE_FINISH = "finish"
SETTLE_RETURN = "return"
SETTLE_NO_SHOW = "no_show"
SETTLE_CHOICES = (SETTLE_FINISH, SETTLE_RETURN, SETTLE_NO_SHOW)


def _check_previous(previous: str | None) -> None:
    if previous is not None and previous not in PREVIOUS_CHOICES:
        raise Invalid("previous debe ser «served» (se atendió) o «no_show» (no se presentó).")


@dataclass(frozen=True)
class CallResult:
    ticket: dict[str, Any] | None
    closed_previous: dict[str, Any] | None
    reason: dict[str, str] | None
    #: True when nothing was called because the counter already held a ticket the caller did
    #: not know about (a double click): ``ticket`` is that ticket, unchanged.
    repeated: bool = False


class _Unguarded:
    """``call_next(expected=...)`` default: the caller did not say what it believes is in hand."""


UNGUARDED = _Unguarded()


class Desk:
    def __init__(self, store: Store, reads: ReadPool, office: Office) -> None:
        self.store = store
        self.reads = reads
        self.office = office

    # ------------------------------------------------------------------ calling

    def _close_in_hand(self, tx: Tx, number: int, actor: Principal, now: float,
                       previous: str | None) -> dict[str, Any] | None:
        """Close the ticket a counter still holds before calling another one.

        A ticket in attention closes as served. A ticket only called is never closed as a
        side effect: the request must say ``previous`` ("served" or "no_show"), else
        ``TicketInHand`` names it, so the person walking to the counter is not marked
        absent by a click."""
        held = tx.in_hand(number)
        if held is None:
            return None
        if held.status == Status.CALLED and previous is None:
            raise TicketInHand(
                f"{held.number} fue llamado y no ha iniciado atención. Diga si se presentó "
                "(previous: served) o no (previous: no_show) antes de llamar otro turno.",
                {"id": held.id, "number": held.number, "status": str(held.status)})
        choice = SETTLE_NO_SHOW if held.status == Status.CALLED and \
            previous == PREVIOUS_NO_SHOW else SETTLE_FINISH
        closed = self._settle(tx, held, number, actor, choice, now,
                              "llamar siguiente con un turno en mano")
        return {"id": closed.id, "number": closed.number, "outcome": str(closed.outcome)}

    @staticmethod
    def _refuse_if_paused(row: CounterRow) -> None:
        if row.state == "paused":
            raise Conflict("La ventanilla está en pausa; reanude primero.")

    def _resume_if_needed(self, tx: Tx, row: CounterRow, actor: Principal, now: float) -> None:
        if row.state == "paused":
            row.state, row.pause_reason, row.since = "open", None, now
            tx.save_counter(row)
            tx.record("counter.changed", now,
                      {"counter": self.office.counter_view(tx, row.number)},
                      counter=row.number, actor=actor.name, actor_role=str(actor.role),
                      detail={"state": "open"})

    def _record_call(self, tx: Tx, t: Ticket, number: int, actor: Principal, now: float,
                     rule: str, reason: str) -> dict[str, Any]:
        row = tx.counter_row(number)
        row.preferential_streak = row.preferential_streak + 1 if t.preferential else 0
        tx.save_counter(row)
        view = self.office.view(t)
        tx.record("ticket.called", now,
                  {"ticket": view, "counter": self.office.counter_view(tx, number)},
                  ticket_id=t.id, counter=number, actor=actor.name,
                  actor_role=str(actor.role), detail={"rule": rule, "reason": reason})
        return view

    async def call_next(self, number: int, actor: Principal,
                        expected: str | None | _Unguarded = UNGUARDED,
                        previous: str | None = None) -> CallResult:
        """``expected`` is the id of the ticket the caller believes is in hand (None: nothing).
        If the counter holds a different ticket, that one is returned and nothing changes: a
        double click (or a stale screen) never closes a ticket unseen nor calls two.
        ``previous`` says how to close a ticket only called ("served" or "no_show")."""
        _check_previous(previous)
        office = self.office
        counter = office.counter_config(number)
        office.may_act_at(actor, number)

        def call_next(tx: Tx) -> CallResult:
            now = office.clock()
            if not isinstance(expected, _Unguarded):
                held = tx.in_hand(number)
                if held is not None and held.id != expected:
                    reason = f"{held.number} ya estaba en la ventanilla {number}; no se llamó otro."
                    return CallResult(office.view(held), None,
                                      {"rule": RULE_ALREADY_IN_HAND, "reason": reason},
                                      repeated=True)
            row = tx.counter_row(number)
            self._refuse_if_paused(row)
            closed = self._close_in_hand(tx, number, actor, now, previous)
            heads, general_waiting = tx.line_heads(counter.services)
            choice = choose_next(heads, counter, office.config.policy, now,
                                 row.preferential_streak, general_waiting)
            if choice is None:
                return CallResult(None, closed, None)
            t = lifecycle.call(choice.ticket, number, actor.name, now)
            tx.save_ticket(t)
            view = self._record_call(tx, t, number, actor, now, choice.rule, choice.reason)
            return CallResult(view, closed, {"rule": choice.rule, "reason": choice.reason})

        return await self.store.run(call_next)

    async def call_specific(self, number: int, ticket_id: str, actor: Principal,
                            previous: str | None = None) -> CallResult:
        _check_previous(previous)
        office = self.office
        counter = office.counter_config(number)
        office.may_act_at(actor, number)

        def call_one(tx: Tx) -> CallResult:
            now = office.clock()
            t = office.ticket(tx, ticket_id)
            if t.status != Status.WAITING:
                raise Conflict(f"El turno {t.number} no está en espera "
                               f"({lifecycle.describe_status(t.status)}).")
            if t.service not in counter.services:
                raise Conflict(f"La ventanilla {number} no atiende el servicio del turno "
                               f"{t.number}.")
            row = tx.counter_row(number)
            self._refuse_if_paused(row)
            closed = self._close_in_hand(tx, number, actor, now, previous)
            called = lifecycle.call(t, number, actor.name, now)
            tx.save_ticket(called)
            reason = f"Llamado fuera de orden por {actor.display_name} ({actor.name})."
            view = self._record_call(tx, called, number, actor, now, RULE_SPECIFIC, reason)
            return CallResult(view, closed, {"rule": RULE_SPECIFIC, "reason": reason})

        return await self.store.run(call_one)

    # ------------------------------------------------------------------ counters

    def open_counter(self, tx: Tx, number: int, actor: Principal, force: bool,
                     reason: str | None = None) -> list[int]:
        """Sign a clerk in at a counter (inside the sign-in transaction).

        One clerk per counter and one counter per clerk: taking over a counter (``force``)
        ends the sessions bound to it, and signing in elsewhere closes the clerk's previous
        counter. Returns the ids of the sessions ended, so token caches can drop them."""
        self.office.counter_config(number)
        now = self.office.clock()
        row = tx.counter_row(number)
        held_by_other = row.state != "closed" and row.clerk and \
            row.clerk.lower() != actor.name.lower()
        if held_by_other and not force:
            raise Conflict(
                f"La ventanilla {number} está ocupada por {row.clerk_name or row.clerk}. "
                "Elija otra o pida al supervisor que la libere."
            )
        if held_by_other and actor.role == Role.CLERK:  # taking over is a supervisor's act
            raise AccessDenied(
                f"La ventanilla {number} está ocupada por {row.clerk_name or row.clerk}. "
                "Solo un supervisor puede tomarla: pida al supervisor que la libere."
            )
        displaced = row.clerk if held_by_other else None
        ended = tx.revoke_counter_sessions(number, now)
        for previous in tx.counters_held_by(actor.name):
            if previous != number:
                ended += tx.revoke_counter_sessions(previous, now)
                self.close_counter(tx, previous, actor, SETTLE_RETURN,
                                   f"ingreso en la ventanilla {number}")
        row.state, row.clerk, row.clerk_name = "open", actor.name, actor.display_name
        row.pause_reason, row.since, row.preferential_streak = None, now, 0
        tx.save_counter(row)
        tx.record("counter.changed", now, {"counter": self.office.counter_view(tx, number)},
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"state": "open", "took_over_from": displaced, "reason": reason})
        return ended

    def settle_in_hand(self, tx: Tx, number: int, actor: Principal, choice: str | None,
                       why: str) -> None:
        """What happens to the ticket in hand when its counter closes: finished, returned
        to the line in its place, or marked absent. Without a choice the closing is refused
        (``TicketInHand``): a ticket is never left "serving" at a closed counter."""
        held = tx.in_hand(number)
        if held is None:
            return
        if choice is None:
            raise TicketInHand(
                f"Tiene el turno {held.number} en mano: finalícelo, devuélvalo a la fila o "
                "márquelo como ausente antes de cerrar.",
                {"id": held.id, "number": held.number, "status": str(held.status)})
        if choice not in SETTLE_CHOICES:
            raise Invalid("in_hand debe ser «finish», «return» o «no_show».")
        self._settle(tx, held, number, actor, choice, self.office.clock(), why)

    def _settle(self, tx: Tx, held: Ticket, number: int, actor: Principal, choice: str,
                now: float, why: str) -> Ticket:
        """Finish, return to the line or mark absent the ticket in hand (the grace rule
        applies to a no-show), with its audit record."""
        if choice == SETTLE_NO_SHOW:
            why_not = no_show_refusal(held, self.office.config.no_show, now)
            if why_not:
                raise Conflict(why_not)
        changes: dict[str, Callable[[Ticket], Ticket]] = {
            SETTLE_FINISH: lambda t: lifecycle.finish(t, now),
            SETTLE_RETURN: lifecycle.return_to_line,
            SETTLE_NO_SHOW: lambda t: lifecycle.no_show(t, now)}
        change = changes[choice]
        after = change(held)
        tx.save_ticket(after)
        kind = {SETTLE_FINISH: "ticket.finished", SETTLE_RETURN: "ticket.returned",
                SETTLE_NO_SHOW: "ticket.no_show"}[choice]
        tx.record(kind, now, {"ticket": self.office.waiting_view(tx, after), "counter": None},
                  ticket_id=after.id, counter=number, actor=actor.name,
                  actor_role=str(actor.role), detail={"why": why})
        return after

    def close_counter(self, tx: Tx, number: int, actor: Principal,
                      in_hand: str | None = SETTLE_RETURN, why: str = "cierre de sesión"
                      ) -> None:
        """Close a counter (sign-out, signing in elsewhere, a supervisor freeing it). Its
        ticket in hand is settled first (see ``settle_in_hand``); the automatic closings
        return it to the line."""
        now = self.office.clock()
        row = tx.counter_row(number)
        if row.clerk and row.clerk.lower() != actor.name.lower() and actor.role == Role.CLERK:
            return  # someone else took the counter over; leave it to them
        self.settle_in_hand(tx, number, actor, in_hand, why)
        freed_from = row.clerk if row.clerk and row.clerk.lower() != actor.name.lower() \
            else None
        row.state, row.clerk, row.clerk_name, row.pause_reason, row.since = (
            "closed", None, None, None, now)
        tx.save_counter(row)
        tx.record("counter.changed", now, {"counter": self.office.counter_view(tx, number)},
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"state": "closed", "why": why, "freed_from": freed_from})

    async def free_counter(self, number: int, actor: Principal) -> tuple[dict[str, Any],
                                                                         list[int]]:
        """A supervisor frees a counter: its clerk's sessions there end, its ticket in hand
        returns to the line in its place, and the counter closes. Returns the counter view
        and the sessions ended (so token caches drop them)."""
        office = self.office
        office.counter_config(number)

        def free(tx: Tx) -> tuple[dict[str, Any], list[int]]:
            now = office.clock()
            ended = tx.revoke_counter_sessions(number, now)
            self.close_counter(tx, number, actor, SETTLE_RETURN, "ventanilla liberada por "
                               f"{actor.display_name}")
            return office.counter_view(tx, number), ended

        return await self.store.run(free)

    async def pause(self, number: int, reason: str, actor: Principal) -> dict[str, Any]:
        office = self.office
        office.counter_config(number)
        office.may_act_at(actor, number)
        if reason not in PAUSE_REASONS:
            raise Invalid(f"Motivo de pausa desconocido; use uno de: {', '.join(PAUSE_REASONS)}.")

        def pause(tx: Tx) -> dict[str, Any]:
            now = office.clock()
            row = tx.counter_row(number)
            if row.state == "closed":
                raise Conflict(f"La ventanilla {number} está cerrada.")
            held = tx.in_hand(number)
            if held is not None:
                ask = (f"Finalice la atención de {held.number} antes de pausar."
                       if held.status == Status.SERVING else
                       f"{held.number} fue llamado: diga si se presentó antes de pausar.")
                raise TicketInHand(ask, {"id": held.id, "number": held.number,
                                         "status": str(held.status)})
            row.state, row.pause_reason, row.since = "paused", reason, now
            tx.save_counter(row)
            view = office.counter_view(tx, number)
            tx.record("counter.changed", now, {"counter": view}, counter=number,
                      actor=actor.name, actor_role=str(actor.role),
                      detail={"state": "paused", "reason": reason})
            return view

        return await self.store.run(pause)

    async def resume(self, number: int, actor: Principal) -> dict[str, Any]:
        office = self.office
        office.counter_config(number)
        office.may_act_at(actor, number)

        def resume(tx: Tx) -> dict[str, Any]:
            now = office.clock()
            row = tx.counter_row(number)
            if row.state != "paused":
                raise Conflict(f"La ventanilla {number} no está en pausa.")
            self._resume_if_needed(tx, row, actor, now)
            return office.counter_view(tx, number)

        return await self.store.run(resume)

    async def counter_state(self, number: int) -> dict[str, Any]:
        self.office.counter_config(number)
        return await self.reads.run(lambda r: self.office.counter_view(r, number))

    # ------------------------------------------------------------------ panel reads

    def public_counters(self) -> list[dict[str, Any]]:
        """What the sign-in form shows before anyone is signed in: counter numbers and names
        and the names of the services each serves. Nothing about people or tickets."""
        cfg = self.office.config
        out = []
        for c in cfg.counters:
            services = [s for code in c.services if (s := cfg.service(code)) is not None]
            out.append({"number": c.number, "name": c.name,
                        "services": [{"code": s.code, "name": s.name} for s in services]})
        return out

    async def tickets_on(self, status: str, day: str = "today",
                         counter: int | None = None, actor: Principal | None = None
                         ) -> list[dict[str, Any]]:
        """Tickets of one day in one status, newest first; with ``counter``, only of the
        services that counter serves (what its clerk may act on). A clerk lists only today's
        tickets of their own counter (server/security/clerk_scope.py)."""
        try:
            wanted = Status(status)
        except ValueError:
            names = ", ".join(str(s) for s in Status)
            raise Invalid(f"Estado desconocido {status!r}; use uno de: {names}.") from None
        the_day = self.office.today() if day == "today" else parse_day(day, "day").isoformat()
        if actor is not None and actor.role == Role.CLERK:
            refusal = clerk_scope.listing_refusal(the_day, self.office.today(), counter,
                                                  actor.counter)
            if refusal:
                raise AccessDenied(refusal)
            counter = actor.counter
        services: tuple[str, ...] | None = None
        if counter is not None:
            services = self.office.counter_config(counter).services
        return await self.reads.run(
            lambda r: [self.office.view(t) for t in r.tickets_of_day(the_day, wanted, services)])
