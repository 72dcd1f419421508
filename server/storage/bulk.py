"""The fast path for loading a generated history (benchmarks, demo charts): plain
``executemany`` in large transactions on a connection of its own. Not for live tickets —
those go through the writer thread and its durability guarantees."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Columns of a history ticket row, in the order ``insert_history`` expects.
HISTORY_COLUMNS = (
    "id", "number", "letter", "seq", "day", "service", "group_code", "status", "outcome",
    "issued_at", "queued_at", "first_called_at", "called_at", "started_at", "finished_at",
    "counter", "clerk", "call_count", "transfers", "kiosk", "hour", "weekday", "print_status",
    "satisfaction", "satisfaction_reason", "satisfaction_at",
)

BATCH = 20_000

#: One ticket row, its values in ``HISTORY_COLUMNS`` order.
TicketRow = tuple[Any, ...]
#: One characterization answer: (ticket_id, question, answer).
AnswerRow = tuple[str, str, str]
#: A ticket and its characterization answers.
HistoryItem = tuple[TicketRow, list[AnswerRow]]


def insert_history(path: str | Path, items: Iterable[HistoryItem],
                   batch: int = BATCH) -> int:
    """Insert (ticket row, characterization rows) pairs; returns the number of tickets.
    The database must exist and be migrated (``Store.open`` does that)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA synchronous = NORMAL")
        cols = ", ".join(HISTORY_COLUMNS)
        marks = ", ".join("?" for _ in HISTORY_COLUMNS)
        ticket_sql = f"INSERT INTO tickets ({cols}) VALUES ({marks})"
        char_sql = ("INSERT INTO ticket_characterization (ticket_id, question, answer) "
                    "VALUES (?, ?, ?)")
        total = 0
        tickets: list[TicketRow] = []
        answers: list[AnswerRow] = []

        def flush() -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(ticket_sql, tickets)
                conn.executemany(char_sql, answers)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            tickets.clear()
            answers.clear()

        for row, chars in items:
            tickets.append(row)
            answers.extend(chars)
            total += 1
            if len(tickets) >= batch:
                flush()
        if tickets:
            flush()
        conn.execute("PRAGMA optimize")
        return total
    finally:
        conn.close()
