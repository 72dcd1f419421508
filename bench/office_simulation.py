"""Days of an office whose waits come from a real line: citizens arrive (peaks at opening and
after lunch), clerks open their counters late or not at all, take breaks, sometimes click
through a ticket in seconds, and call with the real policy (``choose_next``); service times
drift from the configured defaults by service and hour. Unlike ``demo_history`` (whose waits
are drawn at random, for the charts), each wait here is what the line and the counters made
of it, so an estimator can be judged against it.

Yields rows in ``HISTORY_COLUMNS`` order for ``server.storage.bulk.insert_history``.
"""

from __future__ import annotations

import base64
import heapq
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from server.config import OfficeConfig
from server.queue.model import Status, Ticket
from server.queue.numbering import format_number
from server.queue.policy import choose_next
from server.services.demo_history import WEEKDAY_LOAD, working_days

PREFERENTIAL_SHARE = 0.17
NO_SHOW_SHARE = 0.05
QUICK_CLICK_SHARE = 0.04
ABSENT_SHARE = 0.08  # a counter nobody opens that day
BREAK_SHARE = 0.5  # a counter's clerk takes a break in a period


@dataclass
class _Desk:
    number: int
    services: tuple[str, ...]
    free_at: float
    closes_at: float
    break_at: float | None
    streak: int = 0


def simulate(cfg: OfficeConfig, first: date, last: date, per_day: int, seed: int
             ) -> Iterator[tuple[tuple, list[tuple]]]:
    rng = random.Random(seed)
    services = [s for s in cfg.services if s.active]
    mix = [1.0 / (i + 1) for i in range(len(services))]
    # How far each service's real time is from its configured default (offices guess).
    drift = {s.code: rng.uniform(0.6, 1.5) for s in services}
    groups = [g.code for g in cfg.groups if g.enabled]
    for day in working_days(cfg, first, last):
        midnight = datetime(day.year, day.month, day.day, tzinfo=cfg.tz).timestamp()
        periods = [(midnight + p.start.hour * 3600 + p.start.minute * 60,
                    midnight + p.end.hour * 3600 + p.end.minute * 60)
                   for p in cfg.hours.periods_on(day)]
        n = int(per_day * WEEKDAY_LOAD[day.weekday()] * rng.uniform(0.85, 1.15))
        arrivals: list[float] = []
        for start, end in periods:
            share = (end - start) / sum(e - s for s, e in periods)
            for _ in range(int(n * share)):
                peak = rng.random() < 0.45
                arrivals.append(rng.uniform(start, min(start + 3600, end)) if peak
                                else rng.uniform(start, end - 600))
        arrivals.sort()
        seqs: dict[str, int] = {}
        tickets: list[Ticket] = []
        for at in arrivals:
            svc = rng.choices(services, weights=mix)[0]
            seq = seqs[svc.code] = seqs.get(svc.code, 0) + 1
            group = rng.choice(groups) if groups and rng.random() < PREFERENTIAL_SHARE else None
            tickets.append(Ticket(
                id=base64.urlsafe_b64encode(rng.randbytes(12)).decode(),
                number=format_number(svc.code, seq), letter=svc.code, seq=seq,
                day=day.isoformat(), service=svc.code, group=group, status=Status.WAITING,
                issued_at=at, queued_at=at))
        yield from _run_day(cfg, rng, drift, periods, tickets, day)


def _service_s(rng: random.Random, cfg: OfficeConfig, drift: dict[str, float], code: str,
               hour: int) -> float:
    svc = cfg.service(code)
    base = (svc.default_service_min if svc else 5.0) * 60 * drift[code]
    base *= 1.15 if hour in (8, 14) else 1.0  # harder cases early in each period
    return rng.lognormvariate(math.log(base) - 0.08, 0.4)


def _run_day(cfg: OfficeConfig, rng: random.Random, drift: dict[str, float],
             periods: list[tuple[float, float]], tickets: list[Ticket], day: date
             ) -> Iterator[tuple[tuple, list[tuple]]]:
    midnight = datetime(day.year, day.month, day.day, tzinfo=cfg.tz).timestamp()
    by_issue = iter(tickets)
    pending = next(by_issue, None)
    waiting: list[Ticket] = []
    rows: list[tuple] = []
    for start, end in periods:
        desks: list[_Desk] = []
        for c in cfg.counters:
            if rng.random() < ABSENT_SHARE:
                continue
            opens = start + rng.expovariate(1 / 420)  # clerks arrive a few minutes late
            brk = rng.uniform(opens + 1800, end - 1800) if rng.random() < BREAK_SHARE \
                and end - opens > 4000 else None
            desks.append(_Desk(c.number, c.services, opens, end, brk))
        heap = [(d.free_at, i) for i, d in enumerate(desks)]
        heapq.heapify(heap)
        while heap:
            at, i = heapq.heappop(heap)
            desk = desks[i]
            while pending is not None and pending.issued_at <= at:
                waiting.append(pending)
                pending = next(by_issue, None)
            if at >= desk.closes_at:
                continue
            if desk.break_at is not None and at >= desk.break_at:
                desk.break_at = None
                heapq.heappush(heap, (at + rng.uniform(600, 1200), i))
                continue
            counter = cfg.counter(desk.number)
            assert counter is not None
            choice = choose_next(waiting, counter, cfg.policy, at, desk.streak)
            if choice is None:  # idle: look again when the next citizen arrives
                nxt = pending.issued_at if pending is not None else desk.closes_at
                heapq.heappush(heap, (max(nxt, at + 5), i))
                continue
            t = choice.ticket
            waiting.remove(t)
            desk.streak = desk.streak + 1 if t.preferential else 0
            r = rng.random()
            if r < NO_SHOW_SHARE:
                called, finished = at + 60, at + rng.uniform(60, 150)
                rows.append(_row(t, at, called, None, finished, desk.number, "no_show", 2,
                                 day, midnight))
            else:
                started = at + rng.uniform(20, 90)
                hour = datetime.fromtimestamp(at, cfg.tz).hour
                took = rng.uniform(2, 8) if r < NO_SHOW_SHARE + QUICK_CLICK_SHARE \
                    else _service_s(rng, cfg, drift, t.service, hour)
                finished = started + took
                rows.append(_row(t, at, at, started, finished, desk.number, "served", 1,
                                 day, midnight))
            heapq.heappush(heap, (finished, i))
    while pending is not None:
        waiting.append(pending)
        pending = next(by_issue, None)
    for t in waiting:  # the office closed before their turn
        rows.append(_row(t, None, None, None, periods[-1][1] + 1800, None, "not_attended", 0,
                         day, midnight))
    rows.sort(key=lambda row: row[9])
    for row in rows:
        yield row, []


def _row(t: Ticket, first_called: float | None, called: float | None, started: float | None,
         finished: float, counter: int | None, outcome: str, calls: int, day: date,
         midnight: float) -> tuple:
    status = "done" if outcome == "served" else outcome
    local_hour = int((t.issued_at - midnight) // 3600)
    return (t.id, t.number, t.letter, t.seq, t.day, t.service, t.group, status, outcome,
            t.issued_at, t.queued_at, first_called, called, started, finished, counter,
            f"funcionario{counter}" if counter else None, calls, 0, "quiosco-1", local_hour,
            day.weekday(), "ok", None, None, None)
