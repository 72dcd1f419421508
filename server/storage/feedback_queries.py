"""Writes and small reads for the satisfaction survey and characterization answers; each
function runs inside a writer transaction (``Tx``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from server.queue.model import Status
from server.stats.survey import SurveyTicket
from server.storage.store import Tx

_SURVEY_COLUMNS = "id, number, status, finished_at, satisfaction, counter"


def _survey_ticket(row: sqlite3.Row | None) -> SurveyTicket | None:
    if row is None:
        return None
    return SurveyTicket(row["id"], row["number"], Status(row["status"]), row["finished_at"],
                        row["satisfaction"], row["counter"])


def survey_ticket(tx: Tx, ticket_id: str) -> SurveyTicket | None:
    return _survey_ticket(tx.conn.execute(
        f"SELECT {_SURVEY_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)).fetchone())


def last_finished_at_counter(tx: Tx, counter: int, since: float) -> SurveyTicket | None:
    """The ticket whose attention ended last at this counter, if it ended after ``since``
    (served or not: the caller decides; uses index tickets_counter_finished)."""
    return _survey_ticket(tx.conn.execute(
        f"""SELECT {_SURVEY_COLUMNS} FROM tickets
            WHERE counter = ? AND finished_at >= ? ORDER BY finished_at DESC LIMIT 1""",
        (counter, since)).fetchone())


def save_satisfaction(tx: Tx, ticket_id: str, rating: int, reason: str | None,
                      at: float) -> bool:
    """Store the answer unless one is there already (False then): one answer per ticket even
    when two phones post at the same moment."""
    cur = tx.conn.execute(
        """UPDATE tickets SET satisfaction = ?, satisfaction_reason = ?, satisfaction_at = ?
           WHERE id = ? AND satisfaction IS NULL""",
        (rating, reason, at, ticket_id),
    )
    return cur.rowcount == 1


def save_characterization(tx: Tx, ticket_id: str, answers: Mapping[str, str]) -> None:
    tx.conn.executemany(
        "INSERT INTO ticket_characterization (ticket_id, question, answer) VALUES (?, ?, ?)",
        [(ticket_id, q, a) for q, a in answers.items()],
    )
