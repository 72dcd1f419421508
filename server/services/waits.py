"""Estimated waits of the whole line, read once: the facts the pure forecast needs (open
counters, their tickets in hand, the learned time per ticket of each service) gathered from
storage, then ``server.queue.estimate.forecast_waits`` run over them.

The learned times come from past days only, which do not change during the day, so they are
kept per (service, day, hour) and a ticket issue never re-reads weeks of history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.config import OfficeConfig
from server.queue.estimate import (
    HISTORY_DAYS,
    HOUR_BAND,
    MIN_SAMPLES,
    Attention,
    OpenCounter,
    forecast_waits,
    pause_left_s,
    remaining_s,
    typical_service_s,
    wait_minutes,
)
from server.queue.model import Ticket
from server.storage import Reader

NO_COUNTER_OPEN = "Aún no hay ventanillas abiertas para este servicio."
#: Waiting tickets simulated one by one when the whole line is not at hand (a ticket issue):
#: the front of the line in calling order. Tickets behind it are newer general tickets, which
#: never change when the ones in front are called; their wait is extrapolated from the
#: simulated pace of their service, so an issue stays fast however long the line grows.
HORIZON = 60


@dataclass(frozen=True)
class Waits:
    """The estimate of every waiting ticket at one moment."""

    minutes: dict[str, int | None]
    counters_open: dict[str, int]  # by service: counters with someone signed in
    closed_message: str | None  # "La oficina está cerrada. Abre …" outside opening hours
    #: Seconds per person ahead, by service, from the simulated pace (tickets past HORIZON).
    pace_s: dict[str, float] = field(default_factory=dict)

    def fields(self, t: Ticket, ahead: int = 0) -> dict[str, Any]:
        """The ticket view's wait fields (``estimated_wait_min``, ``counters_open`` and, when
        there is no estimate, ``wait_note`` saying why in plain Spanish). ``ahead`` (people
        ahead in its service) extrapolates a ticket behind the simulated front."""
        open_ = self.counters_open.get(t.service, 0)
        if t.id in self.minutes:
            minutes = self.minutes[t.id]
        else:
            pace = self.pace_s.get(t.service) if open_ else None
            minutes = None if pace is None else wait_minutes(ahead * pace)
        note = None
        if minutes is None:
            note = NO_COUNTER_OPEN if self.closed_message is None else \
                f"{NO_COUNTER_OPEN} {self.closed_message}"
        return {"estimated_wait_min": minutes, "counters_open": open_, "wait_note": note}


class WaitEstimates:
    """Builds ``Waits`` from a read transaction; one per server (holds the history cache)."""

    def __init__(self) -> None:
        self._typical: dict[tuple[str, str, int], float] = {}

    def typical_s(self, r: Reader, cfg: OfficeConfig, service: str, local: datetime) -> float:
        day = local.date().isoformat()
        key = (service, day, local.hour)
        if key not in self._typical:
            svc = cfg.service(service)
            default = (svc.default_service_min if svc else 5.0) * 60
            band = (local.hour - HOUR_BAND, local.hour + HOUR_BAND)
            rows = r.past_attentions(service, day, HISTORY_DAYS, band)
            if len(rows) < MIN_SAMPLES:
                rows = r.past_attentions(service, day, HISTORY_DAYS, None)
            if len(self._typical) > 1000:
                self._typical.clear()
            self._typical[key] = typical_service_s(
                (Attention(occ, srv) for occ, srv in rows), default)
        return self._typical[key]

    def forecast(self, r: Reader, cfg: OfficeConfig, now: float,
                 closed_message: str | None, waiting: list[Ticket] | None = None) -> Waits:
        rows = r.counter_rows(open_only=True)
        if not rows:
            # Nobody at any counter, so nobody can be called: every estimate is "none"
            # whatever the line holds, and a kiosk issuing before the clerks sign in reads
            # neither the line nor the learned times.
            return Waits({}, {s.code: 0 for s in cfg.services}, closed_message)
        local = datetime.fromtimestamp(now, cfg.tz)
        typical = {s.code: self.typical_s(r, cfg, s.code, local) for s in cfg.services}
        open_: list[OpenCounter] = []
        for c in cfg.counters:
            row = rows.get(c.number)
            if row is None:
                continue
            held = r.in_hand(c.number)
            free_in = remaining_s(held, typical.get(held.service, 300.0), now) if held else 0.0
            if row.state == "paused":
                free_in = max(free_in, pause_left_s(row.since, now))
            open_.append(OpenCounter(c, free_in, row.preferential_streak))
        line = [] if not open_ else r.line_front(HORIZON) if waiting is None else waiting
        seconds = forecast_waits(line, open_, typical, cfg.policy, now)
        counts = {s.code: sum(1 for oc in open_ if s.code in oc.counter.services)
                  for s in cfg.services}
        return Waits({tid: wait_minutes(s) for tid, s in seconds.items()}, counts,
                     closed_message, _pace(line, seconds, typical, counts))


def _pace(line: list[Ticket], seconds: dict[str, float | None], typical: dict[str, float],
          counts: dict[str, int]) -> dict[str, float]:
    """Seconds per ticket of each service as the simulation called them (the last call's
    time over the tickets of that service before it), or its typical time over its open
    counters when the front held none of it."""
    calls: dict[str, list[float]] = {}
    for t in line:
        at = seconds.get(t.id)
        if at is not None:
            calls.setdefault(t.service, []).append(at)
    pace = {code: typical[code] / n for code, n in counts.items() if n and code in typical}
    for code, times in calls.items():
        if len(times) > 1 and max(times) > 0:
            pace[code] = max(times) / (len(times) - 1)
    return pace
