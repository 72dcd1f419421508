"""Turnero's summaries against DuckDB on the same data, side by side, with the figures checked.

A generated year (``bench.stats_stall.year_history``) is read from SQLite through Python into
an in-memory DuckDB table (DuckDB's sqlite extension is not available offline; the load is
timed apart and is not part of the comparison). Then, for the last month and the whole year,
by service, side by side:

- Turnero as the API answers (``Statistics.summary``: closed days from the daily rollups,
  the year in the analytics process), with its rollups stored; the first call, which builds
  them from the tickets, is printed apart;
- Turnero ticket by ticket (every duration streamed into Python: the path before the
  rollups, still the one for filtered summaries);
- the same figures in one DuckDB query (counts, mean/median/p90/max of waits and service
  times, ``quantile_cont`` = the same linear interpolation).

Best of 5 each, alternating; the figures must be equal (minutes rounded to 2 decimals, as the
API gives them).

    python -m bench.duckdb_reference [--per-day 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sqlite3
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from bench.stats_stall import year_history
from server.config import DEMO_CONFIG, load_config
from server.queue.stats_query import StatsQuery
from server.queue.stats_tables import summary_json
from server.services.analytics import Analytics
from server.services.office import Office, OfficeSettings
from server.services.statistics import Statistics, labels_of, selection_of
from server.services.stats_rollups import summarize_raw
from server.storage import Reader, ReadPool, Store

COLUMNS = ("day", "service", "outcome", "issued_at", "first_called_at", "started_at",
           "finished_at")

DUCK_SQL = """
    WITH w AS (SELECT service, outcome,
                      first_called_at - issued_at AS wait,
                      CASE WHEN outcome = 'served' AND started_at IS NOT NULL
                           AND finished_at IS NOT NULL THEN finished_at - started_at END AS svc
               FROM t WHERE day BETWEEN ? AND ?)
    SELECT service, COUNT(*), COUNT(*) FILTER (WHERE outcome = 'served'),
           COUNT(wait), AVG(wait), quantile_cont(wait, 0.5), quantile_cont(wait, 0.9), MAX(wait),
           COUNT(svc), AVG(svc), quantile_cont(svc, 0.5), quantile_cont(svc, 0.9), MAX(svc)
    FROM w GROUP BY service ORDER BY service"""


def minutes(v: float | None) -> float | None:
    return None if v is None else round(v / 60.0, 2)


def duck_figures(rows: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {r[0]: (r[1], r[2], r[3], *map(minutes, r[4:8]), r[8], *map(minutes, r[9:13]))
            for r in rows}


def turnero_figures(data: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    out = {}
    for r in data["rows"]:
        w, s = r["wait_min"], r["service_min"]
        out[r["key"]] = (r["issued"], r["served"], w["count"], w["mean"], w["median"], w["p90"],
                         w["max"], s["count"], s["mean"], s["median"], s["p90"], s["max"])
    return out


def load_duckdb(db: Path, tmp: Path) -> duckdb.DuckDBPyConnection:
    path = tmp / "tickets.csv"
    src = sqlite3.connect(db)
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(src.execute(f"SELECT {', '.join(COLUMNS)} FROM tickets"))
    src.close()
    duck = duckdb.connect()
    duck.execute(f"""CREATE TABLE t AS SELECT * FROM read_csv(?, header = false,
                     names = {list(COLUMNS)!r},
                     types = {{'day': 'VARCHAR', 'service': 'VARCHAR', 'outcome': 'VARCHAR',
                               'issued_at': 'DOUBLE', 'first_called_at': 'DOUBLE',
                               'started_at': 'DOUBLE', 'finished_at': 'DOUBLE'}})""",
                 [str(path)])
    return duck


def best_of(fns: dict[str, Any], runs: int) -> dict[str, tuple[float, Any]]:
    """Each function ``runs`` times, alternating; the best time and the last result of each."""
    best: dict[str, tuple[float, Any]] = {}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            result = fn()
            took = time.perf_counter() - t0
            if name not in best or took < best[name][0]:
                best[name] = (took, result)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "history.db"
        count, first, last = year_history(db, args.per_day)
        t0 = time.perf_counter()
        duck = load_duckdb(db, tmp)
        load_s = time.perf_counter() - t0
        office = Office(load_config(DEMO_CONFIG), OfficeSettings())
        store, reads, analytics = Store.open(db), ReadPool(db), Analytics(db)
        stats = Statistics(reads, office, analytics, store)
        month_start = date(last.year, last.month, 1)
        print(f"# {count:,} tickets ({first} to {last}); DuckDB load through Python "
              f"{load_s:.1f} s (not compared); best of {args.runs}, alternating")
        print("| range, by service | Turnero (rollups) | first call (builds them) | "
              "ticket by ticket | DuckDB | Turnero ÷ DuckDB | ticket by ticket ÷ DuckDB "
              "| figures equal |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        try:
            for label, start in (("month", month_start), ("year", first)):
                q = StatsQuery(start, last, "service")
                t0 = time.perf_counter()
                asyncio.run(stats.summary(q))
                first_s = time.perf_counter() - t0
                best = best_of({
                    "rollups": lambda q=q: asyncio.run(stats.summary(q)),
                    "tickets": lambda q=q: reads.run_sync(partial(ticket_by_ticket, q)),
                    "duckdb": lambda s=start: duck.execute(
                        DUCK_SQL, [s.isoformat(), last.isoformat()]).fetchall(),
                }, args.runs)
                (t_s, data), (raw_s, raw), (duck_s, rows) = (
                    best["rollups"], best["tickets"], best["duckdb"])
                equal = turnero_figures(data) == duck_figures(rows) and raw == data
                print(f"| {label} | {t_s * 1000:.0f} ms | {first_s * 1000:.0f} ms | "
                      f"{raw_s * 1000:.0f} ms | {duck_s * 1000:.0f} ms | "
                      f"**{t_s / duck_s:.1f}x** | {raw_s / duck_s:.1f}x | "
                      f"{'yes' if equal else 'NO'} |", flush=True)
                if not equal:
                    print(turnero_figures(data), duck_figures(rows), sep="\n")
        finally:
            analytics.close()
            reads.close()
            store.close()


def ticket_by_ticket(q: StatsQuery, r: Reader) -> dict[str, Any]:
    cfg = load_config(DEMO_CONFIG)
    return summary_json(summarize_raw(r, selection_of(cfg, q), q.by), q, labels_of(cfg, r))


if __name__ == "__main__":
    main()
