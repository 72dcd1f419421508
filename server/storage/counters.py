"""Counters: open, paused or closed, who is at each, the preferential streak."""

from __future__ import annotations

from server.storage.base import Queries
from server.storage.rows import CounterRow


class CounterReads(Queries):
    def counter_row(self, number: int) -> CounterRow:
        row = self._one("SELECT * FROM counters WHERE number = ?", (number,))
        return CounterRow(**dict(row)) if row else CounterRow(number)

    def counter_rows(self, open_only: bool = False) -> dict[int, CounterRow]:
        """Every counter's row by number; ``open_only``: the counters someone is at (open or
        paused)."""
        where = " WHERE state != 'closed'" if open_only else ""
        return {r["number"]: CounterRow(**dict(r))
                for r in self._all(f"SELECT * FROM counters{where} ORDER BY number")}

    def clerk_at(self, number: int) -> str | None:
        """The clerk signed in at a counter now (None when closed): a hardware bridge's action
        there is attributed to them in the audit log."""
        row = self._one("SELECT clerk FROM counters WHERE number = ? AND state != 'closed'",
                        (number,))
        return str(row[0]) if row and row[0] else None

    def counters_held_by(self, clerk: str) -> list[int]:
        return [r[0] for r in self._all(
            "SELECT number FROM counters WHERE clerk = ? COLLATE NOCASE AND state != 'closed'",
            (clerk,))]


class CounterWrites(Queries):
    def ensure_counters(self, numbers: list[int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO counters (number) VALUES (?)", [(n,) for n in numbers]
        )

    def save_counter(self, c: CounterRow) -> None:
        self.conn.execute(
            """INSERT INTO counters (number, state, clerk, clerk_name, pause_reason, since,
                                     preferential_streak)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(number) DO UPDATE SET state = excluded.state, clerk = excluded.clerk,
                 clerk_name = excluded.clerk_name, pause_reason = excluded.pause_reason,
                 since = excluded.since, preferential_streak = excluded.preferential_streak""",
            (c.number, c.state, c.clerk, c.clerk_name, c.pause_reason, c.since,
             c.preferential_streak),
        )
