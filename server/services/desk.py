"""Calling and counters: call the next ticket (the priority policy chooses, and says why),
call one out of order, pause and resume, a clerk's counter opened at sign-in and closed at
sign-out, and what the clerk panel reads besides the live queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.auth import Principal, Role
from server.errors import AccessDenied, Conflict, Invalid
from server.queue import lifecycle
from server.queue.labels import PAUSE_REASONS
from server.queue.model import Status, Ticket
from server.queue.policy import RULE_SPECIFIC, choose_next
from server.queue.stats_query import parse_day
from server.security import clerk_scope
from server.services.office import Office
from server.storage import CounterRow, ReadPool, Store, Tx

RULE_ALREADY_IN_HAND = "already_in_hand"


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

    def _close_in_hand(self, tx: Tx, number: int, actor: Principal, now: float
                       ) -> dict[str, Any] | None:
        held = tx.in_hand(number)
        if held is None:
            return None
        closed = lifecycle.close_in_hand(held, now)
        tx.save_ticket(closed)
        kind = "ticket.finished" if closed.status == Status.DONE else "ticket.no_show"
        view = self.office.view(closed)
        tx.record(kind, now, {"ticket": view, "counter": None}, ticket_id=closed.id,
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"automatic": True, "why": "llamar siguiente con un turno en mano"})
        return {"id": closed.id, "number": closed.number, "outcome": str(closed.outcome)}

    def _resume_if_needed(self, tx: Tx, row: CounterRow, actor: Principal, now: float) -> None:
        if row.state == "paused":
            row.state, row.pause_reason, row.since = "open", None, now
            tx.save_counter(row)
            tx.record("counter.changed", now,
                      {"counter": self.office.counter_view(tx, row.number)},
                      counter=row.number, actor=actor.name, actor_role=str(actor.role),
                      detail={"state": "open", "automatic": True})

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
                        expected: str | None | _Unguarded = UNGUARDED) -> CallResult:
        """``expected`` is the id of the ticket the caller believes is in hand (None: nothing).
        If the counter holds a different ticket, that one is returned and nothing changes: a
        double click (or a stale screen) never closes a ticket unseen nor calls two."""
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
            self._resume_if_needed(tx, row, actor, now)
            closed = self._close_in_hand(tx, number, actor, now)
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

    async def call_specific(self, number: int, ticket_id: str, actor: Principal) -> CallResult:
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
            self._resume_if_needed(tx, row, actor, now)
            closed = self._close_in_hand(tx, number, actor, now)
            called = lifecycle.call(t, number, actor.name, now)
            tx.save_ticket(called)
            reason = f"Llamado fuera de orden por {actor.display_name} ({actor.name})."
            view = self._record_call(tx, called, number, actor, now, RULE_SPECIFIC, reason)
            return CallResult(view, closed, {"rule": RULE_SPECIFIC, "reason": reason})

        return await self.store.run(call_one)

    # ------------------------------------------------------------------ counters

    def open_counter(self, tx: Tx, number: int, actor: Principal, force: bool) -> list[int]:
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
        ended = tx.revoke_counter_sessions(number, now)
        for previous in tx.counters_held_by(actor.name):
            if previous != number:
                ended += tx.revoke_counter_sessions(previous, now)
                self.close_counter(tx, previous, actor)
        row.state, row.clerk, row.clerk_name = "open", actor.name, actor.display_name
        row.pause_reason, row.since, row.preferential_streak = None, now, 0
        tx.save_counter(row)
        tx.record("counter.changed", now, {"counter": self.office.counter_view(tx, number)},
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"state": "open", "took_over_from": row.clerk if held_by_other
                          else None})
        return ended

    def close_counter(self, tx: Tx, number: int, actor: Principal) -> None:
        """Close a counter at sign-out (inside the sign-out transaction)."""
        now = self.office.clock()
        row = tx.counter_row(number)
        if row.clerk and row.clerk.lower() != actor.name.lower() and actor.role == Role.CLERK:
            return  # someone else took the counter over; leave it to them
        row.state, row.clerk, row.clerk_name, row.pause_reason, row.since = (
            "closed", None, None, None, now)
        tx.save_counter(row)
        tx.record("counter.changed", now, {"counter": self.office.counter_view(tx, number)},
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"state": "closed"})

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
