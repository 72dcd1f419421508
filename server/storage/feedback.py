"""The satisfaction survey and the characterization answers."""

from __future__ import annotations

from collections.abc import Mapping

from server.queue.survey import SurveyTicket
from server.storage.base import Queries
from server.storage.rows import survey_ticket_from_row

_SURVEY_COLUMNS = "id, number, status, finished_at, satisfaction, counter"


class FeedbackReads(Queries):
    def survey_ticket(self, ticket_id: str) -> SurveyTicket | None:
        return survey_ticket_from_row(self._one(
            f"SELECT {_SURVEY_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)))

    def last_finished_at_counter(self, counter: int, since: float) -> SurveyTicket | None:
        """The ticket whose attention ended last at this counter, if it ended after ``since``
        (served or not: the caller decides; uses index tickets_counter_finished)."""
        return survey_ticket_from_row(self._one(
            f"""SELECT {_SURVEY_COLUMNS} FROM tickets
                WHERE counter = ? AND finished_at >= ? ORDER BY finished_at DESC LIMIT 1""",
            (counter, since)))


class FeedbackWrites(Queries):
    def save_satisfaction(self, ticket_id: str, rating: int, reason: str | None,
                          at: float) -> bool:
        """Store the answer unless one is there already (False then): one answer per ticket
        even when two phones post at the same moment."""
        cur = self.conn.execute(
            """UPDATE tickets SET satisfaction = ?, satisfaction_reason = ?, satisfaction_at = ?
               WHERE id = ? AND satisfaction IS NULL""",
            (rating, reason, at, ticket_id),
        )
        return cur.rowcount == 1

    def save_characterization(self, ticket_id: str, answers: Mapping[str, str]) -> None:
        self.conn.executemany(
            "INSERT INTO ticket_characterization (ticket_id, question, answer) VALUES (?, ?, ?)",
            [(ticket_id, q, a) for q, a in answers.items()],
        )
