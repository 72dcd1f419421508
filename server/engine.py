"""The service layer: each public method is one use case (issue a ticket, call the next one,
...). It reads the office configuration, asks the pure queue rules what to do, records the
result through the store in one transaction, and the store publishes the events after commit.

Routes call exactly one of these methods; the CLI and tests call them too.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.auth import ALL_COUNTERS, Principal, Role
from server.config import OfficeConfig, config_from_dict
from server.queue import lifecycle
from server.queue.estimate import SAMPLE, estimate_wait_minutes, mean_service_minutes
from server.queue.hours import describe_moment, is_open, next_opening
from server.queue.model import (
    Conflict,
    Counter,
    Invalid,
    NotFound,
    OfficeClosed,
    QueueError,
    Status,
    Ticket,
)
from server.queue.numbering import format_number
from server.queue.policy import RULE_SPECIFIC, choose_next
from server.security import clerk_scope
from server.storage import AuditRecord, CounterRow, Store, Tx
from server.storage.feedback_queries import save_characterization
from server.views import counter_view, iso, ticket_view

CONFIG_KEY = "office_config"
PAUSE_REASONS = {"break": "Descanso", "lunch": "Almuerzo", "other_task": "Otra tarea",
                 "other": "Otro motivo"}


class AccessDenied(QueueError):
    """The caller's role or counter does not allow this action."""


@dataclass(frozen=True)
class EngineSettings:
    public_url: str = "http://127.0.0.1:8000"
    open_all_hours: bool = False


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
RULE_ALREADY_IN_HAND = "already_in_hand"


class Engine:
    def __init__(
        self,
        store: Store,
        config: OfficeConfig,
        settings: EngineSettings,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.config = config
        self.settings = settings
        self.clock = clock
        self._publish: Callable[[list[dict[str, Any]]], None] | None = None
        store.on_commit(self._committed)

    # ------------------------------------------------------------------ setup

    @classmethod
    def load(cls, store: Store, seed: OfficeConfig, settings: EngineSettings,
              clock: Callable[[], float] = time.time) -> Engine:
        """Load the office configuration from the database, seeding it from ``seed`` (the TOML
        file) when the database is new. After that the database wins."""

        def load(tx: Tx) -> OfficeConfig:
            stored = tx.setting(CONFIG_KEY)
            if stored is None:
                tx.set_setting(CONFIG_KEY, seed.to_dict(), clock())
                cfg = seed
            else:
                cfg = config_from_dict(stored, source="base de datos")
            tx.ensure_counters([c.number for c in cfg.counters])
            return cfg

        return cls(store, store.run_sync(load), settings, clock)

    def on_events(self, publish: Callable[[list[dict[str, Any]]], None] | None) -> None:
        self._publish = publish

    def _committed(self, events: list[tuple[AuditRecord, dict[str, Any]]]) -> None:
        if self._publish is None:
            return
        tz = self.config.tz
        self._publish([
            {"type": rec.kind, "seq": rec.seq, "at": iso(rec.at, tz), **payload}
            for rec, payload in events
        ])

    # ------------------------------------------------------------------ views

    def _view(self, t: Ticket, **kw: Any) -> dict[str, Any]:
        return ticket_view(t, self.config, self.settings.public_url, **kw)

    def _waiting_view(self, tx: Tx, t: Ticket) -> dict[str, Any]:
        """A ticket with people ahead and estimated wait (only meaningful while waiting)."""
        if t.status != Status.WAITING:
            return self._view(t)
        ahead = tx.count_ahead(t)
        return self._view(t, ahead=ahead,
                          estimated_wait_min=self._estimator(tx, t.service, t.day)(ahead))

    def _waiting_views(self, tx: Tx, waiting: list[Ticket], day: str) -> list[dict[str, Any]]:
        """Views of a whole line, ranked in one pass per service (snapshots)."""
        by_service: dict[str, list[Ticket]] = {}
        for t in waiting:
            by_service.setdefault(t.service, []).append(t)
        views: list[dict[str, Any]] = []
        for service, line in by_service.items():
            estimate = self._estimator(tx, service, day)
            ranked = sorted(line, key=lambda t: (not t.preferential, t.line_key()))
            views += [self._view(t, ahead=i, estimated_wait_min=estimate(i))
                      for i, t in enumerate(ranked)]
        return sorted(views, key=lambda v: (v["queued_at"], v["number"]))

    def _estimator(self, tx: Tx, service_code: str, day: str) -> Callable[[int], int]:
        """Minutes of wait for a number of people ahead in one service (see estimate.py)."""
        cfg = self.config
        service = cfg.service(service_code)
        default = service.default_service_min if service else 5.0
        mean = mean_service_minutes(tx.recent_service_durations(service_code, day, SAMPLE),
                                    default)
        rows = tx.counter_rows()
        serving = [c for c in cfg.counters if service_code in c.services]
        open_ = [c for c in serving if rows.get(c.number, CounterRow(c.number)).state == "open"]
        counters = len(open_) or len(serving)
        return lambda ahead: estimate_wait_minutes(ahead, mean, counters)

    def _counter_view(self, tx: Tx, number: int) -> dict[str, Any]:
        held = tx.in_hand(number)
        return counter_view(tx.counter_row(number), self.config,
                            self._view(held) if held else None)

    # ------------------------------------------------------------------ checks

    def _local(self, now: float) -> datetime:
        return datetime.fromtimestamp(now, self.config.tz)

    def counter_config(self, number: int) -> Counter:
        """The configured counter, or NotFound in plain Spanish."""
        counter = self.config.counter(number)
        if counter is None:
            raise NotFound(f"La ventanilla {number} no existe.")
        return counter

    @staticmethod
    def _may_act_at(actor: Principal, number: int) -> None:
        if actor.role in ALL_COUNTERS:
            return
        if actor.role == Role.CLERK and actor.counter == number:
            return
        if actor.role == Role.CLERK:
            raise AccessDenied(
                f"Usted está en la ventanilla {actor.counter}; no puede actuar en la {number}."
            )
        raise AccessDenied("Su rol no permite esta acción.")

    def _ticket(self, tx: Tx, ticket_id: str) -> Ticket:
        t = tx.ticket(ticket_id)
        if t is None:
            raise NotFound("Ese turno no existe.")
        return t

    def _may_handle(self, actor: Principal, t: Ticket) -> None:
        """A clerk handles the ticket in hand at their counter, or a waiting/absent ticket of a
        service their counter serves."""
        if actor.role in ALL_COUNTERS:
            return
        if actor.role != Role.CLERK or actor.counter is None:
            raise AccessDenied("Su rol no permite esta acción.")
        if t.status in (Status.CALLED, Status.SERVING):
            if t.counter != actor.counter:
                raise AccessDenied(
                    f"El turno {t.number} está en la ventanilla {t.counter}, no en la suya."
                )
            return
        counter = self.config.counter(actor.counter)
        if counter is None or t.service not in counter.services:
            raise AccessDenied(f"Su ventanilla no atiende el servicio del turno {t.number}.")

    # ------------------------------------------------------------------ issuing

    def opening_state(self, now: float | None = None) -> dict[str, Any]:
        now = self.clock() if now is None else now
        local = self._local(now)
        open_now = self.settings.open_all_hours or is_open(self.config.hours, local)
        nxt = None if open_now else next_opening(self.config.hours, local)
        return {
            "open": open_now,
            "open_all_hours": self.settings.open_all_hours,
            "next_opening": nxt.isoformat() if nxt else None,
            "message": None if open_now else self._closed_message(local, nxt),
        }

    @staticmethod
    def _closed_message(local: datetime, nxt: datetime | None) -> str:
        if nxt is None:
            return "La oficina está cerrada."
        return f"La oficina está cerrada. Abre {describe_moment(nxt, local)}."

    async def issue_ticket(self, service: str, group: str | None, actor: Principal,
                           characterization: dict[str, Any] | None = None,
                           request_id: str | None = None) -> dict[str, Any]:
        """Issue a ticket. ``request_id`` is the kiosk's idempotency key: when the answer to a
        first attempt was lost, the retry with the same key gets the same ticket back (field
        ``replayed``) instead of a second turn."""
        cfg = self.config
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
                    return {**self._waiting_view(tx, earlier), "replayed": True}
            now = self.clock()
            local = self._local(now)
            state = self.opening_state(now)
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
                save_characterization(tx, t.id, answers)
            view = self._waiting_view(tx, t)
            tx.record("ticket.issued", now, {"ticket": view, "counter": None}, ticket_id=t.id,
                      actor=actor.name, actor_role=str(actor.role),
                      detail={"service": t.service, "group": t.group})
            return {**view, "replayed": False}

        return await self.store.run(issue)

    async def report_print(self, ticket_id: str, ok: bool, message: str, actor: Principal
                           ) -> dict[str, Any]:
        """A kiosk says whether the ticket printed; failures become supervisor alerts."""

        def report(tx: Tx) -> dict[str, Any]:
            t = self._ticket(tx, ticket_id)
            if t.kiosk != actor.name and actor.role not in ALL_COUNTERS:
                raise AccessDenied("Ese turno no fue emitido por este quiosco.")
            now = self.clock()
            tx.set_print_status(t.id, "ok" if ok else f"failed: {message}"[:200])
            if not ok:
                tx.record("printer.failed", now,
                          {"ticket": self._view(t), "counter": None, "kiosk": actor.name,
                           "message": message},
                          ticket_id=t.id, actor=actor.name, actor_role=str(actor.role),
                          detail={"message": message})
            return {"ticket": t.id, "printed": ok}

        return await self.store.run(report)

    # ------------------------------------------------------------------ reading

    async def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        return await self.store.run(lambda tx: self._waiting_view(tx, self._ticket(tx, ticket_id)))

    async def ticket_history(self, ticket_id: str, actor: Principal | None = None
                             ) -> list[dict[str, Any]]:
        """The ticket's audit trail, including why each call chose it. A clerk reads it only
        for today's tickets of their counter (server/security/clerk_scope.py)."""

        def history(tx: Tx) -> list[dict[str, Any]]:
            t = self._ticket(tx, ticket_id)
            records = tx.audit_for_ticket(ticket_id)
            if actor is not None and actor.role == Role.CLERK:
                self._clerk_may_read(actor, t, records)
            tz = self.config.tz
            return [
                {"seq": r.seq, "at": iso(r.at, tz), "type": r.kind, "counter": r.counter,
                 "actor": r.actor, "actor_role": r.actor_role, "detail": r.detail}
                for r in records
            ]

        return await self.store.run(history)

    def _clerk_may_read(self, actor: Principal, t: Ticket, records: list[AuditRecord]) -> None:
        counter = self.config.counter(actor.counter) if actor.counter is not None else None
        if not clerk_scope.may_read_history(
                ticket_day=t.day, ticket_service=t.service,
                today=self._local(self.clock()).date().isoformat(), clerk=actor.name,
                own_counter=actor.counter, counter_services=counter.services if counter else (),
                touches=[clerk_scope.Touch(r.kind, r.actor, r.counter) for r in records]):
            raise AccessDenied(clerk_scope.NOT_YOURS.format(number=t.number))

    def _overview(self, tx: Tx, now: float) -> dict[str, Any]:
        cfg = self.config
        lines = tx.line_summary()

        def wait_min(oldest: float | None) -> float:
            return round((now - oldest) / 60, 1) if oldest is not None else 0

        services = []
        for s in cfg.services:
            count, pref, oldest = lines.get(s.code, (0, 0, None))  # type: ignore[arg-type]
            services.append({
                "code": s.code, "name": s.name, "active": s.active,
                "target_wait_min": s.target_wait_min,
                "waiting": count, "preferential": pref, "general": count - pref,
                "longest_wait_min": wait_min(oldest),
                "over_target": bool(oldest is not None and now - oldest > s.target_wait_min * 60),
            })
        rows = tx.counter_rows()
        counters = []
        for c in cfg.counters:
            held = tx.in_hand(c.number)
            view = counter_view(rows.get(c.number, CounterRow(c.number)), cfg,
                                self._view(held) if held else None)
            mine = [lines[code] for code in c.services if code in lines]
            view["waiting"] = sum(m[0] for m in mine)
            view["waiting_preferential"] = sum(m[1] for m in mine)
            view["longest_wait_min"] = wait_min(min((m[2] for m in mine), default=None))
            counters.append(view)
        return {
            "at": iso(now, cfg.tz),
            "day": self._local(now).date().isoformat(),
            "opening": self.opening_state(now),
            "waiting_total": sum(m[0] for m in lines.values()),
            "services": services,
            "counters": counters,
        }

    async def queue_overview(self) -> dict[str, Any]:
        return await self.store.run(lambda tx: self._overview(tx, self.clock()))

    async def snapshot(self, include_waiting: bool = True) -> dict[str, Any]:
        """Everything a live client needs on (re)connect; events after ``seq`` follow.
        Boards do not need the waiting list (``include_waiting=False``)."""

        def snap(tx: Tx) -> dict[str, Any]:
            now = self.clock()
            cfg = self.config
            since = now - 12 * 3600
            calls = tx.audit_since(since, ("ticket.called", "ticket.recalled"), 20)
            recent = []
            for rec in calls:
                t = tx.ticket(rec.ticket_id or "")
                if t is not None:
                    recent.append({"seq": rec.seq, "type": rec.kind, "at": iso(rec.at, cfg.tz),
                                   "counter": rec.counter, "ticket": self._view(t)})
            return {
                "type": "snapshot",
                "seq": tx.last_seq(),
                "office": {"name": cfg.name, "timezone": cfg.timezone,
                           "board_message": cfg.board_message},
                "queue": self._overview(tx, now),
                "waiting": self._waiting_views(tx, tx.tickets_with_status(Status.WAITING),
                                               self._local(now).date().isoformat())
                if include_waiting else [],
                "recent_calls": recent,
            }

        return await self.store.run(snap)

    # ------------------------------------------------------------------ calling

    def _close_in_hand(self, tx: Tx, number: int, actor: Principal, now: float
                       ) -> dict[str, Any] | None:
        held = tx.in_hand(number)
        if held is None:
            return None
        closed = lifecycle.close_in_hand(held, now)
        tx.save_ticket(closed)
        kind = "ticket.finished" if closed.status == Status.DONE else "ticket.no_show"
        view = self._view(closed)
        tx.record(kind, now, {"ticket": view, "counter": None}, ticket_id=closed.id,
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"automatic": True, "why": "llamar siguiente con un turno en mano"})
        return {"id": closed.id, "number": closed.number, "outcome": str(closed.outcome)}

    def _resume_if_needed(self, tx: Tx, row: CounterRow, actor: Principal, now: float) -> None:
        if row.state == "paused":
            row.state, row.pause_reason, row.since = "open", None, now
            tx.save_counter(row)
            tx.record("counter.changed", now, {"counter": self._counter_view(tx, row.number)},
                      counter=row.number, actor=actor.name, actor_role=str(actor.role),
                      detail={"state": "open", "automatic": True})

    def _record_call(self, tx: Tx, t: Ticket, number: int, actor: Principal, now: float,
                     rule: str, reason: str) -> dict[str, Any]:
        row = tx.counter_row(number)
        row.preferential_streak = row.preferential_streak + 1 if t.preferential else 0
        tx.save_counter(row)
        view = self._view(t)
        tx.record("ticket.called", now,
                  {"ticket": view, "counter": self._counter_view(tx, number)},
                  ticket_id=t.id, counter=number, actor=actor.name,
                  actor_role=str(actor.role), detail={"rule": rule, "reason": reason})
        return view

    async def call_next(self, number: int, actor: Principal,
                        expected: str | None | _Unguarded = UNGUARDED) -> CallResult:
        """``expected`` is the id of the ticket the caller believes is in hand (None: nothing).
        If the counter holds a different ticket, that one is returned and nothing changes: a
        double click (or a stale screen) never closes a ticket unseen nor calls two."""
        counter = self.counter_config(number)
        self._may_act_at(actor, number)

        def call_next(tx: Tx) -> CallResult:
            now = self.clock()
            if not isinstance(expected, _Unguarded):
                held = tx.in_hand(number)
                if held is not None and held.id != expected:
                    reason = f"{held.number} ya estaba en la ventanilla {number}; no se llamó otro."
                    return CallResult(self._view(held), None,
                                      {"rule": RULE_ALREADY_IN_HAND, "reason": reason},
                                      repeated=True)
            row = tx.counter_row(number)
            self._resume_if_needed(tx, row, actor, now)
            closed = self._close_in_hand(tx, number, actor, now)
            heads, general_waiting = tx.line_heads(counter.services)
            choice = choose_next(heads, counter, self.config.policy, now,
                                 row.preferential_streak, general_waiting)
            if choice is None:
                return CallResult(None, closed, None)
            t = lifecycle.call(choice.ticket, number, actor.name, now)
            tx.save_ticket(t)
            view = self._record_call(tx, t, number, actor, now, choice.rule, choice.reason)
            return CallResult(view, closed, {"rule": choice.rule, "reason": choice.reason})

        return await self.store.run(call_next)

    async def call_specific(self, number: int, ticket_id: str, actor: Principal) -> CallResult:
        counter = self.counter_config(number)
        self._may_act_at(actor, number)

        def call_one(tx: Tx) -> CallResult:
            now = self.clock()
            t = self._ticket(tx, ticket_id)
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

    async def _ticket_action(
        self,
        ticket_id: str,
        actor: Principal,
        kind: str,
        change: Callable[[Ticket, float], Ticket],
        detail: Callable[[Ticket], dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        def act(tx: Tx) -> dict[str, Any]:
            now = self.clock()
            before = self._ticket(tx, ticket_id)
            self._may_handle(actor, before)
            after = change(before, now)
            tx.save_ticket(after)
            view = self._waiting_view(tx, after)
            number = before.counter if before.counter is not None else after.counter
            counter = self._counter_view(tx, number) if number is not None else None
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
        return await self._ticket_action(ticket_id, actor, "ticket.no_show", lifecycle.no_show)

    async def reactivate(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        return await self._ticket_action(ticket_id, actor, "ticket.reactivated",
                                         lambda t, _now: lifecycle.reactivate(t))

    async def cancel(self, ticket_id: str, actor: Principal) -> dict[str, Any]:
        return await self._ticket_action(ticket_id, actor, "ticket.cancelled", lifecycle.cancel)

    async def transfer(self, ticket_id: str, service: str, actor: Principal) -> dict[str, Any]:
        svc = self.config.service(service)
        if svc is None:
            raise Invalid(f"El servicio {service!r} no existe.")
        if not svc.active:
            raise Conflict(f"El servicio «{svc.name}» no está disponible.")
        return await self._ticket_action(
            ticket_id, actor, "ticket.transferred",
            lambda t, _now: lifecycle.transfer(t, svc.code),
            lambda before: {"from_service": before.service, "to_service": svc.code},
        )

    # ------------------------------------------------------------------ counters

    def open_counter_tx(self, tx: Tx, number: int, actor: Principal, force: bool) -> list[int]:
        """Sign a clerk in at a counter (inside the sign-in transaction).

        One clerk per counter and one counter per clerk: taking over a counter (``force``)
        ends the sessions bound to it, and signing in elsewhere closes the clerk's previous
        counter. Returns the ids of the sessions ended, so token caches can drop them."""
        self.counter_config(number)
        now = self.clock()
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
                self.close_counter_tx(tx, previous, actor)
        row.state, row.clerk, row.clerk_name = "open", actor.name, actor.display_name
        row.pause_reason, row.since, row.preferential_streak = None, now, 0
        tx.save_counter(row)
        tx.record("counter.changed", now, {"counter": self._counter_view(tx, number)},
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"state": "open", "took_over_from": row.clerk if held_by_other
                          else None})
        return ended

    def close_counter_tx(self, tx: Tx, number: int, actor: Principal) -> None:
        now = self.clock()
        row = tx.counter_row(number)
        if row.clerk and row.clerk.lower() != actor.name.lower() and actor.role == Role.CLERK:
            return  # someone else took the counter over; leave it to them
        row.state, row.clerk, row.clerk_name, row.pause_reason, row.since = (
            "closed", None, None, None, now)
        tx.save_counter(row)
        tx.record("counter.changed", now, {"counter": self._counter_view(tx, number)},
                  counter=number, actor=actor.name, actor_role=str(actor.role),
                  detail={"state": "closed"})

    async def pause(self, number: int, reason: str, actor: Principal) -> dict[str, Any]:
        self.counter_config(number)
        self._may_act_at(actor, number)
        if reason not in PAUSE_REASONS:
            raise Invalid(f"Motivo de pausa desconocido; use uno de: {', '.join(PAUSE_REASONS)}.")

        def pause(tx: Tx) -> dict[str, Any]:
            now = self.clock()
            row = tx.counter_row(number)
            if row.state == "closed":
                raise Conflict(f"La ventanilla {number} está cerrada.")
            row.state, row.pause_reason, row.since = "paused", reason, now
            tx.save_counter(row)
            view = self._counter_view(tx, number)
            tx.record("counter.changed", now, {"counter": view}, counter=number,
                      actor=actor.name, actor_role=str(actor.role),
                      detail={"state": "paused", "reason": reason})
            return view

        return await self.store.run(pause)

    async def resume(self, number: int, actor: Principal) -> dict[str, Any]:
        self.counter_config(number)
        self._may_act_at(actor, number)

        def resume(tx: Tx) -> dict[str, Any]:
            now = self.clock()
            row = tx.counter_row(number)
            if row.state != "paused":
                raise Conflict(f"La ventanilla {number} no está en pausa.")
            self._resume_if_needed(tx, row, actor, now)
            return self._counter_view(tx, number)

        return await self.store.run(resume)

    async def counter_state(self, number: int) -> dict[str, Any]:
        self.counter_config(number)
        return await self.store.run(lambda tx: self._counter_view(tx, number))

    # ------------------------------------------------------------------ closing

    def _end_not_attended(self, tx: Tx, tickets: list[Ticket], actor: str, role: str,
                          why: str) -> int:
        now = self.clock()
        for t in tickets:
            closed = lifecycle.close_at_day_end(t, now)
            tx.save_ticket(closed)
            tx.record("ticket.not_attended", now, {"ticket": self._view(closed), "counter": None},
                      ticket_id=t.id, actor=actor, actor_role=role, detail={"why": why})
        return len(tickets)

    async def close_stale_days(self) -> int:
        """Tickets left active on a past day end as 'not attended' (run at start and hourly)."""

        def close(tx: Tx) -> int:
            today = self._local(self.clock()).date().isoformat()
            return self._end_not_attended(tx, tx.active_before_day(today), "system", "system",
                                          "cierre del día")

        return await self.store.run(close)

    async def close_day_now(self, actor: Principal) -> int:
        """A supervisor ends the day: every waiting ticket of today ends as 'not attended'."""

        def close(tx: Tx) -> int:
            return self._end_not_attended(tx, tx.tickets_with_status(Status.WAITING), actor.name,
                                          str(actor.role), "cierre del día por supervisor")

        return await self.store.run(close)

    # ------------------------------------------------------------------ configuration

    async def replace_config(self, new: OfficeConfig, actor: Principal,
                             check: Callable[[Tx], None] | None = None) -> None:
        """Store a validated configuration and use it from the next request on. ``check`` runs
        in the same transaction first and may refuse (e.g. a removed service still has tickets
        waiting), so nothing slips in between the check and the change."""

        def save(tx: Tx) -> None:
            if check is not None:
                check(tx)
            now = self.clock()
            tx.set_setting(CONFIG_KEY, new.to_dict(), now)
            tx.ensure_counters([c.number for c in new.counters])
            tx.record("config.changed", now, {"office": {"name": new.name}}, actor=actor.name,
                      actor_role=str(actor.role), detail={})

        await self.store.run(save)
        self.config = new

