"""Read-only queries for statistics, exports and the supervisor's live view.

They run on a read connection (``ReadPool``), never on the writer thread: a year's export or
summary must not hold up a kiosk issuing a ticket. WAL lets them read a consistent
snapshot while the writer commits. Aggregation that SQL does well (counting per group) is done
here; durations are handed out per ticket for the pure percentile code.

Every dimension and filter is a fixed SQL fragment chosen from a table below, with values as
parameters: nothing from a request is pasted into SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from server.queue.stats_query import GROUP_GENERAL, GROUP_PREFERENTIAL, StatsQuery
from server.storage.base import Queries

_KEY_SQL = {
    "service": "t.service",
    "counter": "t.counter",
    "clerk": "t.clerk",
    "group": "t.group_code",
    "hour": "t.hour",
    "day": "t.day",
    "weekday": "t.weekday",
    "total": "NULL",
}
_CHAR_KEY_SQL = ("(SELECT c.answer FROM ticket_characterization c "
                 "WHERE c.ticket_id = t.id AND c.question = ?)")


@dataclass(frozen=True)
class Selection:
    """A ``StatsQuery`` plus what SQL needs from the configuration: each service's target
    wait in seconds (``default_target_s`` for services no longer configured)."""

    query: StatsQuery
    targets_s: Mapping[str, float]
    default_target_s: float = 15 * 60
    #: Only these days of the query's range (those without a fresh rollup); None: all.
    days: tuple[str, ...] | None = None

    def targets_text(self) -> str:
        """The targets as one canonical text: a rollup built with other targets is stale."""
        return json.dumps([sorted(self.targets_s.items()), self.default_target_s])

    def where(self, mark: Callable[[Any], str] | None = None) -> tuple[str, list[Any]]:
        """The WHERE clause of the selection and its parameters, as ``?`` in order; with
        ``mark``, each parameter is handed to it instead and written as what it returns (a
        named parameter, say), and the list comes back empty."""
        params: list[Any] = []

        def p(value: Any) -> str:
            if mark is not None:
                return mark(value)
            params.append(value)
            return "?"

        q, f = self.query, self.query.filters
        if self.days is None:
            clauses = [f"t.day BETWEEN {p(q.start.isoformat())} AND {p(q.end.isoformat())}"]
        else:
            clauses = [f"t.day IN (SELECT value FROM json_each({p(json.dumps(self.days))}))"]
        if f.service:
            clauses.append(f"t.service = {p(f.service)}")
        if f.counter is not None:
            clauses.append(f"t.counter = {p(f.counter)}")
        if f.clerk:
            clauses.append(f"t.clerk = {p(f.clerk)}")
        if f.group == GROUP_GENERAL:
            clauses.append("t.group_code IS NULL")
        elif f.group == GROUP_PREFERENTIAL:
            clauses.append("t.group_code IS NOT NULL")
        elif f.group:
            clauses.append(f"t.group_code = {p(f.group)}")
        for question, answer in f.characterization:
            clauses.append("EXISTS (SELECT 1 FROM ticket_characterization c WHERE "
                           f"c.ticket_id = t.id AND c.question = {p(question)} "
                           f"AND c.answer = {p(answer)})")
        return " AND ".join(clauses), params

    def key(self, by: str) -> tuple[str, list[Any]]:
        if by.startswith("char:"):
            return _CHAR_KEY_SQL, [by[len("char:"):]]
        return _KEY_SQL[by], []

    def target(self) -> tuple[str, list[Any]]:
        if not self.targets_s:
            return "?", [self.default_target_s]
        whens = " ".join("WHEN ? THEN ?" for _ in self.targets_s)
        params: list[Any] = []
        for code, seconds in self.targets_s.items():
            params += [code, seconds]
        return f"(CASE t.service {whens} ELSE ? END)", [*params, self.default_target_s]


#: Separates "question=answer" pairs in the characterization column (ASCII unit separator).
PAIR_SEP = "\x1f"

ALERT_KINDS = ("printer.failed", "hardware.display_lost", "hardware.buttons_lost")


class StatsReads(Queries):
    """Statistics queries; used on a read connection inside one read transaction."""

    def _tuples(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """A cursor yielding plain tuples: a year's export builds no row objects."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, params)

    def group_counts(self, sel: Selection, by: str, per_day: bool = False
                     ) -> Iterator[tuple[Any, ...]]:
        """Rows (key, preferential, issued, served, no_show, transferred, not_attended, cancelled,
        in_progress, called, within_target, rated 1, …, rated 5) per key and class (with
        ``per_day``, per day too: the day comes first)."""
        key, key_params = sel.key(by)
        target, target_params = sel.target()
        where, params = sel.where()
        day = "t.day AS d, " if per_day else ""
        sql = f"""
            SELECT {day}{key} AS k, t.group_code IS NOT NULL AS pref,
                   COUNT(*), SUM(t.outcome = 'served'), SUM(t.outcome = 'no_show'),
                   SUM(t.transfers > 0), SUM(t.outcome = 'not_attended'),
                   SUM(t.outcome = 'cancelled'), SUM(t.outcome IS NULL),
                   SUM(t.first_called_at IS NOT NULL),
                   SUM(t.first_called_at - t.issued_at <= {target}),
                   SUM(t.satisfaction = 1), SUM(t.satisfaction = 2), SUM(t.satisfaction = 3),
                   SUM(t.satisfaction = 4), SUM(t.satisfaction = 5)
            FROM tickets t WHERE {where} GROUP BY {"d, " if per_day else ""}k, pref"""
        yield from self._tuples(sql, [*key_params, *target_params, *params])

    def _durations(self, sel: Selection, by: str, seconds: str, condition: str,
                   per_day: bool) -> Iterator[tuple[Any, ...]]:
        key, key_params = sel.key(by)
        where, params = sel.where()
        day = "t.day, " if per_day else ""
        yield from self._tuples(
            f"""SELECT {day}{key}, t.group_code IS NOT NULL, {seconds}
                FROM tickets t WHERE {where} AND {condition}""",
            [*key_params, *params])

    def wait_seconds(self, sel: Selection, by: str, per_day: bool = False
                     ) -> Iterator[tuple[Any, ...]]:
        """([day,] key, preferential, first call − issue) for every ticket that was called."""
        return self._durations(sel, by, "t.first_called_at - t.issued_at",
                               "t.first_called_at IS NOT NULL", per_day)

    def service_seconds(self, sel: Selection, by: str, per_day: bool = False
                        ) -> Iterator[tuple[Any, ...]]:
        """([day,] key, preferential, finish − start) for every served ticket."""
        return self._durations(sel, by, "t.finished_at - t.started_at",
                               "t.outcome = 'served' AND t.started_at IS NOT NULL "
                               "AND t.finished_at IS NOT NULL", per_day)

    def day_counts(self, day: str) -> dict[str, int]:
        """Today's totals for the live view."""
        row = self._tuples(
            """SELECT COUNT(*), SUM(outcome = 'served'), SUM(outcome = 'no_show'),
                      SUM(outcome = 'cancelled'), SUM(outcome = 'not_attended'),
                      SUM(status = 'waiting'), SUM(status IN ('called', 'serving')),
                      SUM(transfers > 0), COUNT(satisfaction), SUM(satisfaction)
               FROM tickets WHERE day = ?""", (day,)).fetchone()
        names = ("issued", "served", "no_show", "cancelled", "not_attended", "waiting",
                 "in_progress", "transferred", "ratings", "rating_sum")
        return {n: int(v or 0) for n, v in zip(names, row, strict=True)}

    def alerts_since(self, since: float, limit: int = 50
                     ) -> list[tuple[Any, ...]]:
        """(at, kind, device, detail JSON, ticket number) of printer and kiosk alerts, newest
        first: printer failures, hardware-bridge ports that stopped answering, and any event a
        kiosk records under a ``kiosk.`` kind."""
        marks = ", ".join("?" for _ in ALERT_KINDS)
        return list(self._tuples(
            f"""SELECT a.at, a.kind, a.actor, a.detail, t.number
                FROM audit_log a LEFT JOIN tickets t ON t.id = a.ticket_id
                WHERE a.at >= ? AND (a.kind IN ({marks}) OR a.kind BETWEEN 'kiosk.' AND 'kiosk.~')
                ORDER BY a.seq DESC LIMIT ?""",
            (since, *ALERT_KINDS, limit)))

    def user_names(self) -> list[tuple[str, str, str]]:
        """(username, display name, role) of every user, for labels and the clerk filter."""
        return list(self._tuples(
            "SELECT username, display_name, role FROM users ORDER BY display_name"))
