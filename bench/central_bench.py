"""The central reporting server at a gobernación's scale:

    python bench/central_bench.py [--offices 30] [--months 12] [--per-day 1000]
                                  [--database postgresql://…]

Without --database it starts a throwaway PostgreSQL 15 cluster in a temporary folder (fsync
on, like a real server). Steps, each printed with its figures:

1. generated history for every office (working days, 08:00–17:30, five services, 15 %
   preferential, realistic waits and outcomes) loaded straight into PostgreSQL with COPY;
2. the monthly rollups built once (what the first read after a bulk load pays);
3. ingest through the real API: a `turnero central serve` subprocess receiving batches of
   500 records from 1 and from 4 concurrent senders (records/s);
4. summaries across all offices (the same function GET /api/v1/central/summary runs): the
   last month and the whole year by office, service, month and office_service (first run and
   best of 3: the first computes a whole month and stores it, the others read it stored);
   and a month minus one day, which reads the tickets instead of the rollups;
5. export of one office's month and year as CSV in fresh processes (peak RSS: flat memory
   means the year's peak is about the month's);
6. table sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from central.records import ticket_key  # noqa: E402
from central.service import CentralService, CentralSettings  # noqa: E402
from central.storage import CentralStore, month_start, next_month  # noqa: E402

TZ = ZoneInfo("America/Bogota")
SERVICES = [("A", "Pagos e impuestos", 15, 0.35), ("B", "Certificados", 20, 0.25),
            ("C", "PQRSD", 30, 0.15), ("D", "Sisbén", 25, 0.15), ("E", "Tránsito", 20, 0.10)]
GROUPS = ["AM", "GES", "DIS", "NNA", "VIC"]


def catalog(name: str) -> dict[str, Any]:
    return {"name": name, "timezone": "America/Bogota",
            "services": [{"code": c, "name": n, "target_wait_min": t}
                         for c, n, t, _ in SERVICES],
            "counters": [{"number": n, "name": f"Ventanilla {n}"} for n in range(1, 9)],
            "groups": [{"code": g, "name": g} for g in GROUPS], "clerks": [],
            "characterization": {"enabled": False, "questions": []}}


def office_day(rng: random.Random, office: str, day: date, per_day: int
               ) -> Iterator[tuple[Any, ...]]:
    """One office's tickets of one day, in ``CentralStore.copy_tickets`` column order."""
    opening = datetime(day.year, day.month, day.day, 8, 0, tzinfo=TZ).timestamp()
    span = 9.5 * 3600
    codes = [c for c, *_ in SERVICES]
    weights = [w for *_, w in SERVICES]
    seq: dict[str, int] = {}
    for i in range(per_day):
        service = rng.choices(codes, weights)[0]
        seq[service] = seq.get(service, 0) + 1
        issued = opening + span * i / per_day + rng.random() * 20
        group = rng.choice(GROUPS) if rng.random() < 0.15 else None
        roll = rng.random()
        wait = rng.lognormvariate(6.3 if group is None else 5.6, 0.7)
        called = issued + wait
        started = finished = None
        outcome, status = "served", "done"
        if roll < 0.05:
            outcome, status = "no_show", "no_show"
        elif roll < 0.08:
            outcome, status, called = "not_attended", "not_attended", None
        elif roll < 0.10:
            outcome, status, called = "cancelled", "cancelled", None
        else:
            started = called + 30 + rng.random() * 60
            finished = started + rng.lognormvariate(5.9, 0.5)
        rating = rng.choice((3, 4, 4, 5, 5, 2, 1)) if outcome == "served" and \
            rng.random() < 0.25 else None
        counter = rng.randint(1, 8)
        transfers = 1 if rng.random() < 0.02 else 0
        first = (service, counter, None) if transfers else (None, None, None)
        yield (office, day, ticket_key(f"{office}-{day}-{i}"), f"{service}-{seq[service]:03d}",
               day.weekday(), issued, service, group, counter, None, called,
               started, finished, status, outcome, transfers,
               1 if called else 0, rating, None, "{}", *first)


def working_days(first: date, months: int) -> list[date]:
    days, d = [], first
    stop = first
    for _ in range(months):
        stop = next_month(stop)
    while d < stop:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def generate(store: CentralStore, service: CentralService, offices: int, first: date,
             months: int, per_day: int) -> int:
    days = working_days(first, months)
    total = 0
    t0 = time.perf_counter()
    for n in range(offices):
        code = f"OF{n + 1:02d}"
        service.add_office(code, f"Alcaldía {n + 1:02d}")
        store.set_catalog(code, catalog(f"Alcaldía {n + 1:02d}"), datetime.now(UTC))
        store.set_targets(code, {c: t * 60.0 for c, _, t, _ in SERVICES})
        rng = random.Random(n)
        rows = (row for d in days for row in office_day(rng, code, d, per_day))
        store.copy_tickets(code, rows, {month_start(d) for d in days})
        total += len(days) * per_day
        print(f"  {code}: {total:,} tickets loaded, {time.perf_counter() - t0:.0f} s",
              flush=True)
    return total


def ingest_through_api(dsn: str, store: CentralStore, service: CentralService,
                       senders: int, records: int, day: date) -> float:
    """records/s through POST /api/v1/central/records, ``senders`` offices in parallel."""
    import httpx

    from server.harness import free_port, start_server_process

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server_process([sys.executable, "-m", "server", "central", "serve",
                                 "--database", dsn, "--port", str(port)],
                                Path(tempfile.gettempdir()) / f"central-bench-{port}.log",
                                f"{base}/healthz", 60)
    try:
        tokens = [service.add_office(f"IN{senders}{k}", f"Ingesta {k}") for k in range(senders)]
        per_sender = records // senders
        rng = random.Random(senders)

        def batches(k: int) -> list[dict[str, Any]]:
            code = f"IN{senders}{k}"
            rows = [r for i in range(0, per_sender, 1000)
                    for r in office_day(rng, code, day, min(1000, per_sender - i))]
            out = []
            for j in range(0, len(rows), 500):
                recs = [{"ticket": ticket_key(f"{code}-{j + n}"), "number": r[3],
                         "day": r[1].isoformat(), "weekday": r[4], "issued_at": r[5],
                         "service": r[6], "group": r[7], "counter": r[8], "clerk": None,
                         "first_called_at": r[10], "started_at": r[11], "finished_at": r[12],
                         "status": r[13], "outcome": r[14], "transfers": r[15],
                         "calls": r[16], "satisfaction": r[17], "satisfaction_reason": None,
                         "first_service": r[20], "first_counter": r[21], "first_clerk": None,
                         "characterization": {}} for n, r in enumerate(rows[j:j + 500])]
                out.append({"office": code, "catalog": catalog(code), "records": recs})
            return out

        prepared = [batches(k) for k in range(senders)]
        errors: list[str] = []

        def send(k: int) -> None:
            with httpx.Client(base_url=base, timeout=60,
                              headers={"Authorization": f"Bearer {tokens[k]}"}) as c:
                for body in prepared[k]:
                    r = c.post("/api/v1/central/records", json=body)
                    if r.status_code != 200:
                        errors.append(r.text)

        threads = [threading.Thread(target=send, args=(k,)) for k in range(senders)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        assert not errors, errors[:3]
        return per_sender * senders / elapsed
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def time_summary(service: CentralService, label: str, start: date, end: date, by: str,
                 repeat: int = 3) -> dict[str, Any]:
    runs = []
    result: dict[str, Any] = {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = service.summary(start.isoformat(), end.isoformat(), by, None)
        runs.append(time.perf_counter() - t0)
    print(f"summary {label:<16} by={by:<15} first {runs[0] * 1000:7.0f} ms   best of "
          f"{repeat} {min(runs) * 1000:7.0f} ms   ({result['total']['issued']:,} tickets)",
          flush=True)
    return {"range": label, "by": by, "first_s": runs[0], "best_s": min(runs),
            "tickets": result["total"]["issued"]}


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM starts afresh at exec; ru_maxrss would carry the
    parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_child(dsn: str, office: str, start: str, end: str) -> None:
    store = CentralStore.open(dsn, max_size=2)
    service = CentralService(store, CentralSettings(dsn))
    t0 = time.perf_counter()
    size = sum(len(chunk) for chunk in service.export_csv(start, end, office, False))
    print(json.dumps({"seconds": time.perf_counter() - t0, "bytes": size,
                      "peak_rss_mb": peak_rss_mb()}))
    store.close()


def time_export(dsn: str, office: str, label: str, start: date, end: date) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--export-child", dsn, office,
                          start.isoformat(), end.isoformat()], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"export {label:<6} csv  {data['seconds']:6.1f} s  {data['bytes'] / 1e6:7.1f} MB  "
          f"peak RSS {data['peak_rss_mb']:6.0f} MB", flush=True)
    return {"range": label, **data}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--offices", type=int, default=30)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--per-day", type=int, default=1000)
    p.add_argument("--first-month", default="2025-01")
    p.add_argument("--ingest-records", type=int, default=20000)
    p.add_argument("--database", help="an empty PostgreSQL database (default: throwaway)")
    p.add_argument("--export-child", nargs=4, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return 0

    cluster = None
    dsn = args.database
    if dsn is None:
        from tests.central.pgcluster import Cluster

        cluster = Cluster.start("-c fsync=on -c full_page_writes=on -c shared_buffers=256MB "
                                "-c work_mem=64MB -c maintenance_work_mem=256MB "
                                "-c max_wal_size=4GB")
        dsn = cluster.dsn()
    try:
        store = CentralStore.open(dsn)
        service = CentralService(store, CentralSettings(dsn))
        first = date.fromisoformat(args.first_month + "-01")
        print(f"generating {args.offices} offices × {args.months} months × {args.per_day} "
              "tickets per working day (COPY)", flush=True)
        t0 = time.perf_counter()
        total = generate(store, service, args.offices, first, args.months, args.per_day)
        load_s = time.perf_counter() - t0
        print(f"loaded {total:,} tickets in {load_s:.0f} s ({total / load_s:,.0f} rows/s)")
        t0 = time.perf_counter()
        with store.pool.connection() as conn:
            conn.execute("ANALYZE")
        built = store.refresh_rollups()
        rollup_s = time.perf_counter() - t0
        print(f"rollups: {built} office-months built in {rollup_s:.0f} s", flush=True)

        last = first
        for _ in range(args.months - 1):
            last = next_month(last)
        last_end = next_month(last) - timedelta(days=1)
        year_end = last_end
        results = [time_summary(service, "month", last, last_end, by)
                   for by in ("office", "service", "month", "office_service")]
        results += [time_summary(service, "month-1day", last, last_end - timedelta(days=1),
                                 "office")]
        results += [time_summary(service, "year", first, year_end, by, repeat=2)
                    for by in ("office", "month")]

        day = last + timedelta(days=2)
        rates = {n: ingest_through_api(dsn, store, service, n, args.ingest_records, day)
                 for n in (1, 4)}
        for n, rate in rates.items():
            print(f"ingest through the API, {n} sender(s): {rate:,.0f} records/s")

        exports = [time_export(dsn, "OF01", "month", last, last_end),
                   time_export(dsn, "OF01", "year", first, year_end)]
        with store.pool.connection() as conn:
            size = conn.execute("SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) "
                                "FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid "
                                "WHERE i.inhparent = 'tickets'::regclass").fetchone()
            rollup = conn.execute("SELECT pg_size_pretty(pg_total_relation_size("
                                  "'month_rollup'))").fetchone()
        print(f"tickets partitions: {size[0] if size else '?'}; month_rollup: "
              f"{rollup[0] if rollup else '?'}")
        print(json.dumps({"tickets": total, "load_s": load_s, "rollup_s": rollup_s,
                          "summaries": results, "ingest_records_per_s": rates,
                          "exports": exports}))
        store.close()
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
