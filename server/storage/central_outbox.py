"""What waits to be sent to the central reporting server, and how far the centre has
acknowledged (migration "008_central_outbox").

Every write to a ticket (issue, call, finish, survey, characterization, transfer, the day's
close, the demo history generator) marks the ticket in ``central_outbox`` with the next change
number, by trigger, inside the same transaction: no write path can forget it, and the order
of change numbers is the commit order (one writer). The sender reads through its own
read-only connection and only writes the acknowledged cursor, through the store's writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import sqlite_utils

_MARK = """INSERT INTO central_outbox (ticket_id, changed)
           VALUES ({id}, (SELECT IFNULL(MAX(changed), 0) + 1 FROM central_outbox))
           ON CONFLICT (ticket_id) DO UPDATE SET changed = excluded.changed"""


def m_central_outbox(db: sqlite_utils.Database) -> None:
    """One row per ticket with the number of its latest change; the cursor and the time of
    the last acknowledged send in ``central_state``. Existing tickets are marked, so an
    office that connects to a centre later sends its whole history, oldest first."""
    db.execute("""CREATE TABLE central_outbox (
                      ticket_id TEXT PRIMARY KEY,
                      changed INTEGER NOT NULL
                  ) WITHOUT ROWID""")
    db.execute("CREATE UNIQUE INDEX central_outbox_changed ON central_outbox(changed)")
    db.execute("""CREATE TABLE central_state (
                      key TEXT PRIMARY KEY,
                      value REAL NOT NULL
                  )""")
    db.execute("""INSERT INTO central_outbox (ticket_id, changed)
                  SELECT id, ROW_NUMBER() OVER (ORDER BY issued_at, id) FROM tickets""")
    for event in ("INSERT", "UPDATE"):
        db.execute(f"""CREATE TRIGGER central_outbox_ticket_{event.lower()}
                       AFTER {event} ON tickets BEGIN {_MARK.format(id="NEW.id")}; END""")
    db.execute(f"""CREATE TRIGGER central_outbox_characterization
                   AFTER INSERT ON ticket_characterization
                   BEGIN {_MARK.format(id="NEW.ticket_id")}; END""")


#: Column order of ``ticket_rows`` (the ticket export's columns, in machine form, plus id).
RECORD_COLUMNS = (
    "id", "number", "day", "weekday", "issued_at", "service", "group_code", "counter", "clerk",
    "first_called_at", "started_at", "finished_at", "status", "outcome", "transfers",
    "call_count", "satisfaction", "satisfaction_reason",
)


def cursor(conn: sqlite3.Connection) -> tuple[int, float | None]:
    """(last acknowledged change number, POSIX time of the last acknowledged send)."""
    state = dict(conn.execute("SELECT key, value FROM central_state").fetchall())
    return int(state.get("cursor", 0)), state.get("last_success_at")


def pending_count(conn: sqlite3.Connection, after: int) -> int:
    row = conn.execute("SELECT COUNT(*) FROM central_outbox WHERE changed > ?",
                       (after,)).fetchone()
    return int(row[0])


def next_changes(conn: sqlite3.Connection, after: int, limit: int) -> list[tuple[str, int]]:
    """(ticket id, change number) of the next ``limit`` changes after ``after``, in order."""
    return [(r[0], int(r[1])) for r in conn.execute(
        "SELECT ticket_id, changed FROM central_outbox WHERE changed > ? ORDER BY changed "
        "LIMIT ?", (after, limit))]


def ticket_rows(conn: sqlite3.Connection, ids: Sequence[str]
                ) -> tuple[list[tuple[Any, ...]], dict[str, dict[str, str]]]:
    """The tickets' rows (RECORD_COLUMNS) and their characterization answers by ticket."""
    marks = ", ".join("?" for _ in ids)
    rows = list(conn.execute(
        f"SELECT {', '.join(RECORD_COLUMNS)} FROM tickets WHERE id IN ({marks})", list(ids)))
    answers: dict[str, dict[str, str]] = {}
    for ticket_id, question, answer in conn.execute(
            f"SELECT ticket_id, question, answer FROM ticket_characterization "
            f"WHERE ticket_id IN ({marks})", list(ids)):
        answers.setdefault(ticket_id, {})[question] = answer
    return rows, answers


def clerk_names(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in conn.execute("SELECT username, display_name FROM users")]


def save_cursor(conn: sqlite3.Connection, changed: int, at: float) -> None:
    """Runs on the store's writer (inside its transaction): the centre acknowledged every
    change up to ``changed``."""
    conn.executemany(
        "INSERT INTO central_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [("cursor", changed), ("last_success_at", at)])
