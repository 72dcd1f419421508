"""Reading and live views: one ticket, its audit trail, the queue overview, the office facts
a kiosk shows, the snapshot a live client gets on (re)connect, and the live public view of
the tickets citizens follow on their phones (``LiveTickets``).

Every read here runs on the read pool (a WAL reader beside the writer), so reads neither
block the event loop nor queue behind writes.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from server.config import OfficeConfig
from server.errors import Invalid, NotFound
from server.events import EventHub
from server.queue.alerts import LineNow, queue_alerts
from server.queue.history_text import describe
from server.queue.model import Status
from server.queue.stats_query import parse_day
from server.services.office import Office
from server.storage import CounterRow, Reader, ReadPool
from server.views import counter_view, iso, public_ticket

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
            "ticket_footer": list(cfg.ticket_footer),
            "board_message": cfg.board_message,
            "boards": data["boards"],
            "opening": self.office.opening_state(),
            "characterization": cfg.characterization.public(),
            "no_show_rule": {"min_calls_before_no_show": cfg.no_show.min_calls_before_no_show,
                             "no_show_after_s": cfg.no_show.no_show_after_s},
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

    async def ticket_history(self, ticket_id: str) -> list[dict[str, Any]]:
        """The ticket's audit trail, including why each call chose it."""

        def history(r: Reader) -> list[dict[str, Any]]:
            self.office.ticket(r, ticket_id)
            tz = self.office.config.tz
            return [
                {"seq": a.seq, "at": iso(a.at, tz), "type": a.kind, "counter": a.counter,
                 "actor": a.actor, "actor_role": a.actor_role, "detail": a.detail}
                for a in r.audit_for_ticket(ticket_id)
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

    # ------------------------------------------------------------------ the queue

    def _overview(self, r: Reader, now: float) -> dict[str, Any]:
        office = self.office
        cfg = office.config
        lines = r.line_summary()

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
        now_lines = {s["code"]: LineNow(s["waiting"], s["longest_wait_min"]) for s in services}
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
    """Events after which a followed ticket's public view may differ (people ahead and the
    estimate move with every ticket and counter change)."""
    kind = str(message.get("type", ""))
    return kind.startswith("ticket.") or kind in ("counter.changed", "config.changed")


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
    one read transaction: the line is read once, one estimate per service), never once per
    connected socket. ``run`` is started by the app's lifespan."""

    def __init__(self, reads: ReadPool, office: Office, hub: EventHub) -> None:
        self.reads = reads
        self.office = office
        self.hub = hub
        self._followers: set[Follower] = set()

    @property
    def count(self) -> int:
        return len(self._followers)

    def views(self, r: Reader, ticket_ids: set[str]) -> tuple[int, dict[str, dict[str, Any]]]:
        """(audit seq, public view per existing ticket id) from one consistent read."""
        office = self.office
        seq = r.last_seq()
        tickets = {tid: t for tid in ticket_ids if (t := r.ticket(tid)) is not None}
        ahead: dict[str, int] = {}
        if any(t.status == Status.WAITING for t in tickets.values()):
            lines: dict[str, list[Any]] = {}
            for t in r.tickets_with_status(Status.WAITING):
                lines.setdefault(t.service, []).append(t)
            for line in lines.values():
                line.sort(key=lambda t: (not t.preferential, t.line_key()))
                ahead.update((t.id, i) for i, t in enumerate(line))
        estimators: dict[tuple[str, str], Callable[[int], int]] = {}
        out: dict[str, dict[str, Any]] = {}
        for tid, t in tickets.items():
            if t.status == Status.WAITING and tid in ahead:
                key = (t.service, t.day)
                if key not in estimators:
                    estimators[key] = office.estimator(r, t.service, t.day)
                view = office.view(t, ahead=ahead[tid],
                                   estimated_wait_min=estimators[key](ahead[tid]))
            else:
                view = office.view(t)
            out[tid] = public_ticket(view)
        return seq, out

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
        follower.offer(seq, views[ticket_id])
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
                ids = {f.ticket_id for f in followers}
                seq, views = await self.reads.run(lambda r, ids=ids: self.views(r, ids))
                for f in followers:
                    f.offer(seq, views.get(f.ticket_id))
        finally:
            self.hub.unsubscribe(sub)
            for f in list(self._followers):
                f.end()
