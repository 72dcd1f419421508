"""Exact indicators from pre-grouped parts: a closed day's rollup, or today's tickets grouped.

A part is one (key, preferential) group of tickets: its additive ``Counts``, its waiting and
service durations *sorted*, and the exact sum of each (as a few floats whose exact sum is the
sum of the durations). Parts merge into the same ``Summary`` that ``indicators.summarize``
builds from ticket rows, with the same arithmetic: the merged durations are the same multiset,
sorted, so the percentiles (linear interpolation) are identical; the mean is ``math.fsum`` of
the parts' exact sums, which is the correctly rounded sum of every duration, as
``Distribution.of`` gives. So a summary read from daily rollups equals, to the last digit, the
one computed from every ticket.

The sorted merge uses numpy (``np.sort`` of concatenated sorted runs, in C): the Python merge
of a year's runs costs ~100 ms per kind of duration, numpy ~10 ms. Pure: no SQL, no web.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from server.queue.indicators import (
    GENERAL,
    PERCENTILES,
    PREFERENTIAL,
    Counts,
    Distribution,
    Indicators,
    Summary,
)

#: How durations and exact-sum parts are packed in a rollup: little-endian float64.
PACKED = np.dtype("<f8")
#: How counters are packed: little-endian int64.
COUNTED = np.dtype("<i8")

Floats = npt.NDArray[np.float64]
_EMPTY: Floats = np.zeros(0, dtype=PACKED)


def exact_parts(values: Iterable[float]) -> list[float]:
    """Non-overlapping floats whose exact sum is the exact sum of ``values`` (Shewchuk's
    partials, the algorithm inside ``math.fsum``): the exact sum of a group, kept in a few
    floats, so ``math.fsum`` over the parts of several groups is the correctly rounded sum of
    all their values."""
    partials: list[float] = []
    for x in values:
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]
    return partials


@dataclass
class Durations:
    """Durations in seconds with their exact sum as parts. ``values`` is sorted ascending
    unless ``merged`` (runs put together): a distribution then needs only its order
    statistics, which ``np.partition`` puts in place in linear time, not a sort."""

    values: Floats = field(default_factory=lambda: _EMPTY)
    #: None: not kept (the exact sum is then ``math.fsum`` of the values themselves).
    parts: Floats | None = field(default_factory=lambda: _EMPTY)
    merged: bool = False

    @classmethod
    def sorted_run(cls, values: Sequence[float]) -> Durations:
        """Values already sorted ascending (e.g. by the database), without their parts."""
        return cls(np.asarray(values, dtype=PACKED), None)

    @classmethod
    def of(cls, values: Sequence[float]) -> Durations:
        xs = np.sort(np.asarray(values, dtype=PACKED))
        return cls(xs, np.asarray(exact_parts(xs.tolist()), dtype=PACKED))

    @classmethod
    def unpack(cls, packed: bytes, parts: bytes) -> Durations:
        return cls(np.frombuffer(packed, dtype=PACKED), np.frombuffer(parts, dtype=PACKED))

    def pack(self) -> tuple[bytes, bytes]:
        values = np.sort(self.values) if self.merged else self.values
        parts = self.parts if self.parts is not None else np.asarray(
            exact_parts(values.tolist()), dtype=PACKED)
        return values.astype(PACKED).tobytes(), parts.astype(PACKED).tobytes()

    def distribution(self) -> Distribution:
        """``Distribution.of_sorted`` reads only the values at the percentile ranks and the
        last one: after ``np.partition`` at those ranks they hold exactly the sorted
        values, so the figures are those of a full sort."""
        values = self.values
        if self.merged and len(values):
            values = np.partition(values, sorted(order_ranks(len(values))))
        total = self.parts if self.parts is not None else self.values
        return Distribution.of_sorted(cast(Sequence[float], values),
                                      math.fsum(total.tolist()))


def order_ranks(n: int) -> set[int]:
    """The positions ``Distribution.of_sorted`` reads in n sorted values (n > 0): both
    neighbours of the median's and p90's interpolation, and the maximum."""
    ranks = {n - 1}
    for p in PERCENTILES:
        lo = math.floor((n - 1) * p)
        ranks |= {lo, min(lo + 1, n - 1)}
    return ranks


def merge_durations(groups: Sequence[Durations]) -> Durations:
    """Several groups as one (their values put together, unsorted)."""
    if len(groups) == 1:
        return groups[0]
    runs = [g.values for g in groups if len(g.values)]
    values = np.concatenate(runs) if runs else _EMPTY
    kept = [g.parts for g in groups if g.parts is not None]
    parts = np.concatenate(kept) if len(kept) == len(groups) else None
    return Durations(values, parts, merged=True)


#: A group's counters as one vector: ``Counts.FIELDS`` in order, then the five ratings.
COUNTS_WIDTH = len(Counts.FIELDS) + len(Counts().ratings)
Tally = npt.NDArray[np.int64]


def tally(values: Sequence[Any]) -> Tally:
    """The counter vector of a row of counters (None counts as 0)."""
    return np.asarray([int(v or 0) for v in values[:COUNTS_WIDTH]], dtype=COUNTED)


def tally_of(counts: Counts) -> Tally:
    return np.asarray([getattr(counts, name) for name in counts.FIELDS] + counts.ratings,
                      dtype=COUNTED)


@dataclass
class Part:
    """One (key, preferential) group: its counter vector plus sorted waits and service
    times. Counters stay a numpy vector while parts merge (a year is thousands of parts)."""

    counts: Tally = field(default_factory=lambda: np.zeros(COUNTS_WIDTH, dtype=COUNTED))
    waits: Durations = field(default_factory=Durations)
    services: Durations = field(default_factory=Durations)

    def indicators(self) -> Indicators:
        return Indicators(Counts.from_values(self.counts.tolist()), self.waits.distribution(),
                          self.services.distribution())


def merge_parts(parts: Sequence[Part]) -> Part:
    if len(parts) == 1:
        return parts[0]
    return Part(np.sum([p.counts for p in parts], axis=0, dtype=COUNTED),
                merge_durations([p.waits for p in parts]),
                merge_durations([p.services for p in parts]))


def assemble(parts: Iterable[tuple[Hashable, Any, Part]], split_keys: bool = False
             ) -> tuple[Summary, dict[Hashable, dict[str, Indicators]]]:
    """Indicators per key, per class (preferential/general) and in total from parts; several
    parts may share a (key, preferential) (one per day). Each level is merged from the one
    below (key and class → key; key and class → class → total), so every sort merges sorted
    runs. With ``split_keys`` each key's indicators per class come too (else empty)."""
    grouped: dict[tuple[Hashable, str], list[Part]] = {}
    for key, pref, part in parts:
        grouped.setdefault((key, PREFERENTIAL if pref else GENERAL), []).append(part)
    key_class = {kc: merge_parts(ps) for kc, ps in grouped.items()}
    keys: dict[Hashable, list[Part]] = {}
    by_class: dict[str, list[Part]] = {PREFERENTIAL: [], GENERAL: []}
    for (key, name), part in key_class.items():
        keys.setdefault(key, []).append(part)
        by_class[name].append(part)
    classes = {name: merge_parts(ps) if ps else Part() for name, ps in by_class.items()}
    summary = Summary({k: merge_parts(ps).indicators() for k, ps in keys.items()},
                      {name: p.indicators() for name, p in classes.items()},
                      merge_parts(list(classes.values())).indicators())
    split: dict[Hashable, dict[str, Indicators]] = {}
    for (key, name), part in key_class.items() if split_keys else ():
        split.setdefault(key, {PREFERENTIAL: Indicators(), GENERAL: Indicators()})[name] = \
            part.indicators()
    return summary, split


def part_of_packed(counts: Sequence[bytes], waits: Sequence[bytes], wait_sums: Sequence[bytes],
                   services: Sequence[bytes], service_sums: Sequence[bytes]) -> Part:
    """One part from the packed rollups of several days of one (key, preferential): the
    bytes joined and read once (a year is thousands of small rollups)."""
    def floats(blobs: Sequence[bytes]) -> Floats:
        return np.frombuffer(b"".join(blobs), dtype=PACKED)

    tallies = np.frombuffer(b"".join(counts), dtype=COUNTED).reshape(-1, COUNTS_WIDTH)
    return Part(tallies.sum(axis=0, dtype=COUNTED),
                Durations(floats(waits), floats(wait_sums), merged=len(waits) > 1),
                Durations(floats(services), floats(service_sums), merged=len(services) > 1))


def parts_of_rows(counts: Iterable[Sequence[Any]], waits: Iterable[Sequence[Any]],
                  services: Iterable[Sequence[Any]], width: int
                  ) -> dict[tuple[Any, ...], Part]:
    """Parts from ticket rows grouped in SQL: ``counts`` rows are (*group, counters…) and the
    duration rows (*group, seconds), where a group is the first ``width`` columns (e.g. day,
    key, preferential)."""
    out: dict[tuple[Any, ...], Part] = {}
    for row in counts:
        out[tuple(row[:width])] = Part(tally(row[width:]))
    for rows, attr in ((waits, "waits"), (services, "services")):
        values: dict[tuple[Any, ...], list[float]] = {}
        for row in rows:
            values.setdefault(tuple(row[:width]), []).append(row[width])
        for group, xs in values.items():
            setattr(out.setdefault(group, Part()), attr, Durations.of(xs))
    return out
