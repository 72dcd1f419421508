"""Statistics use cases: summaries, the live view's numbers, filter choices and exports.

Each method is synchronous and opens its own read connection: routes run them in a worker
thread (never on the event loop, never on the store's writer thread)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from server.config import OfficeConfig
from server.stats import export
from server.stats.indicators import Summary, summarize
from server.stats.query import DIMENSIONS, StatsQuery
from server.stats.tables import (
    SUMMARY_HEADER,
    Labels,
    dimension_records,
    overview_records,
    summary_json,
    ticket_header,
    ticket_records,
)
from server.storage import stats_queries as sq


class StatsService:
    def __init__(self, db_path: Path, config: OfficeConfig) -> None:
        self.db_path = db_path
        self.config = config

    # ------------------------------------------------------------------ helpers

    def _snapshot(self) -> AbstractContextManager[sqlite3.Connection]:
        """One read transaction: every query of a report sees the same data."""
        return sq.read_snapshot(self.db_path)

    def labels(self, conn: sqlite3.Connection) -> Labels:
        cfg = self.config
        return Labels(
            services={s.code: s.name for s in cfg.services},
            service_order=tuple(s.code for s in cfg.services),
            targets_min={s.code: s.target_wait_min for s in cfg.services},
            counters={c.number: c.name for c in cfg.counters},
            groups={g.code: g.name for g in cfg.groups},
            group_order=tuple(g.code for g in cfg.groups),
            users={u: name for u, name, _role in sq.user_names(conn)},
            characterization=cfg.characterization,
        )

    def _selection(self, query: StatsQuery) -> sq.Selection:
        return sq.Selection(query, {s.code: s.target_wait_min * 60.0
                                    for s in self.config.services})

    @staticmethod
    def _summarize(conn: sqlite3.Connection, sel: sq.Selection, by: str) -> Summary:
        return summarize(
            ((k, p, values) for k, p, *values in sq.group_counts(conn, sel, by)),
            sq.wait_seconds(conn, sel, by),
            sq.service_seconds(conn, sel, by),
        )

    def _bounds(self, start: date, end: date) -> tuple[float, float]:
        tz = self.config.tz
        return (datetime.combine(start, time(0), tz).timestamp(),
                datetime.combine(end + timedelta(days=1), time(0), tz).timestamp())

    # ------------------------------------------------------------------ summaries

    def summary(self, query: StatsQuery) -> dict[str, Any]:
        with self._snapshot() as conn:
            summary = self._summarize(conn, self._selection(query), query.by)
            return summary_json(summary, query, self.labels(conn))

    def today(self, now: float) -> dict[str, Any]:
        """Today's totals and printer/kiosk alerts for the live view."""
        tz = self.config.tz
        local = datetime.fromtimestamp(now, tz)
        midnight = datetime.combine(local.date(), time(0), tz).timestamp()
        with self._snapshot() as conn:
            counts = sq.day_counts(conn, local.date().isoformat())
            alerts = [
                {"at": datetime.fromtimestamp(at, tz).isoformat(timespec="seconds"),
                 "kind": kind, "device": device, "ticket": number,
                 "message": json.loads(detail or "{}").get("message", "")}
                for at, kind, device, detail, number in sq.alerts_since(conn, midnight)
            ]
        ratings, rating_sum = counts.pop("ratings"), counts.pop("rating_sum")
        counts["satisfaction_average"] = round(rating_sum / ratings, 2) if ratings else None
        counts["satisfaction_answers"] = ratings
        return {"day": local.date().isoformat(), **counts, "alerts": alerts}

    def options(self) -> dict[str, Any]:
        """What the history filters offer."""
        cfg = self.config
        with self._snapshot() as conn:
            users = sq.user_names(conn)
        return {
            "services": [{"code": s.code, "name": s.name, "target_wait_min": s.target_wait_min}
                         for s in cfg.services],
            "counters": [{"number": c.number, "name": c.name} for c in cfg.counters],
            "groups": [{"code": g.code, "name": g.name} for g in cfg.groups],
            "clerks": [{"username": u, "name": name} for u, name, role in users
                       if role in ("clerk", "supervisor", "admin")],
            "characterization": {
                "enabled": cfg.characterization.enabled,
                "questions": [{"code": q.code, "text": q.text,
                               "options": [{"code": o.code, "label": o.label}
                                           for o in q.choices]}
                              for q in cfg.characterization.questions],
            },
            "dimensions": list(DIMENSIONS),
        }

    # ------------------------------------------------------------------ exports

    @staticmethod
    def filename(kind: str, query: StatsQuery, fmt: str) -> str:
        what = "turnos" if kind == "tickets" else "indicadores"
        return f"{what}_{query.start.isoformat()}_{query.end.isoformat()}.{fmt}"

    def _ticket_stream(self, conn: sqlite3.Connection, query: StatsQuery, labels: Labels
                       ) -> Iterator[list[Any]]:
        sel = self._selection(query)
        rows = sq.ticket_rows(conn, sel, *self._bounds(query.start, query.end))
        return ticket_records(rows, labels, self.config.tz, sq.PAIR_SEP)

    def _summary_blocks(self, conn: sqlite3.Connection, query: StatsQuery,
                        dims: Sequence[str]) -> list[tuple[str, Summary]]:
        sel = self._selection(query)
        return [(by, self._summarize(conn, sel, by)) for by in dims]

    def _dims(self) -> list[str]:
        """Every dimension a summary export breaks the indicators down by."""
        c = self.config.characterization
        extra = [f"char:{q.code}" for q in c.questions] if c.enabled else []
        return [*DIMENSIONS, *extra]

    def csv(self, kind: str, query: StatsQuery, spanish_excel: bool) -> Iterator[bytes]:
        """The CSV as byte chunks; the read transaction stays open while they are consumed.
        The summary is one table: totals, classes, then one block per dimension."""
        with self._snapshot() as conn:
            labels = self.labels(conn)
            if kind == "tickets":
                yield from export.csv_chunks(ticket_header(labels),
                                             self._ticket_stream(conn, query, labels),
                                             spanish_excel=spanish_excel)
                return
            blocks = self._summary_blocks(conn, query, self._dims())
            records = overview_records(blocks[0][1])
            for by, summary in blocks:
                records += dimension_records(by, summary, labels)
            yield from export.csv_chunks(SUMMARY_HEADER, records, spanish_excel=spanish_excel)

    def xlsx(self, kind: str, query: StatsQuery, path: Path) -> int:
        """Write the workbook to ``path``; returns the number of data rows. The summary has a
        "Resumen" sheet (totals and classes) and one sheet per dimension."""
        with self._snapshot() as conn:
            labels = self.labels(conn)
            if kind == "tickets":
                return export.write_xlsx(path, [("Turnos", ticket_header(labels),
                                                 self._ticket_stream(conn, query, labels))])
            blocks = self._summary_blocks(conn, query, self._dims())
            sheets: list[tuple[str, Sequence[str], Any]] = [
                ("Resumen", SUMMARY_HEADER, overview_records(blocks[0][1]))]
            sheets += [(labels.dimension_name(by), SUMMARY_HEADER,
                        dimension_records(by, summary, labels)) for by, summary in blocks]
            return export.write_xlsx(path, sheets)
