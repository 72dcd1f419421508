"""Ticket issue and call over HTTP with 1, 10 and 50 concurrent clients.

Closed loop: each client sends its next request as soon as the previous answer arrives, for
DURATION seconds, against a real uvicorn server with fsync on (WAL, synchronous=FULL).
The load generator runs on the same 2-core machine and competes for CPU with the server.

    python bench/http_load.py [--duration 5]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from bench.serverkit import percentile, running_server

CONCURRENCY = (1, 10, 50)


async def closed_loop(base: str, headers: dict[str, str], clients: int, duration: float,
                      body_for) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=30) as c:
        end = time.perf_counter() + duration

        async def one_client(i: int) -> None:
            nonlocal errors
            n = 0
            while time.perf_counter() < end:
                path, body = body_for(i, n)
                t0 = time.perf_counter()
                r = await c.post(path, json=body)
                latencies.append(time.perf_counter() - t0)
                if r.status_code >= 400:
                    errors += 1
                n += 1

        await asyncio.gather(*(one_client(i) for i in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=5.0)
    args = parser.parse_args()
    print(f"# HTTP load, closed loop, {args.duration:.0f} s per row, fsync on")
    print("| operation | clients | requests | per second | p50 ms | p99 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with running_server() as server:
        kiosk = {"Authorization": f"Bearer {server.kiosk_token}"}
        sup = {"Authorization": f"Bearer {server.login('super')}"}
        for clients in CONCURRENCY:
            lat, errors = asyncio.run(closed_loop(
                server.base_url, kiosk, clients, args.duration,
                lambda i, n: ("/api/v1/tickets", {"service": "ABCDE"[(i + n) % 5]})))
            _row("issue", clients, lat, errors, args.duration)
        for clients in CONCURRENCY:
            # enough waiting tickets for every call; counters 1..6, several clients per counter
            lat, errors = asyncio.run(closed_loop(
                server.base_url, sup, clients, args.duration,
                lambda i, n: (f"/api/v1/counters/{i % 6 + 1}/next", None)))
            _row("call next", clients, lat, errors, args.duration)
    print()


def _row(op: str, clients: int, lat: list[float], errors: int, duration: float) -> None:
    ms = [v * 1000 for v in lat]
    print(f"| {op} | {clients} | {len(lat)} | {len(lat) / duration:.0f} | "
          f"{percentile(ms, 50):.1f} | {percentile(ms, 99):.1f} | {max(ms):.1f} | {errors} |",
          flush=True)


if __name__ == "__main__":
    main()
