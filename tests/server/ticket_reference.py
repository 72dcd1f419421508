"""The tickets export's rows cell by cell in Python (``ticket_records``, as the centre's export
still writes them): the reference the SQLite-written CSV and XLSX cells are compared with.
The query below is the export's query before SQLite wrote the cells; no production code
reads tickets this way any more, so it lives with the tests that compare against it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from server.config import OfficeConfig
from server.queue.stats_query import StatsQuery
from server.queue.stats_tables import Labels, ticket_records
from server.services.statistics import issued_bounds, selection_of
from server.storage import Reader
from server.storage.stats import PAIR_SEP, Selection


def ticket_stream(cfg: OfficeConfig, r: Reader, query: StatsQuery, labels: Labels
                  ) -> Iterator[list[Any]]:
    """The export's rows for ``query`` through the per-row Python path."""
    rows = ticket_rows(r, selection_of(cfg, query),
                       *issued_bounds(cfg, query.start, query.end))
    return ticket_records(rows, labels, cfg.tz, PAIR_SEP)


def ticket_rows(r: Reader, sel: Selection, issued_from: float, issued_before: float
                ) -> Iterator[tuple[Any, ...]]:
    """One tuple per ticket in the columns ``ticket_records`` unpacks, oldest first."""
    where, params = sel.where()
    yield from r.conn.execute(
        f"""SELECT t.number, t.day, t.weekday, t.issued_at, t.service, t.group_code,
                   t.counter, t.clerk, t.first_called_at, t.started_at, t.finished_at,
                   t.status, t.outcome, t.transfers, t.call_count, t.satisfaction,
                   t.satisfaction_reason,
                   (SELECT group_concat(c.question || '=' || c.answer, char(31))
                      FROM ticket_characterization c WHERE c.ticket_id = t.id),
                   t.first_service, t.first_counter, t.first_clerk
            FROM tickets t INDEXED BY tickets_issued_at
            WHERE t.issued_at >= ? AND t.issued_at < ? AND {where}
            ORDER BY t.issued_at""",
        [issued_from, issued_before, *params])
