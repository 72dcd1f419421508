"""Indicator arithmetic over plain values: counts, waiting and service-time distributions,
share within target, satisfaction. No SQL, no web: the storage layer hands rows in, the API
turns the results into JSON.

Percentiles use LINEAR INTERPOLATION between closest ranks (numpy's default "linear", Excel's
PERCENTIL.INC / PERCENTILE.INC, R type 7): for n sorted values x[0..n-1] and 0 ≤ p ≤ 1, the
position is h = (n - 1)·p and the result x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]). So the median
of an even count is the mean of the two middle values, and an auditor can reproduce any figure
with one spreadsheet formula over the exported ticket rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SATISFACTION_SCALE = (1, 2, 3, 4, 5)
#: The percentiles every distribution reports (median and p90).
PERCENTILES = (0.5, 0.9)


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """The p-quantile (0 ≤ p ≤ 1) of values already sorted ascending; None when empty."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"percentile p must be within [0, 1], got {p}")
    n = len(sorted_values)
    if n == 0:
        return None
    h = (n - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


@dataclass(frozen=True)
class Distribution:
    """Summary of a set of durations in seconds."""

    count: int = 0
    mean: float | None = None
    median: float | None = None
    p90: float | None = None
    max: float | None = None

    @classmethod
    def of(cls, values: Iterable[float]) -> Distribution:
        xs = sorted(values)  # already sorted input costs O(n): timsort finds the one run
        return cls.of_sorted(xs, math.fsum(xs))

    @classmethod
    def of_sorted(cls, xs: Sequence[float], total: float) -> Distribution:
        """From values sorted ascending and their exact sum (``math.fsum``, correctly
        rounded, so any grouping of the same values gives the same ``total``). Only the
        positions the percentiles interpolate between and the last are read: values in their
        sorted place there are enough (``server.queue.rollups.order_ranks``)."""
        n = len(xs)
        if not n:
            return cls()
        median, p90 = (percentile(xs, p) for p in PERCENTILES)
        assert median is not None and p90 is not None
        return cls(n, total / n, float(median), float(p90), float(xs[-1]))

    def in_minutes(self) -> dict[str, Any]:
        def m(v: float | None) -> float | None:
            return None if v is None else round(v / 60.0, 2)

        return {"count": self.count, "mean": m(self.mean), "median": m(self.median),
                "p90": m(self.p90), "max": m(self.max)}


@dataclass
class Counts:
    """Additive counters of one group of tickets (so groups can be summed into totals).

    - issued: every ticket issued in the range (by day of issue).
    - served / no_show / not_attended / cancelled: by final outcome; in_progress has none yet.
    - transferred: tickets moved to another service at least once (not exclusive: a
      transferred ticket also ends with one of the outcomes above).
    - called: tickets with a measured wait (called at least once); within_target: of those,
      the ones first called within their service's target wait (wait ≤ target).
    - ratings[i]: answers with rating i + 1.
    """

    issued: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    not_attended: int = 0
    cancelled: int = 0
    in_progress: int = 0
    called: int = 0
    within_target: int = 0
    ratings: list[int] = field(default_factory=lambda: [0] * len(SATISFACTION_SCALE),
                               kw_only=True)

    FIELDS = ("issued", "served", "no_show", "transferred", "not_attended", "cancelled",
              "in_progress", "called", "within_target")

    @classmethod
    def from_values(cls, values: Sequence[int]) -> Counts:
        """From a flat row: the nine FIELDS in order, then the five rating counts."""
        n = len(cls.FIELDS)
        return cls(*(int(v or 0) for v in values[:n]),
                   ratings=[int(v or 0) for v in values[n:n + len(SATISFACTION_SCALE)]])

    def add(self, other: Counts) -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.ratings = [a + b for a, b in zip(self.ratings, other.ratings, strict=True)]

    def satisfaction(self) -> dict[str, Any]:
        answers = sum(self.ratings)
        total = sum(r * n for r, n in zip(SATISFACTION_SCALE, self.ratings, strict=True))
        return {
            "answers": answers,
            "average": round(total / answers, 2) if answers else None,
            "distribution": {str(r): n for r, n in zip(SATISFACTION_SCALE, self.ratings,
                                                       strict=True)},
            "response_rate": _share(answers, self.served),
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Indicators:
    """Everything reported for one group of tickets."""

    counts: Counts = field(default_factory=Counts)
    wait: Distribution = field(default_factory=Distribution)
    service: Distribution = field(default_factory=Distribution)

    def to_dict(self) -> dict[str, Any]:
        c = self.counts
        return {
            "issued": c.issued, "served": c.served, "no_show": c.no_show,
            "transferred": c.transferred, "not_attended": c.not_attended,
            "cancelled": c.cancelled, "in_progress": c.in_progress,
            "wait_min": self.wait.in_minutes(),
            "service_min": self.service.in_minutes(),
            "within_target": {"count": c.within_target, "of": c.called,
                              "share": _share(c.within_target, c.called)},
            "satisfaction": c.satisfaction(),
        }


PREFERENTIAL = "preferential"
GENERAL = "general"


@dataclass
class Summary:
    """Indicators per key of one dimension, per class (preferential/general) and in total."""

    rows: dict[Hashable, Indicators]
    classes: dict[str, Indicators]
    total: Indicators


def summarize(
    counts: Iterable[tuple[Hashable, Any, Sequence[int]]],
    waits: Iterable[tuple[Hashable, Any, float]],
    services: Iterable[tuple[Hashable, Any, float]],
) -> Summary:
    """Combine per-(key, preferential) count rows and per-ticket durations (seconds) into
    indicators per key, per class and in total. ``preferential`` is any truthy value;
    durations need not be sorted."""
    row_counts: dict[Hashable, Counts] = {}
    class_counts = {PREFERENTIAL: Counts(), GENERAL: Counts()}
    total_counts = Counts()
    for key, pref, values in counts:
        c = Counts.from_values(values)
        row_counts.setdefault(key, Counts()).add(c)
        class_counts[PREFERENTIAL if pref else GENERAL].add(c)
        total_counts.add(c)

    def split(rows: Iterable[tuple[Hashable, Any, float]]
              ) -> tuple[dict[Hashable, list[float]], dict[str, list[float]], list[float]]:
        # The hot loop of a year's summary: two appends per ticket, nothing else.
        by_key: defaultdict[Hashable, list[float]] = defaultdict(list)
        pref_values: list[float] = []
        general_values: list[float] = []
        for key, pref, seconds in rows:
            by_key[key].append(seconds)
            (pref_values if pref else general_values).append(seconds)
        return (by_key, {PREFERENTIAL: pref_values, GENERAL: general_values},
                pref_values + general_values)

    wk, wc, wall = split(waits)
    sk, sc, sall = split(services)
    rows = {
        key: Indicators(row_counts.get(key, Counts()), Distribution.of(wk.get(key, ())),
                        Distribution.of(sk.get(key, ())))
        for key in {*row_counts, *wk, *sk}
    }
    classes = {
        name: Indicators(class_counts[name], Distribution.of(wc[name]),
                         Distribution.of(sc[name]))
        for name in (PREFERENTIAL, GENERAL)
    }
    return Summary(rows, classes,
                   Indicators(total_counts, Distribution.of(wall), Distribution.of(sall)))
