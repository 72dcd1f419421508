"""Estimated waiting time: the line simulated forward over the counters actually open.

Method (documented, with its measured accuracy, in docs/estimated-wait.md):

1. **Time per ticket** of each service (``typical_service_s``): how long a counter is busy with
   one ticket of the service, from its call to its end (walking to the counter included, and
   no-shows, which also hold the counter), learned from the same service in the same hour band
   of the last working days. Attentions closed in a few seconds are clicks through, not
   service: they are dropped, and a trimmed mean keeps the few long outliers left from moving
   the figure. With too little history, the service's configured ``default_service_min``.
2. **The line, forward** (``forecast_waits``): every open counter becomes free when its ticket
   in hand is expected to end (``remaining_s``); then, again and again, the counter that frees
   first calls what the real policy (``choose_next``) would give it, and stays busy for that
   ticket's typical time. Counters shared between services, preferential rules, the ratio mode
   and the maximum wait all act as they do in the office, because it is the same rule.
3. A ticket whose service no open counter serves has no estimate (``None``): nobody knows when
   a counter will open, and a made-up number is worse than saying so.

Pure: no database, no clock; ``now`` and the facts are passed in.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Counter, PriorityPolicy, Status, Ticket
from .policy import choose_next

#: Attentions shorter than this (seconds, from start to end) are clicks through, not service.
QUICK_CLICK_S = 20.0
#: Share of samples cut at each end before averaging.
TRIM_SHARE = 0.1
#: Fewer samples than this: fall back to a wider band, then to the configured default.
MIN_SAMPLES = 8
#: Working days of history to learn from, and the hours either side of the current one.
HISTORY_DAYS = 20
HOUR_BAND = 1
#: A paused counter is assumed back after this long since its pause began (at least a minute).
PAUSE_S = 600.0
#: A ticket in hand already past its typical time still needs this share of it.
OVERRUN_SHARE = 1 / 3


@dataclass(frozen=True)
class Attention:
    """One past ticket as the estimate learns from it (seconds)."""

    occupied_s: float  # call → end: how long it held the counter
    served_s: float | None  # start → end; None for a no-show


def typical_service_s(history: Iterable[Attention], default_s: float) -> float:
    """Seconds a counter spends on one ticket: a trimmed mean of the occupancy of the past
    tickets, quick clicks dropped; ``default_s`` when there are fewer than ``MIN_SAMPLES``."""
    kept = sorted(a.occupied_s for a in history
                  if a.occupied_s >= 0 and (a.served_s is None or a.served_s >= QUICK_CLICK_S))
    if len(kept) < MIN_SAMPLES:
        return default_s
    cut = int(len(kept) * TRIM_SHARE)
    return statistics.fmean(kept[cut:len(kept) - cut])


@dataclass(frozen=True)
class OpenCounter:
    """A counter with someone at it, as the forecast needs it."""

    counter: Counter
    free_in_s: float = 0.0  # until its ticket in hand (or pause) is expected to end
    preferential_streak: int = 0


def remaining_s(in_hand: Ticket, typical_s: float, now: float) -> float:
    """Expected seconds until the ticket in hand frees the counter: its typical time minus
    what already went by since it was called, but never less than a third of it (an attention
    that runs long usually runs longer still)."""
    since = in_hand.called_at if in_hand.called_at is not None else now
    return max(typical_s - (now - since), typical_s * OVERRUN_SHARE)


def pause_left_s(paused_since: float | None, now: float) -> float:
    if paused_since is None:
        return PAUSE_S
    return max(PAUSE_S - (now - paused_since), 60.0)


def forecast_waits(
    waiting: Sequence[Ticket],
    counters: Sequence[OpenCounter],
    service_s: Mapping[str, float],
    policy: PriorityPolicy,
    now: float,
    default_s: float = 300.0,
) -> dict[str, float | None]:
    """Seconds from ``now`` until each waiting ticket is expected to be called (by id);
    ``None`` for a ticket no open counter serves."""
    line = [t for t in waiting if t.status == Status.WAITING]
    served = {code for oc in counters for code in oc.counter.services}
    out: dict[str, float | None] = {t.id: None for t in line if t.service not in served}
    # Per service and class, the tickets oldest first: choose_next only looks at the heads.
    queues: dict[tuple[str, bool], list[Ticket]] = {}
    for t in sorted((t for t in line if t.service in served), key=Ticket.line_key,
                    reverse=True):
        queues.setdefault((t.service, t.preferential), []).append(t)  # oldest at the end
    general_left = {code: sum(1 for t in line if t.service == code and not t.preferential)
                    for code in served}
    heap = [(max(0.0, oc.free_in_s), i) for i, oc in enumerate(counters)]
    heapq.heapify(heap)
    streaks = [oc.preferential_streak for oc in counters]
    pending = sum(len(q) for q in queues.values())
    while pending and heap:
        at, i = heapq.heappop(heap)
        counter = counters[i].counter
        heads = [q[-1] for code in counter.services for pref in (True, False)
                 if (q := queues.get((code, pref)))]
        if not heads:
            continue  # nothing left this counter can call: it drops out
        choice = choose_next(heads, counter, policy, now + at, streaks[i],
                             sum(general_left.get(c, 0) for c in counter.services))
        assert choice is not None
        t = choice.ticket
        queues[(t.service, t.preferential)].pop()
        pending -= 1
        if not t.preferential:
            general_left[t.service] -= 1
        streaks[i] = streaks[i] + 1 if t.preferential else 0
        out[t.id] = at
        heapq.heappush(heap, (at + service_s.get(t.service, default_s), i))
    return out


def wait_minutes(seconds: float | None) -> int | None:
    """Whole minutes as shown to a citizen (rounded up: a promise to keep, not to break)."""
    if seconds is None:
        return None
    return max(0, math.ceil(seconds / 60 - 1e-9))
