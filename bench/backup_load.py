"""How much an online backup of a big database costs the kiosks issuing at the same time.

    python bench/backup_load.py --years 1 --per-day 1000

Fills a database with generated history, starts a real server on it, keeps 8 kiosks issuing,
and compares the issue latency during a `turnero backup` with the latency just before it.
Prints the backup's duration and size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.serverkit import summary_ms  # noqa: E402
from server.config import DEMO_CONFIG, load_config  # noqa: E402
from server.harness import LiveServer, prepare_database, subprocess_env  # noqa: E402
from server.services.demo_history import HistoryPlan, generate  # noqa: E402
from server.storage.bulk import insert_history  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--years", type=float, default=1.0)
    p.add_argument("--per-day", type=int, default=1000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "turnero.db"
        server = LiveServer(db=db)
        server.tokens = prepare_database(db)
        today = date.today()
        plan = HistoryPlan(today - timedelta(days=int(365 * args.years)),
                           today - timedelta(days=1), args.per_day, seed=1)
        t0 = time.monotonic()
        count = insert_history(db, generate(load_config(DEMO_CONFIG), plan))
        print(f"history: {count} tickets, {db.stat().st_size / 1e6:.0f} MB "
              f"({time.monotonic() - t0:.0f} s to generate)")
        server.start()
        samples: list[tuple[float, float]] = []  # (start time, latency)
        stop = threading.Event()

        def kiosk() -> None:
            with server.client(server.kiosk_token) as c:
                while not stop.is_set():
                    start = time.monotonic()
                    r = c.post("/api/v1/tickets", json={"service": "A"})
                    if r.status_code == 201:
                        samples.append((start, time.monotonic() - start))

        threads = [threading.Thread(target=kiosk) for _ in range(8)]
        try:
            for t in threads:
                t.start()
            time.sleep(5)
            b0 = time.monotonic()
            out = subprocess.run([sys.executable, "-m", "server", "backup", str(Path(tmp) /
                                  "copia.db"), "--db", str(db)], capture_output=True, text=True,
                                 cwd=ROOT, env=subprocess_env(), check=True)
            b1 = time.monotonic()
            time.sleep(1)
        finally:
            stop.set()
            for t in threads:
                t.join(10)
            server.stop()
    before = [lat for s, lat in samples if b0 - 5 <= s < b0]
    during = [lat for s, lat in samples if b0 <= s < b1]
    print(out.stdout.strip())
    print(f"backup command: {b1 - b0:.1f} s (with interpreter start)")
    print(f"issue before the backup: n={len(before)}  {summary_ms(before)}")
    print(f"issue during the backup: n={len(during)}  {summary_ms(during)}")
    print(f"issuing rate: {len(before) / 5:.0f}/s before, {len(during) / (b1 - b0):.0f}/s during")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
