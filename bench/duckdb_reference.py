"""Turnero's summaries against DuckDB on the same data, side by side, with the figures checked.

A generated year (``bench.stats_stall.year_history``) is read from SQLite through Python into
an in-memory DuckDB table (DuckDB's sqlite extension is not available offline; the load is
timed apart and is not part of the comparison). Then, for the last month and the whole year,
by service: Turnero's summary (the function GET /api/v1/stats/summary runs, in-process on the
read pool) and the same figures in one DuckDB query (counts, mean/median/p90/max of waits and
service times, ``quantile_cont`` = the same linear interpolation). Best of 3 each, alternating;
the figures must be equal (minutes rounded to 2 decimals, as the API gives them).

    python -m bench.duckdb_reference [--per-day 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from bench.stats_stall import year_history
from server.config import DEMO_CONFIG, load_config
from server.queue.stats_query import StatsQuery
from server.services.office import Office, OfficeSettings
from server.services.statistics import Statistics
from server.storage import ReadPool

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


def best_of(fn: Any, runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-day", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "history.db"
        count, first, last = year_history(db, args.per_day)
        t0 = time.perf_counter()
        duck = load_duckdb(db, tmp)
        load_s = time.perf_counter() - t0
        stats = Statistics(ReadPool(db), Office(load_config(DEMO_CONFIG), OfficeSettings()))
        month_start = date(last.year, last.month, 1)
        print(f"# {count:,} tickets ({first} to {last}); DuckDB load through Python "
              f"{load_s:.1f} s (not compared)")
        print("| range | Turnero ms | DuckDB ms | Turnero ÷ DuckDB | figures equal |")
        print("|---|---:|---:|---:|---|")
        for label, start in (("month", month_start), ("year", first)):
            q = StatsQuery(start, last, "service")
            turnero_s, data = best_of(lambda q=q: asyncio.run(stats.summary(q)))
            duck_s, rows = best_of(lambda s=start: duck.execute(
                DUCK_SQL, [s.isoformat(), last.isoformat()]).fetchall())
            equal = turnero_figures(data) == duck_figures(rows)
            print(f"| {label} | {turnero_s * 1000:.0f} | {duck_s * 1000:.0f} | "
                  f"**{turnero_s / duck_s:.1f}x** | {'yes' if equal else 'NO'} |", flush=True)
            if not equal:
                print(turnero_figures(data), duck_figures(rows), sep="\n")
        stats.reads.close()


if __name__ == "__main__":
    main()
