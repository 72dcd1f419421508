"""A realistic past for an office: tickets of working days with arrival peaks at opening and
after lunch, a service-time spread per service, ~17 % preferential, ~5 % no-shows, some
transfers, cancellations and tickets left at closing, satisfaction answers that drop when the
wait ran long, and characterization answers when the office asks them.

Used by the benchmark (bench/generate_history.py) and by ``turnero demo --history-days N`` to
give the charts something to show. Pure and deterministic for a seed: it only yields rows
(HISTORY_COLUMNS); ``server/storage/bulk.py`` writes them.
"""

from __future__ import annotations

import base64
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from server.config import OfficeConfig
from server.queue.numbering import format_number
from server.queue.survey import REASONS
from server.storage.bulk import HistoryItem, insert_history

#: Relative weight of each weekday's volume (Monday busiest, as offices report).
WEEKDAY_LOAD = (1.2, 1.05, 1.0, 0.95, 0.8, 0.5, 0.3)
PREFERENTIAL_SHARE = 0.17
NO_SHOW_SHARE = 0.05
TRANSFER_SHARE = 0.03
CANCEL_SHARE = 0.01
NOT_ATTENDED_SHARE = 0.01
SURVEY_SHARE = 0.35
ANSWER_SHARE = 0.6


@dataclass(frozen=True)
class HistoryPlan:
    first_day: date
    last_day: date
    tickets_per_day: int = 1000
    seed: int = 2026
    #: usernames by counter number (default: "funcionario<n>")
    clerks: dict[int, str] | None = None
    #: answer the configured characterization questions even if the office disabled them
    characterization: bool | None = None


def working_days(cfg: OfficeConfig, first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        if cfg.hours.periods_on(day):
            yield day
        day += timedelta(days=1)


def _arrival_offsets(rng: random.Random, n: int, periods: Sequence[tuple[float, float]]
                     ) -> list[float]:
    """n arrival moments (seconds since local midnight): within each period the first hour
    gets twice the density of the rest — the line at the door at opening and after lunch."""
    pieces: list[tuple[float, float, float]] = []  # (start, end, weight)
    for start, end in periods:
        peak_end = min(start + 3600, end)
        pieces.append((start, peak_end, 2.0 * (peak_end - start)))
        if end > peak_end:
            pieces.append((peak_end, end, end - peak_end))
    weights = [w for _, _, w in pieces]
    chosen = rng.choices(pieces, weights=weights, k=n)
    return sorted(rng.uniform(a, b) for a, b, _ in chosen)


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(12)).decode()


def generate(cfg: OfficeConfig, plan: HistoryPlan) -> Iterator[HistoryItem]:
    """Yield (ticket row, characterization rows) for every ticket of the plan, in issue
    order. Characterization rows are (ticket_id, question, answer)."""
    rng = random.Random(plan.seed)
    tz = cfg.tz
    services = [s for s in cfg.services if s.active] or list(cfg.services)
    mix = [1.0 / (i + 1) for i in range(len(services))]  # first services are the busiest
    groups = [g.code for g in cfg.groups if g.enabled]
    group_weights = [3.0 if i == 0 else 1.0 for i in range(len(groups))]
    servers = {s.code: [c.number for c in cfg.counters if s.code in c.services]
               for s in services}
    clerks = plan.clerks or {c.number: f"funcionario{c.number}" for c in cfg.counters}
    questions = cfg.characterization.questions if (
        plan.characterization if plan.characterization is not None
        else cfg.characterization.enabled) else ()
    reasons = list(REASONS)
    for day in working_days(cfg, plan.first_day, plan.last_day):
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()
        periods = [(p.start.hour * 3600 + p.start.minute * 60,
                    p.end.hour * 3600 + p.end.minute * 60) for p in cfg.hours.periods_on(day)]
        n = max(1, int(plan.tickets_per_day * WEEKDAY_LOAD[day.weekday()]
                       * rng.uniform(0.85, 1.15)))
        seqs: dict[str, int] = {}
        weekday = day.weekday()
        day_text = day.isoformat()
        period_end = {p: e for p, e in periods}
        for offset in _arrival_offsets(rng, n, periods):
            svc = rng.choices(services, weights=mix)[0]
            seq = seqs[svc.code] = seqs.get(svc.code, 0) + 1
            issued = midnight + offset
            group = rng.choices(groups, weights=group_weights)[0] if groups and \
                rng.random() < PREFERENTIAL_SHARE else None
            closing = midnight + next((e for s, e in periods if s <= offset < e),
                                      max(period_end.values()))
            # Waits grow in the peak hour and are shorter for preferential tickets.
            in_peak = any(s <= offset < s + 3600 for s, _ in periods)
            mean_wait = svc.target_wait_min * 60 * (1.1 if in_peak else 0.55)
            if group:
                mean_wait *= 0.35
            # Nobody is called after closing time: the tail of the wait is cut there.
            wait = min(rng.lognormvariate(math.log(mean_wait) - 0.32, 0.8),
                       max(60.0, closing - issued))
            final_service = svc.code
            transfers = 0
            if rng.random() < TRANSFER_SHARE and len(services) > 1:
                final_service = rng.choice([s.code for s in services if s.code != svc.code])
                transfers = 1
            counter: int | None = rng.choice(servers.get(final_service)
                                             or [c.number for c in cfg.counters])
            r = rng.random()
            status, outcome = "done", "served"
            first_call = issued + wait
            called: float | None = first_call
            first_called: float | None = first_call
            started = finished = None
            calls = 1
            rating = reason = rated_at = None
            if r < CANCEL_SHARE:
                status = outcome = "cancelled"
                first_called = called = None
                finished = issued + rng.uniform(60, 900)
                counter = None
            elif r < CANCEL_SHARE + NOT_ATTENDED_SHARE:
                status = outcome = "not_attended"
                first_called = called = None
                finished = closing + 1800
                counter = None
            elif r < CANCEL_SHARE + NOT_ATTENDED_SHARE + NO_SHOW_SHARE:
                status = outcome = "no_show"
                calls = rng.choice((2, 2, 3))
                called = first_call + 60 * (calls - 1)
                finished = called + rng.uniform(60, 180)
            else:
                started = first_call + rng.uniform(20, 90)
                service_s = rng.lognormvariate(math.log(svc.default_service_min * 60) - 0.08,
                                               0.4)
                finished = started + service_s
                if transfers:
                    first_called = issued + wait * 0.6
                if rng.random() < SURVEY_SHARE:
                    late = wait > svc.target_wait_min * 60
                    weights = (12, 12, 16, 30, 30) if late else (3, 4, 10, 33, 50)
                    rating = rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
                    reason = rng.choice(reasons) if rng.random() < 0.6 else None
                    rated_at = finished + rng.uniform(10, 300)
            ticket_id = _token(rng)
            row = (
                ticket_id, format_number(svc.code, seq), svc.code, seq, day_text,
                final_service, group, status, outcome, issued, issued, first_called, called,
                started, finished, counter, clerks.get(counter) if counter else None, calls
                if called else 0, transfers, "quiosco-1", int(offset // 3600), weekday,
                "ok" if rng.random() > 0.002 else "failed: sin papel", rating, reason,
                rated_at,
            )
            chars = [
                (ticket_id, q.code, rng.choice(q.choices).code)
                for q in questions if rng.random() < ANSWER_SHARE
            ]
            yield row, chars


DEMO_TICKETS_PER_DAY = 250


def fill_demo_history(db: Path, cfg: OfficeConfig, days: int, today: date | None = None) -> int:
    """Tickets for the ``days`` days before today (today stays live), served by the demo
    clerks ventanilla1…; returns how many were written."""
    today = today or datetime.now(cfg.tz).date()
    clerks = {c.number: f"ventanilla{c.number}" for c in cfg.counters}
    plan = HistoryPlan(today - timedelta(days=days), today - timedelta(days=1),
                       DEMO_TICKETS_PER_DAY, seed=days, clerks=clerks)
    return insert_history(db, generate(cfg, plan))
