"""Statistics use cases: summaries, the live view's numbers, filter choices and exports.

Reads run on the read pool (never on the event loop, never on the writer thread); a report
reads inside one read transaction, so all its figures come from the same data. An export is
streamed (CSV) or written to a temporary file (XLSX) so a year of tickets never fills memory.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from server.config import OfficeConfig
from server.errors import Invalid
from server.queue.indicators import Summary
from server.queue.stats_query import DIMENSIONS, StatsQuery
from server.queue.stats_tables import (
    FORMULA_START,
    SUMMARY_HEADER,
    Labels,
    dimension_records,
    offset_changes,
    overview_records,
    summary_json,
    text_labels,
    text_questions,
    ticket_cell_kinds,
    ticket_header,
)
from server.services import export, stats_rollups
from server.services.analytics import MIN_DAYS, Analytics
from server.services.office import Office
from server.services.stats_rollups import summarize_with_rollups
from server.storage import Reader, ReadPool, Store
from server.storage.stats import Selection
from server.storage.stats_rollups import DayRollup
from server.storage.ticket_text import TicketText

FORMATS = ("csv", "xlsx")
KINDS = ("tickets", "summary")
SEPARATORS = (None, "", "comma", "semicolon")
T = TypeVar("T")


@dataclass(frozen=True)
class ExportFile:
    """A finished export: CSV as byte ``chunks`` (streamed), or at ``path`` an XLSX or a long
    range's tickets CSV (a temporary file, sent with ``export.sent_once``)."""

    filename: str
    media_type: str
    chunks: Iterator[bytes] | None = None
    path: Path | None = None


def is_long(query: StatsQuery) -> bool:
    """A range long enough for the analytics process (a summary, a tickets export)."""
    return (query.end - query.start).days + 1 >= MIN_DAYS


def labels_of(cfg: OfficeConfig, r: Reader) -> Labels:
    return Labels(
        services={s.code: s.name for s in cfg.services},
        service_order=tuple(s.code for s in cfg.services),
        targets_min={s.code: s.target_wait_min for s in cfg.services},
        counters={c.number: c.name for c in cfg.counters},
        groups={g.code: g.name for g in cfg.groups},
        group_order=tuple(g.code for g in cfg.groups),
        users={u: name for u, name, _role in r.user_names()},
        characterization=cfg.characterization,
    )


def selection_of(cfg: OfficeConfig, query: StatsQuery) -> Selection:
    return Selection(query, {s.code: s.target_wait_min * 60.0 for s in cfg.services})


def summary_of(cfg: OfficeConfig, query: StatsQuery, today: str, r: Reader
               ) -> tuple[dict[str, Any], list[DayRollup]]:
    """The summary answer and the day rollups it built (module level: the analytics process
    runs it too)."""
    result, built = summarize_with_rollups(r, selection_of(cfg, query), query.by, today)
    return summary_json(result, query, labels_of(cfg, r)), built


def issued_bounds(cfg: OfficeConfig, start: date, end: date) -> tuple[float, float]:
    """The instants a range of the office's days starts and ends (its local midnights)."""
    tz = cfg.tz
    return (datetime.combine(start, time(0), tz).timestamp(),
            datetime.combine(end + timedelta(days=1), time(0), tz).timestamp())


#: Rows fetched from SQLite per ``writerows`` call of a CSV export.
CSV_BATCH = 2000
#: Called, started and finished times of a ticket fall on its own day (a day closes its
#: line); the UTC offsets the CSV needs are looked up this much past the range.
OFFSETS_PAST_RANGE_S = 2 * 86400


def ticket_text_batches(cfg: OfficeConfig, r: Reader, query: StatsQuery, labels: Labels,
                        spanish_excel: bool, typed: bool = False
                        ) -> Iterator[list[tuple[Any, ...]]]:
    """The tickets' CSV cells as SQLite writes them, in batches (flat memory); ``typed``,
    the XLSX's values instead (no formula quoting: workbook strings are never formulas)."""
    issued_from, issued_before = issued_bounds(cfg, query.start, query.end)
    first_offset, changes = offset_changes(cfg.tz, issued_from,
                                           issued_before + OFFSETS_PAST_RANGE_S)
    text = TicketText(labels=text_labels(labels, quoted=not typed),
                      targets_min=tuple(labels.targets_min.items()),
                      questions=text_questions(labels), first_offset=first_offset,
                      offset_changes=changes, decimal_comma=spanish_excel,
                      formula_start=FORMULA_START, typed=typed)
    cur = r.ticket_text_rows(selection_of(cfg, query), issued_from, issued_before, text)
    return iter(partial(cur.fetchmany, CSV_BATCH), [])


def ticket_csv_chunks(cfg: OfficeConfig, r: Reader, query: StatsQuery, spanish_excel: bool
                      ) -> Iterator[bytes]:
    """The tickets CSV of ``query`` as byte chunks, while ``r``'s transaction stays open."""
    labels = labels_of(cfg, r)
    return export.csv_text_chunks(ticket_header(labels),
                                  ticket_text_batches(cfg, r, query, labels, spanish_excel),
                                  spanish_excel=spanish_excel)


def tickets_csv_of(cfg: OfficeConfig, query: StatsQuery, spanish_excel: bool, path: str,
                   r: Reader) -> None:
    """Write the tickets CSV of ``query`` to ``path`` (module level: the analytics process
    runs it for long ranges); the same bytes as the chunks ``Statistics.csv`` streams."""
    with open(path, "wb") as out:
        out.writelines(ticket_csv_chunks(cfg, r, query, spanish_excel))


def ticket_text_count(cfg: OfficeConfig, r: Reader, query: StatsQuery) -> int:
    """How many rows ``ticket_text_batches`` gives for ``query`` in the same transaction."""
    return r.ticket_text_count(selection_of(cfg, query), *issued_bounds(cfg, query.start,
                                                                        query.end))


def export_dimensions(cfg: OfficeConfig) -> list[str]:
    """Every dimension a summary export breaks the indicators down by."""
    c = cfg.characterization
    extra = [f"char:{q.code}" for q in c.questions] if c.enabled else []
    return [*DIMENSIONS, *extra]


def summary_blocks(cfg: OfficeConfig, r: Reader, query: StatsQuery, today: str
                   ) -> tuple[list[tuple[str, Summary]], list[DayRollup]]:
    """The summary by every export dimension, and the day rollups built for them."""
    sel = selection_of(cfg, query)
    blocks, built = [], []
    for by in export_dimensions(cfg):
        summary, fresh = summarize_with_rollups(r, sel, by, today)
        blocks.append((by, summary))
        built += fresh
    return blocks, built


def xlsx_of(cfg: OfficeConfig, kind: str, query: StatsQuery, today: str, path: str,
            r: Reader) -> tuple[int, list[DayRollup]]:
    """Write the workbook to ``path``: the number of data rows and the day rollups built
    (module level: the analytics process runs it). The summary has a "Resumen" sheet
    (totals and classes) and one sheet per dimension."""
    labels = labels_of(cfg, r)
    if kind == "tickets":
        return export.write_typed_xlsx(
            Path(path), "Turnos", ticket_header(labels), ticket_cell_kinds(labels),
            ticket_text_batches(cfg, r, query, labels, False, typed=True),
            ticket_text_count(cfg, r, query)), []
    blocks, built = summary_blocks(cfg, r, query, today)
    sheets: list[tuple[str, Sequence[str], Any]] = [
        ("Resumen", SUMMARY_HEADER, overview_records(blocks[0][1]))]
    sheets += [(labels.dimension_name(by), SUMMARY_HEADER,
                dimension_records(by, summary, labels)) for by, summary in blocks]
    return export.write_xlsx(Path(path), sheets), built


#: Closed days a background warm-up builds rollups for (older ones: at first use).
WARM_DAYS = 400


def missing_rollups(cfg: OfficeConfig, by: str, today: str, r: Reader) -> list[DayRollup]:
    """The rollups of ``by`` that the closed days of the last WARM_DAYS lack (module level:
    the analytics process runs it)."""
    last = date.fromisoformat(today) - timedelta(days=1)
    query = StatsQuery(last - timedelta(days=WARM_DAYS - 1), last, by)
    return summarize_with_rollups(r, selection_of(cfg, query), by, today)[1]


class Statistics:
    def __init__(self, reads: ReadPool, office: Office,
                 analytics: Analytics | None = None, store: Store | None = None) -> None:
        """Without a ``store`` (a benchmark over a file it only reads), the rollups a summary
        builds are not kept."""
        self.reads = reads
        self.office = office
        self.analytics = analytics
        self.store = store
        self._warmed: str | None = None

    @property
    def config(self) -> OfficeConfig:
        return self.office.config

    # ------------------------------------------------------------------ helpers

    def labels(self, r: Reader) -> Labels:
        return labels_of(self.config, r)

    # ------------------------------------------------------------------ summaries

    async def summary(self, query: StatsQuery) -> dict[str, Any]:
        """Indicators of a range, one row per value of ``query.by``. Long ranges run in the
        analytics process (see ``server.services.analytics``), with the same code."""
        compute = functools.partial(summary_of, self.config, query, self.office.today())
        if self.analytics is not None and is_long(query):
            result, built = await self.analytics.run(compute)
        else:
            result, built = await self.reads.run(compute)
        await stats_rollups.keep(self.store, built)
        return result

    async def warm_rollups(self) -> int:
        """Once a day (and once after start), build the rollups the recent closed days lack,
        in the analytics process, so the first summary after a day ends (or after an
        upgrade) does not build them itself. Returns how many were built."""
        today = self.office.today()
        if self.analytics is None or self._warmed == today:
            return 0
        built = 0
        for by in export_dimensions(self.config):
            rollups = await self.analytics.run(
                functools.partial(missing_rollups, self.config, by, today))
            await stats_rollups.keep(self.store, rollups)
            built += len(rollups)
        self._warmed = today
        return built

    async def today(self) -> dict[str, Any]:
        """Today's totals and printer/kiosk alerts for the live view."""
        return await self.reads.run(lambda r: self._today_view(r, self.office.clock()))

    def _today_view(self, r: Reader, now: float) -> dict[str, Any]:
        tz = self.config.tz
        local = datetime.fromtimestamp(now, tz)
        midnight = datetime.combine(local.date(), time(0), tz).timestamp()
        counts: dict[str, Any] = dict(r.day_counts(local.date().isoformat()))
        alerts = [
            {"at": datetime.fromtimestamp(at, tz).isoformat(timespec="seconds"),
             "kind": kind, "device": device, "ticket": number,
             "message": json.loads(detail or "{}").get("message", "")}
            for at, kind, device, detail, number in r.alerts_since(midnight)
        ]
        ratings, rating_sum = counts.pop("ratings"), counts.pop("rating_sum")
        counts["satisfaction_average"] = round(rating_sum / ratings, 2) if ratings else None
        counts["satisfaction_answers"] = ratings
        return {"day": local.date().isoformat(), **counts, "alerts": alerts}

    async def options(self) -> dict[str, Any]:
        """What the history filters offer."""
        cfg = self.config
        users = await self.reads.run(lambda r: r.user_names())
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

    def csv(self, kind: str, query: StatsQuery, spanish_excel: bool) -> Iterator[bytes]:
        """The CSV as byte chunks; the read transaction stays open while they are consumed.
        The summary is one table: totals, classes, then one block per dimension."""
        cfg = self.config
        with self.reads.snapshot() as r:
            if kind == "tickets":
                yield from ticket_csv_chunks(cfg, r, query, spanish_excel)
                return
            labels = self.labels(r)
            blocks, built = summary_blocks(cfg, r, query, self.office.today())
            stats_rollups.keep_sync(self.store, built)
            records = overview_records(blocks[0][1])
            for by, summary in blocks:
                records += dimension_records(by, summary, labels)
            yield from export.csv_chunks(SUMMARY_HEADER, records, spanish_excel=spanish_excel)

    def xlsx(self, kind: str, query: StatsQuery, path: Path) -> int:
        """Write the workbook to ``path``; returns the number of data rows. In the analytics
        process when there is one (a year's workbook is seconds of per-cell work that would
        hold this process's interpreter lock against the kiosks)."""
        written, built = self._write_file(
            partial(xlsx_of, self.config, kind, query, self.office.today(), str(path)))
        stats_rollups.keep_sync(self.store, built)
        return written

    async def export(self, query: StatsQuery, fmt: str = "csv", kind: str = "tickets",
                     sep: str | None = None) -> ExportFile:
        """The tickets or the indicators of a range as CSV (UTF-8 with BOM; streamed, or for a
        long range's tickets written to a temporary file) or XLSX (a temporary file). The
        files are written in the analytics process when there is one."""
        if fmt not in FORMATS:
            raise Invalid(f"Formato {fmt!r} no válido; use csv o xlsx.")
        if kind not in KINDS:
            raise Invalid(f"Tipo {kind!r} no válido; use tickets o summary.")
        if sep not in SEPARATORS:
            raise Invalid(f"Separador {sep!r} no válido; use comma o semicolon.")
        filename = self.filename(kind, query, fmt)
        spanish_excel = sep == "semicolon"
        if fmt == "csv" and kind == "tickets" and is_long(query):
            # Written whole (in the analytics process) and then sent: streamed from here, a
            # year's rows held this process's interpreter lock against the kiosks (p99 up to
            # 2.7x idle, docs/benchmarks.md).
            path = await export.written_file(partial(self.tickets_csv, query, spanish_excel),
                                             "turnero-", ".csv")
            return ExportFile(filename, export.CSV_MEDIA_TYPE, path=path)
        if fmt == "csv":
            return ExportFile(filename, export.CSV_MEDIA_TYPE,
                              chunks=self.csv(kind, query, spanish_excel))
        path = await export.written_file(partial(self.xlsx, kind, query), "turnero-", ".xlsx")
        return ExportFile(filename, export.XLSX_MEDIA_TYPE, path=path)

    def tickets_csv(self, query: StatsQuery, spanish_excel: bool, path: Path) -> None:
        """Write the tickets CSV to ``path``: in the analytics process when there is one (a
        long range's rows would hold this process's interpreter lock against the kiosks)."""
        self._write_file(partial(tickets_csv_of, self.config, query, spanish_excel, str(path)))

    def _write_file(self, write: Callable[[Reader], T]) -> T:
        """Run an export file's ``write`` (from a worker thread) in the analytics process, or
        over a snapshot here when there is none (a benchmark over a file it only reads)."""
        if self.analytics is not None:
            return self.analytics.run_sync(write)
        with self.reads.snapshot() as r:
            return write(r)
