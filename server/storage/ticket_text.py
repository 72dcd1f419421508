"""The tickets of a range as the CSV's text cells, or the XLSX's typed values, made by SQLite.

A year is ~240,000 rows of 23 cells: turning each into Python values and back into text cost
seconds of interpreter time per export. Here SQLite writes every cell as the text the CSV
shows (labels looked up, local times, minutes with two decimals and no trailing zeros,
formula-looking text quoted), so the caller hands the cursor's rows straight to
``csv.writer.writerows``. What to write comes in a ``TicketText`` built from the office's
configuration; every value goes in as a named parameter.

With ``TicketText.typed`` the same SQL gives the XLSX's values instead: dates as Excel serial
days and times as fractions of a day (REAL, what ``write_datetime`` stores), minutes rounded
to hundredths (REAL), labels as TEXT and NULL for every empty cell, so the workbook writer
does no Python work per cell.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from server.storage.base import Queries
from server.storage.stats import Selection


@dataclass(frozen=True)
class TicketText:
    """Everything the SQL needs beyond the rows: labels (already safe as cell text), the
    office's UTC offsets and the number style."""

    #: (kind, code, cell text); kinds: "service", "counter", "group", "user", "reason",
    #: "outcome", "status", "weekday" and "char:<question code>".
    labels: tuple[tuple[str, Any, str], ...]
    #: (service, target wait in minutes): "Dentro de la meta" compares the rounded wait.
    targets_min: tuple[tuple[str, int], ...]
    #: (question code, its label kind), one column each, in order.
    questions: tuple[tuple[str, str], ...]
    #: UTC offset (seconds) before the first change, and (POSIX second, new offset) changes.
    first_offset: int
    offset_changes: tuple[tuple[float, int], ...]
    #: The CSV's: a decimal comma (Excel set to Spanish) instead of a point.
    decimal_comma: bool
    #: The CSV's: text starting with one of these is what a spreadsheet runs as a formula,
    #: quoted (a workbook's strings are never formulas).
    formula_start: tuple[str, ...]
    #: The XLSX's typed values (serial days, day fractions, REAL minutes, NULL for empty)
    #: instead of the CSV's text; ``decimal_comma`` and ``formula_start`` do not apply.
    typed: bool = False


class _Sql:
    """The column expressions of one export, with their named parameters."""

    def __init__(self, text: TicketText) -> None:
        self.params: dict[str, Any] = {"first_offset": text.first_offset}
        starts = () if text.typed else text.formula_start
        self.marks = ", ".join(self.param(f"f{i}", ch) for i, ch in enumerate(starts))
        self.changes = []
        previous = text.first_offset
        for i, (at, off) in enumerate(text.offset_changes):
            self.changes.append((self.param(f"at{i}", at), self.param(f"off{i}", previous)))
            previous = off
        self.params["last_offset"] = previous
        self.decimal_comma = text.decimal_comma
        self.typed = text.typed
        self.by_kind: dict[str, list[tuple[Any, Any]]] = {}
        for kind, code, name in text.labels:
            self.by_kind.setdefault(kind, []).append((code, name))
        for code, minutes in text.targets_min:
            self.by_kind.setdefault("target", []).append((code, minutes))

    def param(self, name: str, value: Any) -> str:
        self.params[name] = value
        return f":{name}"

    def safe(self, expr: str) -> str:
        if not self.marks:
            return expr
        return (f"(CASE WHEN substr({expr}, 1, 1) IN ({self.marks}) "
                f"THEN '''' || {expr} ELSE {expr} END)")

    def label(self, kind: str, code: str, fallback: str) -> str:
        return f"coalesce({self.lookup(kind, code)}, {fallback})"

    def lookup(self, kind: str, code: str) -> str:
        """A CASE over the kind's codes: an office has tens of services, counters and users,
        and the comparisons cost less than a subquery per cell (1.45 s against 2.0 s of SQL
        for the generated year)."""
        pairs = self.by_kind.get(kind, [])
        if not pairs:
            return "NULL"
        whens = []
        for code_value, name in pairs:
            i = len(self.params)
            whens.append(f"WHEN {self.param(f'c{i}', code_value)} THEN {self.param(f'v{i}', name)}")
        return f"(CASE {code} {' '.join(whens)} END)"

    def label_or_empty(self, kind: str, code: str) -> str:
        """The label of a code, its safe text when it has none, empty when there is none."""
        return f"CASE WHEN {code} != '' THEN {self.label(kind, code, self.safe(code))} END"

    def text(self, expr: str) -> str:
        """A text cell; typed, an empty one is NULL (an empty cell in the workbook)."""
        return f"NULLIF({expr}, '')" if self.typed else expr

    def day(self, iso: str) -> str:
        """The ISO date as is, or typed as Excel's serial day (1900 system)."""
        return f"(julianday({iso}) - julianday('1899-12-30'))" if self.typed else iso

    def clock(self, ts: str) -> str:
        """int(ts + offset) % 86400 as HH:MM:SS: what ``LocalClock.time`` gives; typed,
        the same second as Excel's fraction of a day."""
        if self.changes:
            whens = " ".join(f"WHEN {ts} < {at} THEN {off}" for at, off in self.changes)
            offset = f"(CASE {whens} ELSE :last_offset END)"
        else:
            offset = ":first_offset"
        if self.typed:
            return f"(CAST({ts} + {offset} AS INTEGER) % 86400 / 86400.0)"
        return f"time(CAST({ts} + {offset} AS INTEGER), 'unixepoch')"

    @staticmethod
    def exact_half(v: str) -> str:
        """v is exactly half a hundredth away from two hundredths (a double is so only when
        v * 8 is an odd integer): Python rounds it to even, printf away from zero."""
        return f"({v} * 8 = CAST({v} * 8 AS INTEGER) AND CAST({v} * 8 AS INTEGER) % 2 != 0)"

    def hundredths(self, v: str) -> str:
        """round(v, 2) * 100 as an integer, rounded as Python rounds (half to even)."""
        return (f"(CASE WHEN {self.exact_half(v)} "
                f"THEN (CASE WHEN {v} < 0 THEN -1 ELSE 1 END) "
                f"* (CAST(abs({v}) * 100 AS INTEGER) + CAST(abs({v}) * 100 AS INTEGER) % 2) "
                f"ELSE CAST(replace(printf('%.2f', {v}), '.', '') AS INTEGER) END)")

    def minutes(self, v: str) -> str:
        """f"{round(v, 2):.2f}".rstrip("0").rstrip("."), with the office's decimal mark
        (NULL stays NULL); typed, round(v, 2) itself (the double nearest the hundredths)."""
        if self.typed:
            return f"CASE WHEN {v} IS NOT NULL THEN {self.hundredths(v)} / 100.0 END"
        n = f"abs({self.hundredths(v)})"
        half = (f"(CASE WHEN {v} < 0 THEN '-' ELSE '' END || ({n} / 100) || "
                f"CASE WHEN {n} % 100 = 0 THEN '' "
                f"WHEN {n} % 10 = 0 THEN '.' || ({n} % 100 / 10) "
                f"ELSE '.' || printf('%02d', {n} % 100) END)")
        text = (f"CASE WHEN {self.exact_half(v)} THEN {half} "
                f"ELSE rtrim(rtrim(printf('%.2f', {v}), '0'), '.') END")
        if self.decimal_comma:
            text = f"replace({text}, '.', ',')"
        return f"CASE WHEN {v} IS NOT NULL THEN {text} END"


class TicketTextReads(Queries):
    def ticket_text_rows(self, sel: Selection, issued_from: float, issued_before: float,
                         text: TicketText) -> sqlite3.Cursor:
        """One tuple of cell texts (None: an empty cell) per ticket, oldest first, as a
        cursor to fetch in chunks (a year never sits in memory). The same tickets in the
        same order and with the same cells as ``ticket_records`` over the same tickets
        written by the CSV module; with ``text.typed``, the values the XLSX writes."""
        q = _Sql(text)
        tickets = _tickets_issued(sel, q.params)
        wait = "((t.first_called_at - t.issued_at) / 60.0)"
        service = ("(CASE WHEN t.outcome = 'served' "
                   "THEN (t.finished_at - t.started_at) / 60.0 END)")
        target = q.lookup("target", "t.service")
        t = q.text
        cols = [
            t(q.safe("t.number")), q.day("t.day"),
            t(q.label("weekday", "t.weekday", q.safe("CAST(t.weekday AS TEXT)"))),
            q.clock("t.issued_at"),
            t(q.label("service", "t.service", q.safe("t.service"))),
            t(q.label_or_empty("group", "t.group_code")),
            "CASE WHEN t.group_code != '' THEN 'Sí' ELSE 'No' END",
            t(q.label("counter", "t.counter", q.safe("CAST(t.counter AS TEXT)"))),
            t(q.label_or_empty("user", "t.clerk")),
            q.clock("t.first_called_at"), q.clock("t.started_at"), q.clock("t.finished_at"),
            q.minutes(wait), q.minutes(service),
            f"CASE WHEN {wait} IS NULL OR {target} IS NULL THEN NULL "
            f"WHEN {q.hundredths(wait)} <= 100 * {target} THEN 'Sí' ELSE 'No' END",
            t(f"CASE WHEN t.outcome != '' THEN {q.label('outcome', 't.outcome', repr(''))} "
              f"ELSE {q.label('status', 't.status', q.safe('t.status'))} END"),
            "t.transfers", "t.call_count", "t.satisfaction",
            t(q.label_or_empty("reason", "t.satisfaction_reason")),
            t(q.label_or_empty("service", "t.first_service")),
            t(q.label("counter", "t.first_counter", q.safe("CAST(t.first_counter AS TEXT)"))),
            t(q.label_or_empty("user", "t.first_clerk")),
        ]
        for i, (question, kind) in enumerate(text.questions):
            answer = t(q.label(kind, "c.answer", q.safe("c.answer")))
            cols.append(f"(SELECT {answer} FROM ticket_characterization c "
                        f"WHERE c.ticket_id = t.id AND c.question = {q.param(f'q{i}', question)})")
        q.params.update({"from": issued_from, "before": issued_before})
        sql = f"""SELECT {", ".join(cols)} {tickets} ORDER BY t.issued_at"""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, q.params)

    def ticket_text_count(self, sel: Selection, issued_from: float, issued_before: float
                          ) -> int:
        """How many rows ``ticket_text_rows`` gives for the same arguments (in the same read
        transaction): a workbook knows from it how many sheets the rows fill."""
        params: dict[str, Any] = {"from": issued_from, "before": issued_before}
        row = self.conn.execute(f"SELECT count(*) {_tickets_issued(sel, params)}",
                                params).fetchone()
        return int(row[0])


def _tickets_issued(sel: Selection, params: dict[str, Any]) -> str:
    """The FROM and WHERE of both queries above, which must select the same tickets (a
    workbook fails when its rows are not the ones counted): ``sel``'s tickets issued in
    [:from, :before), through the issue-time index; its values go into ``params``."""
    def mark(value: Any) -> str:
        name = f"w{len(params)}"
        params[name] = value
        return f":{name}"

    where, _ = sel.where(mark=mark)
    return ("FROM tickets t INDEXED BY tickets_issued_at "
            f"WHERE t.issued_at >= :from AND t.issued_at < :before AND {where}")
