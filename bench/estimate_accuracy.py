"""How honest is the printed wait? Replays past days ticket by ticket: at each ticket's issue
time, the estimate the kiosk would have printed (the line, the counters at work and the ticket
each had in hand rebuilt from the records) against the wait that ticket really had (issue →
first call). Today's method and the new one, side by side.

    python bench/estimate_accuracy.py                       # simulated office, 60 working days
    python bench/estimate_accuracy.py --db turnero.db       # a real (or generated) database

Without ``--db`` the history comes from ``bench/office_simulation.py``: waits made by a real
line and real counters, so there is something true to predict. A counter counts as open at a
moment when it had a ticket in hand or ended one in the previous ``IDLE_OPEN_S`` seconds (the
records hold no sign-in history; this is what the live server knows from its counter rows).
"""

from __future__ import annotations

import argparse
import math
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.office_simulation import simulate  # noqa: E402
from server.config import DEMO_CONFIG, OfficeConfig, load_config  # noqa: E402
from server.queue.estimate import (  # noqa: E402
    OpenCounter,
    forecast_waits,
    remaining_s,
    wait_minutes,
)
from server.queue.model import Outcome, Status, Ticket  # noqa: E402
from server.queue.policy import rank_in_line  # noqa: E402
from server.services.waits import WaitEstimates  # noqa: E402
from server.storage import Reader, Store  # noqa: E402
from server.storage.bulk import insert_history  # noqa: E402
from server.storage.rows import ticket_from_row  # noqa: E402

IDLE_OPEN_S = 600.0
#: Today's method, as it was: mean of the last 20 attentions finished today (3 at least).
OLD_SAMPLE, OLD_MIN_SAMPLES = 20, 3


@dataclass
class Scores:
    errors: list[float] = field(default_factory=list)
    within_5: int = 0
    optimistic: int = 0

    def add(self, estimate: int, real_min: float) -> None:
        self.errors.append(abs(real_min - estimate))
        self.within_5 += abs(real_min - estimate) <= 5
        self.optimistic += real_min > 2 * estimate + 5

    def line(self, name: str) -> str:
        n = len(self.errors) or 1
        return (f"{name:<26} {statistics.median(self.errors or [0]):>9.1f} "
                f"{100 * self.within_5 / n:>11.0f} % {100 * self.optimistic / n:>13.0f} %")


def old_estimate(t: Ticket, waiting: Sequence[Ticket], day: Sequence[Ticket],
                 open_numbers: set[int], cfg: OfficeConfig, now: float) -> int:
    """ceil(ahead × mean of today's attentions ÷ open counters serving the service)."""
    svc = cfg.service(t.service)
    done = sorted((u for u in day if u.service == t.service and u.outcome == Outcome.SERVED
                   and u.started_at is not None and u.finished_at is not None
                   and u.finished_at <= now), key=lambda u: u.finished_at or 0)[-OLD_SAMPLE:]
    mean = (svc.default_service_min if svc else 5.0) if len(done) < OLD_MIN_SAMPLES else \
        statistics.fmean((u.finished_at or 0) - (u.started_at or 0) for u in done) / 60
    serving = [c for c in cfg.counters if t.service in c.services]
    counters = len([c for c in serving if c.number in open_numbers]) or len(serving)
    ahead = rank_in_line(t, waiting)
    return 0 if ahead <= 0 else math.ceil(ahead * mean / max(1, counters))


def replay_day(r: Reader, cfg: OfficeConfig, estimates: WaitEstimates, tickets: list[Ticket],
               old: Scores, new: Scores, old_same: Scores, unknown: list[float]) -> None:
    for t in tickets:
        if t.first_called_at is None or t.outcome in (Outcome.CANCELLED, Outcome.NOT_ATTENDED):
            continue
        now = t.issued_at
        waiting = [replace(u, status=Status.WAITING) for u in tickets
                   if u.issued_at <= now and (u.first_called_at is None
                                              or u.first_called_at > now)
                   and not (u.first_called_at is None and (u.finished_at or math.inf) <= now)]
        in_hand: dict[int, Ticket] = {}
        recent: set[int] = set()
        for u in tickets:
            if u.counter is None or u.first_called_at is None or u.first_called_at > now:
                continue
            if (u.finished_at or math.inf) > now:
                in_hand[u.counter] = replace(u, called_at=u.first_called_at)
            elif now - (u.finished_at or 0) <= IDLE_OPEN_S:
                recent.add(u.counter)
        open_numbers = set(in_hand) | recent
        local = datetime.fromtimestamp(now, cfg.tz)
        typical = {s.code: estimates.typical_s(r, cfg, s.code, local) for s in cfg.services}
        counters = [OpenCounter(c, remaining_s(in_hand[c.number], typical[in_hand[c.number]
                                                                          .service], now)
                                if c.number in in_hand else 0.0)
                    for c in cfg.counters if c.number in open_numbers]
        real_min = (t.first_called_at - now) / 60
        forecast = wait_minutes(forecast_waits(waiting, counters, typical, cfg.policy,
                                               now).get(t.id))
        before = old_estimate(t, waiting, tickets, open_numbers, cfg, now)
        old.add(before, real_min)
        if forecast is None:
            unknown.append(real_min)
            continue
        new.add(forecast, real_min)
        old_same.add(before, real_min)


def simulated_db(cfg: OfficeConfig, days: int, per_day: int, seed: int, last: date,
                 folder: Path) -> Path:
    db = folder / "simulated.db"
    Store.open(db).close()
    first = last - timedelta(days=round(days * 7 / 5) + 14)
    insert_history(db, simulate(cfg, first, last, per_day, seed))
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a Turnero database (default: simulate one)")
    parser.add_argument("--config", type=Path, default=DEMO_CONFIG)
    parser.add_argument("--days", type=int, default=20, help="last working days replayed")
    parser.add_argument("--history-days", type=int, default=60,
                        help="working days simulated (without --db)")
    parser.add_argument("--per-day", type=int, default=350, help="tickets a day (simulated)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--last-day", type=date.fromisoformat, default=date(2026, 11, 30),
                        help="last simulated day (fixed, so the figures repeat)")
    args = parser.parse_args()
    cfg = load_config(args.config)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or simulated_db(cfg, args.history_days, args.per_day, args.seed,
                                     args.last_day, Path(tmp))
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        r = Reader(conn)
        days = [row[0] for row in conn.execute(
            "SELECT DISTINCT day FROM tickets ORDER BY day DESC LIMIT ?", (args.days,))]
        old, new, old_same, unknown = Scores(), Scores(), Scores(), []
        estimates = WaitEstimates()
        for day in sorted(days):
            rows = conn.execute("SELECT * FROM tickets WHERE day = ? ORDER BY issued_at",
                                (day,)).fetchall()
            replay_day(r, cfg, estimates, [ticket_from_row(row) for row in rows], old, new,
                       old_same, unknown)
        conn.close()
    took = time.perf_counter() - started
    source = args.db or (f"simulated office, {args.history_days} working days, "
                         f"~{args.per_day} tickets/day, seed {args.seed}, up to {args.last_day}")
    print(f"source: {source}; replayed the last {len(days)} days, {len(old.errors)} tickets "
          f"({took:.0f} s)")
    print(f"{'method':<26} {'median |err| min':>9} {'within ±5 min':>13} "
          f"{'much too optimistic':>15}")
    print(old.line("today (all tickets)"))
    print(old_same.line("today (same tickets)"))
    print(new.line("new"))
    share = 100 * len(unknown) / (len(old.errors) or 1)
    median_unknown = statistics.median(unknown) if unknown else 0.0
    print(f"new: no estimate ('no open counter') for {share:.1f} % of tickets; they really "
          f"waited a median of {median_unknown:.0f} min")
    ratio = (statistics.median(old_same.errors) / statistics.median(new.errors)
             if new.errors and statistics.median(new.errors) else math.inf)
    print(f"median absolute error: new is {ratio:.1f}× smaller than today's")
    print(forecast_cost(cfg))
    return 0


def forecast_cost(cfg: OfficeConfig, waiting: int = 300, rounds: int = 50) -> str:
    """What one forecast of a long line costs (it runs on every ticket issue and read)."""
    line = [Ticket(id=f"t{i}", number=f"{s.code}-{i:03d}", letter=s.code, seq=i, day="d",
                   service=s.code, group="AM" if i % 6 == 0 else None,
                   status=Status.WAITING, issued_at=float(i), queued_at=float(i))
            for i in range(waiting) for s in [cfg.services[i % len(cfg.services)]]]
    counters = [OpenCounter(c, 60.0 * c.number) for c in cfg.counters]
    typical = {s.code: s.default_service_min * 60 for s in cfg.services}
    started = time.perf_counter()
    for _ in range(rounds):
        forecast_waits(line, counters, typical, cfg.policy, now=float(waiting))
    each = (time.perf_counter() - started) / rounds * 1000
    return (f"one forecast of {waiting} waiting tickets over {len(counters)} counters: "
            f"{each:.1f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
