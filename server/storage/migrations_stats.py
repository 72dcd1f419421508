"""Schema for statistics, the satisfaction survey and characterization (appended to
``store.MIGRATIONS``)."""

from __future__ import annotations

import sqlite_utils


def m_satisfaction_characterization(db: sqlite_utils.Database) -> None:
    """Satisfaction is stored with the ticket (one anonymous answer per ticket); the optional
    characterization answers in their own table, one row per (ticket, question), so an office
    can add questions without a schema change. Indexes:
    - tickets(counter, finished_at): the counter tablet asks "last ticket finished here".
    - ticket_characterization(question, answer, ticket_id): statistics filtered by an answer.
    """
    db.execute("ALTER TABLE tickets ADD COLUMN satisfaction INTEGER")
    db.execute("ALTER TABLE tickets ADD COLUMN satisfaction_reason TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN satisfaction_at REAL")
    db.execute(
        """CREATE TABLE ticket_characterization (
            ticket_id TEXT NOT NULL REFERENCES tickets(id),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            PRIMARY KEY (ticket_id, question)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX ticket_characterization_answer "
               "ON ticket_characterization(question, answer, ticket_id)")
    db.execute("CREATE INDEX tickets_counter_finished ON tickets(counter, finished_at)")
