"""Summaries from daily rollups: closed days read pre-sorted from their rollups, today (and
any day whose rollup is missing or stale) from the tickets, merged by the same pure code.

Why: a year summary streamed every duration of every ticket into Python (1.2–1.6 s for
260,000 tickets). A closed day's groups no longer change, so each is kept once, sorted
(``server.storage.stats_rollups``); a year is then ~2,500 small sorted runs to merge in numpy.
The figures are the same to the last digit (``server.queue.rollups``).

Only summaries without filters use rollups: a filter (a counter, a clerk, an answer…) crosses
dimensions the rollup keeps apart, so those read the tickets as before. The rollups a summary
had to build from the tickets are handed back to be stored (the reader cannot write): the
next summary over those days reads them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from typing import Any

from server.queue.indicators import Summary, summarize
from server.queue.rollups import COUNTED, Part, assemble, part_of_packed, parts_of_rows
from server.queue.stats_query import Filters
from server.storage import Reader, Store, Tx
from server.storage.stats import Selection
from server.storage.stats_rollups import DayRollup

log = logging.getLogger("turnero.stats")

#: Rollups stored per write job, by bytes of durations: the writer is held a few
#: milliseconds at a time, never long against a kiosk's ticket.
WRITE_CHUNK_BYTES = 256 * 1024


def summarize_raw(r: Reader, sel: Selection, by: str) -> Summary:
    """Every ticket's durations streamed into Python (the path with filters)."""
    return summarize(
        ((k, p, values) for k, p, *values in r.group_counts(sel, by)),
        r.wait_seconds(sel, by),
        r.service_seconds(sel, by),
    )


def summarize_with_rollups(r: Reader, sel: Selection, by: str, today: str
                           ) -> tuple[Summary, list[DayRollup]]:
    """The summary of ``sel`` by ``by``, and the rollups of closed days (before ``today``) it
    built from the tickets because they had none fresh."""
    q = sel.query
    if q.filters != Filters():
        return summarize_raw(r, sel, by), []
    first, last = r.ticket_day_span(q.start.isoformat(), q.end.isoformat())
    if first is None or last is None:
        return summarize_raw(r, sel, by), []
    targets = sel.targets_text()
    closed_last = min(last, (date.fromisoformat(today) - timedelta(days=1)).isoformat())
    fresh = (r.fresh_rollup_days(by, first, closed_last, targets) if first <= closed_last
             else set())
    days = [d for d in _days(first, last) if d not in fresh]
    parts: list[tuple[Any, Any, Part]] = []
    built: list[DayRollup] = []
    if days:
        raw = replace(sel, days=tuple(days))
        by_day = parts_of_rows(r.group_counts(raw, by, per_day=True),
                               r.wait_seconds(raw, by, per_day=True),
                               r.service_seconds(raw, by, per_day=True), width=3)
        parts += [(key, pref, part) for (_day, key, pref), part in by_day.items()]
        built = _rollups(by, [d for d in days if d < today], by_day, targets,
                         r.day_versions(first, last))
    if fresh:
        packed: dict[tuple[Any, Any], tuple[list[bytes], ...]] = {}
        for key, pref, *blobs in r.fresh_rollups(by, first, closed_last, targets):
            lists = packed.get((key, pref))
            if lists is None:
                lists = packed[(key, pref)] = ([], [], [], [], [])
            for into, blob in zip(lists, blobs, strict=True):
                into.append(blob)
        parts += [(key, pref, part_of_packed(*lists)) for (key, pref), lists in packed.items()]
    summary, _split = assemble(parts)
    return summary, built


def _days(first: str, last: str) -> Iterable[str]:
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    while day <= end:
        yield day.isoformat()
        day += timedelta(days=1)


def _rollups(by: str, days: list[str], by_day: dict[tuple[Any, ...], Part], targets: str,
             versions: dict[str, int]) -> list[DayRollup]:
    rows: dict[str, list[tuple[Any, ...]]] = {d: [] for d in days}
    for (day, key, pref), part in by_day.items():
        if day in rows:
            rows[day].append((key, int(pref), part.counts.astype(COUNTED).tobytes(),
                              *part.waits.pack(), *part.services.pack()))
    return [DayRollup(by, d, versions.get(d, 0), targets, rows[d]) for d in days]


def chunks(rollups: list[DayRollup]) -> Iterable[list[DayRollup]]:
    """Rollups in groups of about WRITE_CHUNK_BYTES, one write job each."""
    batch: list[DayRollup] = []
    size = 0
    for rollup in rollups:
        batch.append(rollup)
        size += sum(len(row[3]) + len(row[5]) for row in rollup.rows)
        if size >= WRITE_CHUNK_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _put(rollups: list[DayRollup], tx: Tx) -> int:
    return tx.put_rollups(rollups)


async def keep(store: Store | None, rollups: list[DayRollup]) -> None:
    """Store built rollups, a small write job at a time. A failed write (a full disk) costs
    only the next summary's time: it builds them again."""
    if store is None:
        return
    try:
        for batch in chunks(rollups):
            await store.run(partial(_put, batch))
    except Exception:  # noqa: BLE001 - the summary itself was answered
        log.warning("statistics rollups not stored", exc_info=True)


def keep_sync(store: Store | None, rollups: list[DayRollup]) -> None:
    """``keep`` from a worker thread (an export)."""
    if store is None:
        return
    try:
        for batch in chunks(rollups):
            store.run_sync(partial(_put, batch))
    except Exception:  # noqa: BLE001 - the export itself is written
        log.warning("statistics rollups not stored", exc_info=True)
