"""Timings of the statistics over a large history (see bench/generate_history.py):

    python bench/stats_bench.py --db bench-data/history.db [--month 2026-10] [--year 2026]

- summary (what the dashboard asks) for each `by`, over a month and over a year: the same
  function GET /api/v1/stats/summary runs, on the read pool. Best of 3 runs, and the
  first run (which builds the daily rollups of days that have none).
- export of the year's tickets as CSV and XLSX, and of a month's for comparison, each in a
  fresh process so its peak RSS is its own: flat memory means the year's peak is about the
  month's, not 12 times it.
- database size and ticket count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.config import DEMO_CONFIG, load_config  # noqa: E402
from server.queue.stats_query import DIMENSIONS, StatsQuery, parse_month  # noqa: E402
from server.services.office import Office, OfficeSettings  # noqa: E402
from server.services.statistics import Statistics  # noqa: E402
from server.storage import ReadPool, Store  # noqa: E402


def service(db: Path) -> Statistics:
    """The statistics service on its own read pool; the store keeps the daily rollups the
    first summaries build (the tickets are never written)."""
    return Statistics(ReadPool(db), Office(load_config(DEMO_CONFIG), OfficeSettings()),
                      store=Store.open(db))


def time_summaries(db: Path, label: str, start: date, end: date) -> list[dict[str, object]]:
    stats = service(db)
    out = []
    for by in DIMENSIONS:
        q = StatsQuery(start, end, by)
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            result = asyncio.run(stats.summary(q))
            runs.append(time.perf_counter() - t0)
        out.append({"range": label, "by": by, "first_s": runs[0], "best_s": min(runs),
                    "tickets": result["total"]["issued"]})
        print(f"summary {label:<6} by={by:<8} first {runs[0] * 1000:7.0f} ms   "
              f"best {min(runs) * 1000:7.0f} ms   ({result['total']['issued']:,} tickets)",
              flush=True)
    return out


def export_child(db: Path, fmt: str, start: str, end: str) -> None:
    """Runs in a fresh process: one export, then its time and peak RSS as JSON."""
    from server.queue.stats_query import parse_range

    stats = service(db)
    q = StatsQuery(*parse_range(start, end))
    t0 = time.perf_counter()
    size = 0
    if fmt == "csv":
        for chunk in stats.csv("tickets", q, spanish_excel=False):
            size += len(chunk)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.xlsx"
            stats.xlsx("tickets", q, path)
            size = path.stat().st_size
    took = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": took, "peak_rss_mib": peak_mib, "bytes": size}))


def time_export(db: Path, fmt: str, label: str, start: date, end: date) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--db", str(db), "--export-child", fmt, start.isoformat(),
         end.isoformat()], capture_output=True, text=True, check=True, cwd=ROOT)
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"export {fmt:<4} {label:<6} {r['seconds']:7.1f} s   peak RSS "
          f"{r['peak_rss_mib']:6.0f} MiB   file {r['bytes'] / 2**20:6.1f} MiB", flush=True)
    return {"format": fmt, "range": label, **r}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--month", help="YYYY-MM (default: the last full month in the data)")
    parser.add_argument("--year", type=int, help="default: the year of --month")
    parser.add_argument("--skip-xlsx", action="store_true")
    parser.add_argument("--export-child", nargs=3, metavar=("FORMAT", "FROM", "TO"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(args.db, *args.export_child)
        return 0
    conn = sqlite3.connect(args.db)
    count, last = conn.execute("SELECT COUNT(*), MAX(day) FROM tickets").fetchone()
    conn.close()
    last_day = date.fromisoformat(last)
    month = args.month or (f"{last_day.year}-{last_day.month - 1:02d}" if last_day.month > 1
                           else f"{last_day.year - 1}-12")
    m_start, m_end = parse_month(month)
    year = args.year or m_start.year
    y_start, y_end = date(year, 1, 1), min(date(year, 12, 31), last_day)
    size = os.path.getsize(args.db) / 2**20
    print(f"database {args.db}: {count:,} tickets up to {last}, {size:,.0f} MiB", flush=True)
    results: dict[str, object] = {"tickets": count, "db_mib": size, "month": month,
                                  "year": year}
    results["summaries"] = (time_summaries(args.db, "month", m_start, m_end)
                            + time_summaries(args.db, "year", y_start, y_end))
    exports = [time_export(args.db, "csv", "month", m_start, m_end),
               time_export(args.db, "csv", "year", y_start, y_end)]
    if not args.skip_xlsx:
        exports += [time_export(args.db, "xlsx", "month", m_start, m_end),
                    time_export(args.db, "xlsx", "year", y_start, y_end)]
    results["exports"] = exports
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
