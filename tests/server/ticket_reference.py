"""The tickets export's rows cell by cell in Python (``ticket_records``, as the centre's export
still writes them): the reference the SQLite-written CSV and XLSX cells are compared with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from server.config import OfficeConfig
from server.queue.stats_query import StatsQuery
from server.queue.stats_tables import Labels, ticket_records
from server.services.statistics import issued_bounds, selection_of
from server.storage import Reader
from server.storage.stats import PAIR_SEP


def ticket_stream(cfg: OfficeConfig, r: Reader, query: StatsQuery, labels: Labels
                  ) -> Iterator[list[Any]]:
    """The export's rows for ``query`` through the per-row Python path."""
    rows = r.ticket_rows(selection_of(cfg, query), *issued_bounds(cfg, query.start, query.end))
    return ticket_records(rows, labels, cfg.tz, PAIR_SEP)
