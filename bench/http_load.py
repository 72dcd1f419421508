"""Ticket issue and call over HTTP with 1, 10 and 50 concurrent clients.

Two modes, against a real uvicorn server with fsync on (WAL, synchronous=FULL):
- closed loop (saturation): each client sends its next request as soon as the previous answer
  arrives; latency then mostly measures queueing behind the other clients.
- paced (open loop): each client sends one request every 1/RATE s whatever the others do —
  what 50 kiosks or clerks do in an office (even 1 request per second each is far above any
  office's real rate of ~1,000 tickets a day).
The load generator runs on the same 2-core machine and competes for CPU with the server.

    python -m bench.http_load [--duration 5] [--rate 1]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from bench.serverkit import percentile, running_server

CONCURRENCY = (1, 10, 50)


async def load(base: str, headers: dict[str, str], clients: int, duration: float,
               body_for, interval: float = 0.0) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=30) as c:
        end = time.perf_counter() + duration

        async def one_client(i: int) -> None:
            nonlocal errors
            n = 0
            if interval:
                await asyncio.sleep(interval * i / clients)  # spread the clients out
            while time.perf_counter() < end:
                started = time.perf_counter()
                path, body = body_for(i, n)
                t0 = time.perf_counter()
                r = await c.post(path, json=body)
                latencies.append(time.perf_counter() - t0)
                if r.status_code >= 400:
                    errors += 1
                n += 1
                if interval:
                    await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))

        await asyncio.gather(*(one_client(i) for i in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=1.0,
                        help="paced mode: requests per second per client")
    args = parser.parse_args()
    print(f"# HTTP load, {args.duration:.0f} s per row, fsync on")
    print("| operation | mode | clients | requests | per second | p50 ms | p99 ms | max ms | "
          "errors |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    with running_server() as server:
        kiosk = {"Authorization": f"Bearer {server.kiosk_token}"}
        sup = {"Authorization": f"Bearer {server.login('super')}"}

        def issue(i: int, n: int) -> tuple[str, dict[str, str]]:
            return "/api/v1/tickets", {"service": "ABCDE"[(i + n) % 5]}

        def call(i: int, n: int) -> tuple[str, dict[str, str]]:
            # the ticket left in hand counts as served (a called one is never closed unasked)
            return f"/api/v1/counters/{i % 6 + 1}/next", {"previous": "served"}

        for op, headers, body_for in (("issue", kiosk, issue), ("call next", sup, call)):
            for mode, interval in (("closed loop", 0.0), (f"{args.rate:g}/s each",
                                                          1 / args.rate)):
                for clients in CONCURRENCY:
                    lat, errors = asyncio.run(load(server.base_url, headers, clients,
                                                   args.duration, body_for, interval))
                    _row(op, mode, clients, lat, errors, args.duration)
    print()


def _row(op: str, mode: str, clients: int, lat: list[float], errors: int,
         duration: float) -> None:
    ms = [v * 1000 for v in lat]
    print(f"| {op} | {mode} | {clients} | {len(lat)} | {len(lat) / duration:.0f} | "
          f"{percentile(ms, 50):.1f} | {percentile(ms, 99):.1f} | {max(ms):.1f} | {errors} |",
          flush=True)


if __name__ == "__main__":
    main()
