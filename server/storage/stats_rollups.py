"""Daily statistics rollups: per closed day and summary dimension, each (key, preferential)
group's counters and its waiting and service durations already sorted, packed in BLOBs.

A summary of a range reads the rollups of its closed days and only today's tickets (and any
day without a fresh rollup) from ``tickets``. A rollup is fresh while the day's *version* is
the one it was built from: triggers bump ``stats_day_version`` in the same transaction as any
change to a ticket of that day (or to its characterization answers), so a rollup is never
read stale, whatever changes a closed day (a late survey answer, a history import); and it is
built with the service targets it records (a changed target makes it stale too). Missing or
stale rollups are rebuilt from the tickets by the next summary that needs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.storage.base import Queries
from server.storage.stats import StatsReads

_BUMP = """INSERT INTO stats_day_version (day, version) {values}
           ON CONFLICT (day) DO UPDATE SET version = version + 1;"""
#: The ticket columns a summary reads: other updates (the printer's status) bump nothing.
_STAT_COLUMNS = ("day, service, group_code, outcome, issued_at, first_called_at, started_at, "
                 "finished_at, counter, clerk, transfers, satisfaction, hour, weekday")


def m_stats_rollups(db: sqlite_utils.Database) -> None:
    """Rollup tables and the triggers that keep each day's version. An existing database gets
    no rollup here: each is built at its first use (every day starts at version 0)."""
    db.execute("""CREATE TABLE stats_day_version (
                      day TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID""")
    db.execute("""CREATE TABLE stats_rollup_days (
                      dimension TEXT NOT NULL, day TEXT NOT NULL, version INTEGER NOT NULL,
                      targets TEXT NOT NULL, PRIMARY KEY (dimension, day)) WITHOUT ROWID""")
    # ``key`` has no type: a counter number stays an integer, a service code a text.
    db.execute("""CREATE TABLE stats_rollups (
                      dimension TEXT NOT NULL, day TEXT NOT NULL, key,
                      preferential INTEGER NOT NULL, counts BLOB NOT NULL,
                      waits BLOB NOT NULL, wait_sum BLOB NOT NULL,
                      services BLOB NOT NULL, service_sum BLOB NOT NULL)""")
    db.execute("CREATE INDEX stats_rollups_day ON stats_rollups (dimension, day)")
    new = _BUMP.format(values="VALUES (NEW.day, 1)")
    old = _BUMP.format(values="VALUES (OLD.day, 1)")
    db.execute(f"CREATE TRIGGER stats_day_insert AFTER INSERT ON tickets BEGIN {new} END")
    db.execute(f"CREATE TRIGGER stats_day_delete AFTER DELETE ON tickets BEGIN {old} END")
    db.execute(f"""CREATE TRIGGER stats_day_update AFTER UPDATE OF {_STAT_COLUMNS} ON tickets
                   BEGIN {new} END""")
    db.execute(f"""CREATE TRIGGER stats_day_moved AFTER UPDATE OF day ON tickets
                   WHEN OLD.day IS NOT NEW.day BEGIN {old} END""")
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        bump = _BUMP.format(values=f"SELECT day, 1 FROM tickets WHERE id = {row}.ticket_id")
        db.execute(f"""CREATE TRIGGER stats_day_char_{event.lower()} AFTER {event}
                       ON ticket_characterization BEGIN {bump} END""")


#: Columns of a rollup row as read and written (after dimension and day).
ROLLUP_COLUMNS = ("key", "preferential", "counts", "waits", "wait_sum", "services",
                  "service_sum")


@dataclass(frozen=True)
class DayRollup:
    """One closed day's rollup of one dimension, built from the tickets at ``version``."""

    dimension: str
    day: str
    version: int
    targets: str
    rows: Sequence[tuple[Any, ...]]  # ROLLUP_COLUMNS


_FRESH = """FROM stats_rollup_days h LEFT JOIN stats_day_version v ON v.day = h.day
            WHERE h.dimension = ? AND h.day BETWEEN ? AND ? AND h.targets = ?
              AND h.version = IFNULL(v.version, 0)"""


class RollupReads(StatsReads):
    def fresh_rollup_days(self, dimension: str, first: str, last: str, targets: str
                          ) -> set[str]:
        """The days of [first, last] whose rollup of ``dimension`` is fresh."""
        return {d for (d,) in self._tuples(f"SELECT h.day {_FRESH}",
                                          (dimension, first, last, targets))}

    def fresh_rollups(self, dimension: str, first: str, last: str, targets: str
                      ) -> Iterator[tuple[Any, ...]]:
        """ROLLUP_COLUMNS of every fresh rollup row of ``dimension`` in [first, last]."""
        cols = ", ".join(f"r.{c}" for c in ROLLUP_COLUMNS)
        yield from self._tuples(
            f"""SELECT {cols} FROM stats_rollups r JOIN (SELECT h.day {_FRESH}) f
                ON r.day = f.day WHERE r.dimension = ?""",
            (dimension, first, last, targets, dimension))

    def ticket_day_span(self, first: str, last: str) -> tuple[str | None, str | None]:
        """The first and last day with tickets within [first, last] (through the index)."""
        # Two index probes: MIN/MAX under a WHERE would walk the whole range.
        low = self._tuples("SELECT day FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day "
                           "LIMIT 1", (first, last)).fetchone()
        high = self._tuples("SELECT day FROM tickets WHERE day BETWEEN ? AND ? ORDER BY day "
                            "DESC LIMIT 1", (first, last)).fetchone()
        return (low[0], high[0]) if low and high else (None, None)

    def day_versions(self, first: str, last: str) -> dict[str, int]:
        """Each day's version (days never changed since the rollups came are at 0)."""
        return dict(self._tuples(
            "SELECT day, version FROM stats_day_version WHERE day BETWEEN ? AND ?",
            (first, last)).fetchall())


class RollupWrites(Queries):
    def put_rollups(self, rollups: Sequence[DayRollup]) -> int:
        """Store rollups, each replacing its day's; one whose day changed since it was read
        is left out (the next summary builds it again). Returns how many were stored."""
        stored = 0
        marks = ", ".join("?" for _ in ROLLUP_COLUMNS)
        for r in rollups:
            now = self.conn.execute("SELECT version FROM stats_day_version WHERE day = ?",
                                    (r.day,)).fetchone()
            if (now[0] if now else 0) != r.version:
                continue
            self.conn.execute("DELETE FROM stats_rollups WHERE dimension = ? AND day = ?",
                              (r.dimension, r.day))
            self.conn.executemany(
                f"""INSERT INTO stats_rollups (dimension, day, {", ".join(ROLLUP_COLUMNS)})
                    VALUES (?, ?, {marks})""",
                [(r.dimension, r.day, *row) for row in r.rows])
            self.conn.execute(
                """INSERT INTO stats_rollup_days (dimension, day, version, targets)
                   VALUES (?, ?, ?, ?) ON CONFLICT (dimension, day) DO UPDATE
                   SET version = excluded.version, targets = excluded.targets""",
                (r.dimension, r.day, r.version, r.targets))
            stored += 1
        return stored
