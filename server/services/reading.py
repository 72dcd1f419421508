"""Reading and live views: one ticket, its audit trail, the queue overview, the office facts
a kiosk shows, the snapshot a live client gets on (re)connect, and the live public view of
the tickets citizens follow on their phones (``LiveTickets``).

Every read here runs on the read pool (a WAL reader beside the writer), so reads neither
block the event loop nor queue behind writes.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import asdict
from functools import partial
from typing import Any

from server.auth import Principal, Role
from server.config import OfficeConfig
from server.errors import AccessDenied, Invalid, NotFound
from server.events import EventHub
from server.queue.alerts import LineNow, queue_alerts
from server.queue.history_text import describe
from server.queue.model import Status, Ticket
from server.queue.public_address import qr_warning
from server.queue.stats_query import parse_day
from server.security import clerk_scope
from server.services.office import Office
from server.storage import AuditRecord, CounterRow, Reader, ReadPool
from server.views import counter_view, iso, public_ticket

log = logging.getLogger(__name__)

#: Phones hear of a change within this long: a busy minute's events are coalesced into a
#: few recomputations instead of one per ticket issued.
LIVE_INTERVAL_S = 0.25
#: Up to this many followed waiting tickets, each one's place is counted through the index;
#: beyond it the whole line is read once.
PLACES_BY_COUNT = 50
#: How far back the snapshot looks for recent calls (the board's history).
RECENT_CALLS_S = 12 * 3600
RECENT_CALLS = 20


class Reading:
    def __init__(self, reads: ReadPool, office: Office) -> None:
        self.reads = reads
        self.office = office

    @property
    def config(self) -> OfficeConfig:
        return self.office.config

    # ------------------------------------------------------------------ catalog

    def services(self) -> list[dict[str, Any]]:
        return [asdict(s) for s in self.office.config.services]

    def groups(self) -> list[dict[str, Any]]:
        return [asdict(g) for g in self.office.config.groups]

    def office_facts(self) -> dict[str, Any]:
        """Name, opening state, hours and ticket footer (what a kiosk shows and prints)."""
        cfg = self.office.config
        data = cfg.to_dict()
        return {
            "name": cfg.name,
            "timezone": cfg.timezone,
            "hours": data["hours"],
            "ticket_footer": cfg.printed_footer(),
            "board_message": cfg.board_message,
            "boards": data["boards"],
            "opening": self.office.opening_state(),
            "characterization": cfg.characterization.public(),
            "qr_warning": qr_warning(self.office.settings.public_url),
            "no_show_rule": {"min_calls_before_no_show": cfg.no_show.min_calls_before_no_show,
                             "no_show_after_s": cfg.no_show.no_show_after_s},
            "spoken_letters": dict(cfg.spoken_letters),
        }

    # ------------------------------------------------------------------ tickets

    def ticket_view(self, r: Reader, ticket_id: str) -> dict[str, Any]:
        """A ticket as staff see it, with people ahead and estimate while waiting."""
        return self.office.waiting_view(r, self.office.ticket(r, ticket_id))

    async def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        return await self.reads.run(lambda r: self.ticket_view(r, ticket_id))

    async def public_ticket(self, ticket_id: str) -> dict[str, Any]:
        """Only this ticket's public fields (the id is the capability: nothing about staff
        or other citizens)."""
        return public_ticket(await self.get_ticket(ticket_id))

    async def ticket_history(self, ticket_id: str, actor: Principal | None = None
                             ) -> list[dict[str, Any]]:
        """The ticket's audit trail, including why each call chose it. A clerk reads it only
        for today's tickets of their counter (server/security/clerk_scope.py)."""

        def history(r: Reader) -> list[dict[str, Any]]:
            t = self.office.ticket(r, ticket_id)
            records = r.audit_for_ticket(ticket_id)
            if actor is not None and actor.role == Role.CLERK:
                self._clerk_may_read(actor, t, records)
            tz = self.office.config.tz
            return [
                {"seq": a.seq, "at": iso(a.at, tz), "type": a.kind, "counter": a.counter,
                 "actor": a.actor, "actor_role": a.actor_role, "detail": a.detail}
                for a in records
            ]

        return await self.reads.run(history)

    async def ticket_audit(self, number: str, day: str) -> dict[str, Any]:
        """A ticket found by its printed number and day, with its whole history told in plain
        Spanish (who acted, where, and why each call chose it) for a supervisor."""
        office = self.office
        number = number.strip().upper()
        if not re.fullmatch(r"[A-Z]{1,8}-?\d{1,4}", number):
            raise Invalid("Escriba el número del turno como aparece en el papel, p. ej. A-006.")
        if "-" not in number:
            letters = number.rstrip("0123456789")
            number = f"{letters}-{int(number[len(letters):]):03d}"
        the_day = office.today() if day == "today" else parse_day(day, "day").isoformat()

        def read(r: Reader) -> dict[str, Any]:
            t = r.ticket_by_number(the_day, number)
            if t is None:
                raise NotFound(f"No hay un turno {number} el {the_day}.")
            cfg = office.config
            records = r.audit_for_ticket(t.id)
            actors = {a.actor for a in records if a.actor}
            names = {n: f"{u.display_name} ({u.username})" for n in actors
                     if (u := r.user_by_name(n)) is not None}

            def service_name(code: str) -> str:
                svc = cfg.service(code)
                return f"{code} · {svc.name}" if svc else code

            def group_name(code: str) -> str:
                group = cfg.group(code)
                return group.name if group else code

            story = [{"at": iso(a.at, cfg.tz), "type": a.kind,
                      "text": describe(a.kind, a.counter, a.actor, a.actor_role, a.detail,
                                       names, service_name, group_name)} for a in records]
            return {"ticket": office.waiting_view(r, t), "history": story}

        return await self.reads.run(read)

    def _clerk_may_read(self, actor: Principal, t: Ticket, records: list[AuditRecord]) -> None:
        cfg = self.office.config
        counter = cfg.counter(actor.counter) if actor.counter is not None else None
        if not clerk_scope.may_read_history(
                ticket_day=t.day, ticket_service=t.service,
                today=self.office.today(self.office.clock()), clerk=actor.name,
                own_counter=actor.counter, counter_services=counter.services if counter else (),
                touches=[clerk_scope.Touch(a.kind, a.actor, a.counter) for a in records]):
            raise AccessDenied(clerk_scope.NOT_YOURS.format(number=t.number))

    # ------------------------------------------------------------------ the queue

    def _overview(self, r: Reader, now: float) -> dict[str, Any]:
        office = self.office
        cfg = office.config
        lines = r.line_summary()

        def wait_min(oldest: float | None) -> float:
            return round((now - oldest) / 60, 1) if oldest is not None else 0

        services: list[dict[str, Any]] = []
        now_lines: dict[str, LineNow] = {}
        for s in cfg.services:
            count, pref, oldest = lines.get(s.code, (0, 0, None))
            now_lines[s.code] = LineNow(count, wait_min(oldest))
            services.append({
                "code": s.code, "name": s.name, "active": s.active,
                "target_wait_min": s.target_wait_min,
                "waiting": count, "preferential": pref, "general": count - pref,
                "longest_wait_min": wait_min(oldest),
                "over_target": bool(oldest is not None and now - oldest > s.target_wait_min * 60),
            })
        rows = r.counter_rows()
        counters = []
        for c in cfg.counters:
            held = r.in_hand(c.number)
            view = counter_view(rows.get(c.number, CounterRow(c.number)), cfg,
                                office.view(held) if held else None)
            mine = [lines[code] for code in c.services if code in lines]
            view["waiting"] = sum(m[0] for m in mine)
            view["waiting_preferential"] = sum(m[1] for m in mine)
            view["longest_wait_min"] = wait_min(min((m[2] for m in mine), default=None))
            counters.append(view)
        states = {c["number"]: c["state"] for c in counters}
        return {
            "at": iso(now, cfg.tz),
            "day": office.today(now),
            "opening": office.opening_state(now),
            "waiting_total": sum(m[0] for m in lines.values()),
            "services": services,
            "counters": counters,
            "alerts": queue_alerts(cfg.services, cfg.counters, states, now_lines),
        }

    async def queue_overview(self) -> dict[str, Any]:
        return await self.reads.run(lambda r: self._overview(r, self.office.clock()))

    async def counters(self) -> list[dict[str, Any]]:
        """Every counter with its state, ticket in hand and line (the overview's counters)."""
        overview = await self.queue_overview()
        counters: list[dict[str, Any]] = overview["counters"]
        return counters

    async def snapshot(self, include_waiting: bool = True) -> dict[str, Any]:
        """Everything a live client needs on (re)connect; events after ``seq`` follow.
        Boards do not need the waiting list (``include_waiting=False``)."""
        office = self.office

        def snap(r: Reader) -> dict[str, Any]:
            now = office.clock()
            cfg = office.config
            calls = r.audit_since(now - RECENT_CALLS_S, ("ticket.called", "ticket.recalled"),
                                  RECENT_CALLS)
            recent = []
            for rec in calls:
                t = r.ticket(rec.ticket_id or "")
                if t is not None:
                    recent.append({"seq": rec.seq, "type": rec.kind, "at": iso(rec.at, cfg.tz),
                                   "counter": rec.counter, "ticket": office.view(t)})
            return {
                "type": "snapshot",
                "seq": r.last_seq(),
                "office": {"name": cfg.name, "timezone": cfg.timezone,
                           "board_message": cfg.board_message},
                "queue": self._overview(r, now),
                "waiting": office.waiting_views(r, r.tickets_with_status(Status.WAITING),
                                                office.today(now))
                if include_waiting else [],
                "recent_calls": recent,
            }

        return await self.reads.run(snap)


def may_change_a_ticket(message: dict[str, Any]) -> bool:
    """Events after which a followed ticket's public view may differ: people ahead and the
    estimate move with ticket and counter changes. A general ticket just issued is not one:
    it joins the end of its line (nobody already waiting gets one more ahead) and changes no
    estimate, so the most frequent event of a busy morning costs the phones nothing."""
    kind = str(message.get("type", ""))
    if kind == "ticket.issued":
        return bool((message.get("ticket") or {}).get("preferential", True))
    return kind.startswith("ticket.") or kind in ("counter.changed", "config.changed")


#: Per ticket id: the inputs a public view was computed from, and the view.
Computed = dict[str, tuple[tuple[Any, ...], dict[str, Any]]]


class Follower:
    """One phone following one ticket: the newest public view computed for it (None once the
    ticket no longer exists) and the audit ``seq`` it reflects."""

    def __init__(self, ticket_id: str) -> None:
        self.ticket_id = ticket_id
        self.seq = -1
        self.view: dict[str, Any] | None = None
        self.changed = asyncio.Event()
        self.ended = False

    def offer(self, seq: int, view: dict[str, Any] | None) -> None:
        """Keep a newer view (older reads finishing late are ignored) and wake the socket."""
        if seq < self.seq:
            return
        self.seq = seq
        if view != self.view or view is None:
            self.view = view
            self.changed.set()

    def end(self) -> None:
        self.ended = True
        self.changed.set()


class LiveTickets:
    """The public views of every followed ticket, computed ONCE per change for all phones (in
    one read transaction: the line read once, one forecast of its waits), never once per
    connected socket; changes closer together than ``interval`` s are coalesced. ``run`` is
    started by the app's lifespan."""

    def __init__(self, reads: ReadPool, office: Office, hub: EventHub,
                 interval: float = LIVE_INTERVAL_S) -> None:
        self.reads = reads
        self.office = office
        self.hub = hub
        self.interval = interval
        self._followers: set[Follower] = set()
        #: The last views computed, with their inputs (only ever touched by ``run``).
        self._views: Computed = {}

    @property
    def count(self) -> int:
        return len(self._followers)

    def views(self, r: Reader, ticket_ids: set[str], previous: Computed | None = None
              ) -> tuple[int, Computed]:
        """(audit seq, (inputs, public view) per existing ticket id) from one consistent read.
        A view whose inputs (the ticket, its place in line, its estimate, the configuration)
        are those of ``previous`` is reused, not rebuilt."""
        previous = previous or {}
        office = self.office
        config = office.config
        seq = r.last_seq()
        tickets = r.tickets_by_id(ticket_ids)
        ahead: dict[str, int] = {}
        waits = None
        followed_waiting = [t for t in tickets.values() if t.status == Status.WAITING]
        if followed_waiting:
            ahead = self._places(r, followed_waiting)
            # The same estimate the ticket got when it was issued (the front of the line
            # simulated, the rest at its service's pace): the phone and the paper agree, and
            # a long line costs no more than a short one.
            waits = office.waits(r)
        out: Computed = {}
        for tid, t in tickets.items():
            place: int | None = None
            wait: dict[str, Any] = {}
            if waits is not None and t.status == Status.WAITING and tid in ahead:
                place = ahead[tid]
                wait = waits.fields(t, place)
            inputs = (t, place, tuple(wait.items()), id(config))
            known = previous.get(tid)
            if known is not None and known[0] == inputs:
                view = known[1]
            else:
                view = public_ticket(office.view(t, ahead=place, **wait)
                                     if place is not None else office.view(t))
            out[tid] = (inputs, view)
        return seq, out

    @staticmethod
    def _places(r: Reader, followed: list[Ticket]) -> dict[str, int]:
        """People ahead of each followed waiting ticket: one indexed count each for a few
        phones, one read of the whole line when many are following."""
        if len(followed) <= PLACES_BY_COUNT:
            return {t.id: r.count_ahead(t) for t in followed}
        lines: dict[str, list[Ticket]] = {}
        for t in r.tickets_with_status(Status.WAITING):
            lines.setdefault(t.service, []).append(t)
        ahead: dict[str, int] = {}
        for line in lines.values():
            line.sort(key=lambda t: (not t.preferential, t.line_key()))
            ahead.update((t.id, i) for i, t in enumerate(line))
        return ahead

    async def follow(self, ticket_id: str) -> Follower:
        """Start following (before the first view is read, so no change is missed); raises
        NotFound when the ticket does not exist."""
        follower = Follower(ticket_id)
        self._followers.add(follower)
        try:
            seq, views = await self.reads.run(lambda r: self.views(r, {ticket_id}))
            if ticket_id not in views:
                raise NotFound("Ese turno no existe.")
        except BaseException:
            self._followers.discard(follower)
            raise
        follower.offer(seq, views[ticket_id][1])
        follower.changed.clear()
        return follower

    def unfollow(self, follower: Follower) -> None:
        self._followers.discard(follower)

    async def run(self) -> None:
        """Recompute after every burst of relevant events, until cancelled."""
        sub = self.hub.subscribe(may_change_a_ticket)
        try:
            while True:
                item = await sub.queue.get()
                if item is None:  # the hub dropped us (a long burst): start afresh
                    sub = self.hub.subscribe(may_change_a_ticket)
                while not sub.queue.empty():  # coalesce a burst into one recomputation
                    if sub.queue.get_nowait() is None:
                        sub = self.hub.subscribe(may_change_a_ticket)
                followers = list(self._followers)
                if not followers:
                    continue
                started = asyncio.get_running_loop().time()
                ids = {f.ticket_id for f in followers}
                try:
                    seq, self._views = await self.reads.run(
                        partial(self.views, ticket_ids=ids, previous=self._views))
                except Exception:  # noqa: BLE001 - the phones keep their last view
                    # One failed read must not end this task: every phone would stop
                    # hearing of its ticket until the server restarts.
                    log.exception("recomputing the followed tickets failed")
                else:
                    for f in followers:
                        known = self._views.get(f.ticket_id)
                        f.offer(seq, known[1] if known else None)
                # Events meanwhile wait in the buffer and are coalesced on the next turn.
                rest = self.interval - (asyncio.get_running_loop().time() - started)
                if rest > 0:
                    await asyncio.sleep(rest)
        finally:
            self.hub.unsubscribe(sub)
            for f in list(self._followers):
                f.end()
