"""How long the clerk panel's actions take, end to end over HTTP against a real server.

Starts `turnero serve` on a temporary database (demo office), issues tickets, and times the
requests a clerk's buttons send: call next (guarded), start, finish, recall, no-show,
reactivate. Prints median, p95 and max in milliseconds.

    /work/venv/bin/python bench/panel_actions.py [--rounds 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.harness import LiveServer, prepare_database  # noqa: E402


def timed(samples: dict[str, list[float]], name: str, fn: Callable[[], httpx.Response]
          ) -> httpx.Response:
    start = time.perf_counter()
    r = fn()
    samples.setdefault(name, []).append((time.perf_counter() - start) * 1000)
    assert r.status_code < 300, r.text
    return r


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(db=Path(tmp) / "bench.db")
        server.tokens = prepare_database(server.db)
        server.start()
        try:
            samples: dict[str, list[float]] = {}
            clerk = server.login("clerk1", counter=1)
            with server.client(clerk) as c:
                held = None
                for i in range(args.rounds):
                    server.issue("A", "AM" if i % 4 == 0 else None)
                    t = timed(samples, "llamar siguiente", lambda h=held: c.post(
                        "/api/v1/counters/1/next", json={"in_hand": h})).json()
                    tid = t["id"]
                    if i % 5 == 0:
                        timed(samples, "no se presentó",
                              lambda t=tid: c.post(f"/api/v1/tickets/{t}/no-show"))
                        timed(samples, "reactivar",
                              lambda t=tid: c.post(f"/api/v1/tickets/{t}/reactivate"))
                        held = None
                        continue
                    timed(samples, "volver a llamar",
                          lambda t=tid: c.post(f"/api/v1/tickets/{t}/recall"))
                    timed(samples, "iniciar", lambda t=tid: c.post(f"/api/v1/tickets/{t}/start"))
                    timed(samples, "finalizar", lambda t=tid: c.post(f"/api/v1/tickets/{t}/finish"))
                    held = None
        finally:
            server.stop()
    print(f"{'acción':<18}{'n':>5}{'mediana ms':>12}{'p95 ms':>10}{'máx ms':>10}")
    for name, values in samples.items():
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(f"{name:<18}{len(values):>5}{statistics.median(values):>12.1f}{p95:>10.1f}"
              f"{values[-1]:>10.1f}")


if __name__ == "__main__":
    main()
