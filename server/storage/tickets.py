"""Tickets: the line, the ticket in hand at a counter, a day's tickets, estimates' inputs."""

from __future__ import annotations

from server.queue.model import Status, Ticket
from server.storage.base import Queries
from server.storage.rows import (
    TICKET_COLUMNS,
    ticket_from_row,
    ticket_from_values,
    ticket_select,
    ticket_values,
)


class TicketReads(Queries):
    def next_seq(self, day: str, letter: str) -> int:
        row = self._one(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE day = ? AND letter = ?",
            (day, letter),
        )
        assert row is not None
        return int(row[0])

    def ticket_for_request(self, kiosk: str, request_id: str) -> Ticket | None:
        row = self._one("SELECT * FROM tickets WHERE kiosk = ? AND request_id = ?",
                        (kiosk, request_id))
        return ticket_from_row(row) if row else None

    def ticket(self, ticket_id: str) -> Ticket | None:
        row = self._one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return ticket_from_row(row) if row else None

    def ticket_by_number(self, day: str, number: str) -> Ticket | None:
        """The ticket a citizen holds, by the number printed on it and its day."""
        row = self._one("SELECT * FROM tickets WHERE day = ? AND number = ?", (day, number))
        return ticket_from_row(row) if row else None

    def tickets_by_id(self, ticket_ids: set[str] | list[str]) -> dict[str, Ticket]:
        """The tickets that exist among ``ticket_ids``, by id (one query per 500 ids)."""
        ids = list(ticket_ids)
        found: dict[str, Ticket] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self._all(f"SELECT * FROM tickets WHERE id IN ({marks})", chunk):
                found[row["id"]] = ticket_from_row(row)
        return found

    def tickets_with_status(self, *statuses: Status) -> list[Ticket]:
        marks = ", ".join("?" for _ in statuses)
        rows = self._all(
            f"SELECT * FROM tickets WHERE status IN ({marks}) ORDER BY queued_at, issued_at",
            tuple(str(s) for s in statuses),
        )
        return [ticket_from_row(r) for r in rows]

    def line_heads(self, services: tuple[str, ...] | list[str]) -> tuple[list[Ticket], int]:
        """The oldest waiting preferential and the oldest waiting general ticket of some
        services (all the selection rules ever look at), and how many general ones wait.

        Written to match ``tickets_line_class`` (status, service, (group_code IS NOT NULL),
        queued_at, issued_at, number): one index seek per service and class, the head picked
        here in the same order, so a call costs the same with 10,000 waiting as with none
        (``group_code IS NULL`` is not the index's expression: SQLite would sort the line)."""
        heads: list[Ticket] = []
        for preferential in (1, 0):
            rows = [row for service in dict.fromkeys(services) if (row := self._one(
                """SELECT * FROM tickets
                   WHERE status = 'waiting' AND service = ?
                     AND (group_code IS NOT NULL) = ?
                   ORDER BY queued_at, issued_at, number LIMIT 1""",
                (service, preferential)))]
            if rows:
                heads.append(ticket_from_row(min(
                    rows, key=lambda r: (r["queued_at"], r["issued_at"], r["number"]))))
        marks = ", ".join("?" for _ in services)
        count = self._one(
            f"""SELECT COALESCE(SUM(waiting), 0) FROM line_counts
                WHERE service IN ({marks}) AND preferential = 0""", tuple(services))
        return heads, int(count[0]) if count else 0

    def line_front(self, limit: int) -> list[Ticket]:
        """The first ``limit`` waiting tickets in calling order as far as any rule can change
        it: every preferential ticket first, then the oldest general ones (a newer general
        ticket is never called before an older one at a counter).

        Read like ``line_heads``, through ``tickets_line_class``: the front of each service
        and class is an index-only seek, SQLite orders those few keys, and only the ``limit``
        rows picked are read from the table, as plain tuples made into tickets memoized by
        content (``ticket_from_values``). Sorting the whole line's rows and building 60
        tickets by column name cost 1.2-2.6 ms per issue from 100 to 10,000 waiting on the
        loaded 2-core reference machine; this costs 0.4-0.6 ms at any length."""
        classes = self._all("SELECT service, preferential FROM line_counts WHERE waiting > 0")
        if not classes:
            return []
        arm = """SELECT * FROM (
                   SELECT rowid AS r, ? AS preferential, queued_at, issued_at, number
                   FROM tickets
                   WHERE status = 'waiting' AND service = ? AND (group_code IS NOT NULL) = ?
                   ORDER BY queued_at, issued_at, number LIMIT ?)"""
        params: list[object] = []
        for service, preferential in classes:
            params += [preferential, service, preferential, limit]
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: the memoized tickets' keys
        cursor.execute(
            f"""SELECT {ticket_select("t.")} FROM (
                  SELECT * FROM ({" UNION ALL ".join([arm] * len(classes))})
                  ORDER BY preferential DESC, queued_at, issued_at, number LIMIT ?) AS f
                JOIN tickets AS t ON t.rowid = f.r
                ORDER BY f.preferential DESC, f.queued_at, f.issued_at, f.number""",
            (*params, limit))
        return [ticket_from_values(values) for values in cursor.fetchall()]

    def line_summary(self) -> dict[str, tuple[int, int, float]]:
        """Per service with someone waiting: (waiting, preferential waiting, oldest
        queued_at). Counts come from ``line_counts``; the oldest is one index seek."""
        counts: dict[str, list[int]] = {}
        for r in self._all("SELECT service, preferential, waiting FROM line_counts "
                           "WHERE waiting > 0"):
            counts.setdefault(r[0], [0, 0])[int(r[1])] += int(r[2])
        out: dict[str, tuple[int, int, float]] = {}
        for service, (general, preferential) in counts.items():
            oldest = self._one("SELECT MIN(queued_at) FROM tickets "
                               "WHERE status = 'waiting' AND service = ?", (service,))
            assert oldest is not None  # an aggregate always answers one row
            out[service] = (general + preferential, preferential, float(oldest[0]))
        return out

    def count_ahead(self, t: Ticket) -> int:
        """People ahead of ``t`` in its service under strict priority. This is the SQL mirror
        of ``server.queue.policy.rank_in_line`` (kept equal by a property test) so issuing a
        ticket does not read the whole line."""
        row = self._one(
            """SELECT
                 (SELECT COALESCE(SUM(waiting), 0) FROM line_counts
                  WHERE service = :service AND preferential = 1 AND :preferential = 0)
               + (SELECT COUNT(*) FROM tickets
                  WHERE status = 'waiting' AND service = :service
                    AND (group_code IS NOT NULL) = :preferential
                    AND (queued_at, issued_at, number) < (:queued_at, :issued_at, :number))""",
            {"service": t.service, "preferential": int(t.preferential),
             "queued_at": t.queued_at, "issued_at": t.issued_at, "number": t.number},
        )
        return int(row[0]) if row else 0

    def count_ahead_from_back(self, t: Ticket) -> int:
        """``count_ahead`` counted from the other end, for a ``t`` stored as waiting: its class
        in ``line_counts`` less the tickets behind it. A ticket just issued is at the back of
        its line, so this reads one index entry where ``count_ahead`` reads the whole class
        (a line of 1,000 made that count a third of the issue's work on the writer)."""
        row = self._one(
            """SELECT
                 (SELECT COALESCE(SUM(waiting), 0) FROM line_counts
                  WHERE service = :service
                    AND (preferential = :preferential
                         OR (preferential = 1 AND :preferential = 0)))
               - 1
               - (SELECT COUNT(*) FROM tickets
                  WHERE status = 'waiting' AND service = :service
                    AND (group_code IS NOT NULL) = :preferential
                    AND (queued_at, issued_at, number) > (:queued_at, :issued_at, :number))""",
            {"service": t.service, "preferential": int(t.preferential),
             "queued_at": t.queued_at, "issued_at": t.issued_at, "number": t.number},
        )
        return int(row[0]) if row else 0

    def in_hand(self, counter: int) -> Ticket | None:
        """The ticket called or being served at ``counter``. Found through the status (a
        handful of tickets are in hand at any time), not the counter: ``+counter`` keeps
        SQLite off the counter's index, which holds every ticket it ever served."""
        row = self._one(
            "SELECT * FROM tickets WHERE status IN ('called', 'serving') AND +counter = ?",
            (counter,),
        )
        return ticket_from_row(row) if row else None

    def active_before_day(self, day: str) -> list[Ticket]:
        rows = self._all(
            "SELECT * FROM tickets WHERE status IN ('waiting', 'called', 'serving') AND day < ?",
            (day,),
        )
        return [ticket_from_row(r) for r in rows]

    def past_attentions(self, service: str, before_day: str, days: int,
                        hours: tuple[int, int] | None) -> list[tuple[float, float | None]]:
        """(call → end, start → end) seconds of the served and no-show tickets of a service
        on its last ``days`` working days before ``before_day``, issued within ``hours``
        (inclusive; None = all day): what the wait estimate learns from."""
        first = self._one(
            """SELECT day FROM (SELECT DISTINCT day FROM tickets
                                WHERE service = ? AND day < ? ORDER BY day DESC LIMIT ?)
               ORDER BY day LIMIT 1""", (service, before_day, days))
        if first is None:
            return []
        sql = """SELECT finished_at - called_at, finished_at - started_at FROM tickets
                 WHERE service = ? AND day >= ? AND day < ?
                   AND outcome IN ('served', 'no_show')
                   AND called_at IS NOT NULL AND finished_at IS NOT NULL"""
        params: list[object] = [service, first[0], before_day]
        if hours is not None:
            sql += " AND hour BETWEEN ? AND ?"
            params += list(hours)
        return [(float(r[0]), None if r[1] is None else float(r[1]))
                for r in self._all(sql, params)]

    def tickets_of_day(self, day: str, status: Status, services: tuple[str, ...] | None = None,
                       limit: int = 200) -> list[Ticket]:
        """Tickets of ``day`` in ``status``, most recently finished (or issued) first,
        optionally only of some services (e.g. the no-shows a clerk may bring back)."""
        sql = "SELECT * FROM tickets WHERE day = ? AND status = ?"
        params: list[object] = [day, str(status)]
        if services is not None:
            if not services:
                return []
            sql += f" AND service IN ({', '.join('?' for _ in services)})"
            params.extend(services)
        sql += " ORDER BY COALESCE(finished_at, called_at, issued_at) DESC LIMIT ?"
        params.append(limit)
        return [ticket_from_row(r) for r in self._all(sql, params)]


class TicketWrites(Queries):
    def insert_ticket(self, t: Ticket, hour: int, weekday: int,
                      request_id: str | None = None) -> None:
        cols = ", ".join(TICKET_COLUMNS) + ", hour, weekday, request_id"
        marks = ", ".join("?" for _ in range(len(TICKET_COLUMNS) + 3))
        self.conn.execute(
            f"INSERT INTO tickets ({cols}) VALUES ({marks})",
            (*ticket_values(t), hour, weekday, request_id),
        )

    def save_ticket(self, t: Ticket) -> None:
        sets = ", ".join(f"{c} = ?" for c in TICKET_COLUMNS[1:])
        self.conn.execute(
            f"UPDATE tickets SET {sets} WHERE id = ?", (*ticket_values(t)[1:], t.id)
        )

    def set_print_status(self, ticket_id: str, status: str) -> None:
        self.conn.execute("UPDATE tickets SET print_status = ? WHERE id = ?", (status, ticket_id))
