"""Does a year's statistics summary stall the kiosks? Idle vs busy, side by side.

A real server over a generated year of history (``server.services.demo_history``); a kiosk
issues 10 tickets/s. Phases alternate: idle (only the kiosk) and busy (a supervisor asks for the
year summary again and again meanwhile, from a process of its own). Printed: issue p50/p99
per phase and the ratio busy ÷ idle of the p99 (target: within 2x).

    python -m bench.stats_stall [--per-day 1000] [--phases 3] [--seconds 10]
                                [--report summary|csv|xlsx]

``--report csv`` / ``xlsx``: the supervisor downloads the year's tickets export instead.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import queue
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.serverkit import percentile
from server.config import DEMO_CONFIG, load_config
from server.harness import LiveServer, prepare_database
from server.services.demo_history import HistoryPlan, generate
from server.storage import Store
from server.storage.bulk import insert_history

RATE = 10.0


async def kiosk(base: str, token: str, seconds: float) -> list[float]:
    """Issue at RATE per second for ``seconds``; the latency of each issue."""
    out: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        start = time.perf_counter()
        n = 0
        while time.perf_counter() - start < seconds:
            t0 = time.perf_counter()
            r = await c.post("/api/v1/tickets", json={"service": "ABCDE"[n % 5]})
            out.append(time.perf_counter() - t0)
            assert r.status_code == 201, r.text
            n += 1
            await asyncio.sleep(max(0.0, start + n / RATE - time.perf_counter()))
    return out


def supervisor(base: str, token: str, params: dict[str, str], stop: Any, out: Any) -> None:
    """Ask for the report again and again until ``stop`` is set; put the times taken on
    ``out``. Its own process, as the supervisor's browser is another machine: downloading
    a year's CSV (35 MB) in the kiosk's event loop delayed the kiosk's own requests."""
    took: list[float] = []
    path = "/api/v1/stats/export" if "format" in params else "/api/v1/stats/summary"
    with httpx.Client(base_url=base, timeout=600,
                      headers={"Authorization": f"Bearer {token}"}) as c:
        while not stop.is_set():
            t0 = time.perf_counter()
            with c.stream("GET", path, params=params) as r:
                assert r.status_code == 200, r.read()
                for _chunk in r.iter_bytes():
                    pass
            took.append(time.perf_counter() - t0)
    out.put(took)


def phase(server: LiveServer, sup: str, params: dict[str, str], seconds: float,
          busy: bool) -> tuple[list[float], list[float]]:
    if not busy:
        return asyncio.run(kiosk(server.base_url, server.kiosk_token, seconds)), []
    ctx = multiprocessing.get_context("spawn")
    stop, out = ctx.Event(), ctx.Queue()
    reports = ctx.Process(target=supervisor, args=(server.base_url, sup, params, stop, out))
    reports.start()
    try:
        issued = asyncio.run(kiosk(server.base_url, server.kiosk_token, seconds))
    finally:
        stop.set()
    while True:  # the supervisor's times, or its failure (not a ten-minute wait)
        try:
            took: list[float] = out.get(timeout=1)
            break
        except queue.Empty:
            if not reports.is_alive():
                raise RuntimeError(f"the supervisor process ended ({reports.exitcode})") from None
    reports.join(timeout=60)
    return issued, took


def year_history(db: Path, per_day: int) -> tuple[int, date, date]:
    """A new database with a generated year ending yesterday: (tickets, first day, last)."""
    Store.open(db).close()
    last = date.today() - timedelta(days=1)
    first = last - timedelta(days=364)
    count = insert_history(db, generate(load_config(DEMO_CONFIG), HistoryPlan(
        first, last, per_day, 2026, characterization=True)))
    return count, first, last


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--phases", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--report", choices=["summary", "csv", "xlsx"], default="summary")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.db"
        count, first, last = year_history(db, args.per_day)
        server = LiveServer(db=db)
        server.tokens = prepare_database(db)
        server.start()
        try:
            sup = server.login("super")
            params = {"from": first.isoformat(), "to": last.isoformat(), "by": "service"}
            if args.report != "summary":
                params = {"from": first.isoformat(), "to": last.isoformat(),
                          "format": args.report, "kind": "tickets"}
            idle: list[float] = []
            busy: list[float] = []
            reports: list[float] = []
            for _ in range(args.phases):
                lat, _ = phase(server, sup, params, args.seconds, busy=False)
                idle += lat
                lat, took = phase(server, sup, params, args.seconds, busy=True)
                busy += lat
                reports += took
        finally:
            server.stop()
    print(f"# a year of history ({count:,} tickets), kiosk at {RATE:g} tickets/s, "
          f"{args.phases} idle and {args.phases} busy phases of {args.seconds:g} s, alternating")
    print("| phase | issues | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|")
    for name, lat in (("idle", idle), (f"beside {args.report}", busy)):
        ms = [v * 1000 for v in lat]
        print(f"| {name} | {len(ms)} | {percentile(ms, 50):.1f} | {percentile(ms, 99):.1f} | "
              f"{max(ms):.1f} |")
    ms = sorted(v * 1000 for v in reports)
    what = "year summaries" if args.report == "summary" else f"year {args.report} exports"
    print(f"\n{what} meanwhile: {len(ms)}, p50 {percentile(ms, 50):.0f} ms")
    print(f"issue p99 busy ÷ idle: **{percentile(busy, 99) / percentile(idle, 99):.1f}x** "
          "(target ≤ 2x)")


if __name__ == "__main__":
    main()
