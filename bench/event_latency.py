"""Call → websocket event latency with 1, 100 and 500 connected clients.

A clerk calls (HTTP POST /counters/N/next) and every connected display client (a real
websockets client) waits for the matching `ticket.called` event. Latency is measured per client
from just before the POST is sent to the moment that client has the event, on the system-wide
monotonic clock. The clients live in WORKERS processes: 500 sockets in one Python process
measure that process's own queueing more than the server (with one process, p99 at 500 clients
was 160–200 ms while the server was busy less than 10 % of the time).

    python -m bench.event_latency [--calls 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import time
from multiprocessing.connection import Connection

import httpx
import websockets

from bench.serverkit import percentile, running_server

CLIENTS = (1, 100, 500)


def client_worker(url: str, clients: int, calls: int, conn: Connection) -> None:
    """Hold `clients` sockets; for each call, report when each socket got `ticket.called`."""

    async def run() -> None:
        sockets = []
        for _ in range(clients):
            ws = await websockets.connect(url, max_queue=None, compression=None)
            await ws.recv()  # snapshot
            sockets.append(ws)
        conn.send("ready")

        async def wait_called(ws: websockets.ClientConnection) -> float:
            while True:
                raw = await ws.recv()
                if '"ticket.called"' in raw and json.loads(raw)["type"] == "ticket.called":
                    return time.monotonic()

        for _ in range(calls):
            conn.send(await asyncio.gather(*(wait_called(ws) for ws in sockets)))
        for ws in sockets:
            await ws.close()

    asyncio.run(run())


def measure(base: str, url: str, clerk: str, kiosk: str, clients: int, calls: int,
            workers: int) -> list[float]:
    ctx = mp.get_context("spawn")
    shares = [clients // workers + (1 if i < clients % workers else 0) for i in range(workers)]
    pipes, procs = [], []
    for share in (s for s in shares if s):
        parent, child = ctx.Pipe()
        p = ctx.Process(target=client_worker, args=(url, share, calls, child), daemon=True)
        p.start()
        pipes.append(parent)
        procs.append(p)
    for pipe in pipes:
        assert pipe.recv() == "ready"
    latencies: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as http:
        for _ in range(calls):
            http.post("/api/v1/tickets", json={"service": "A"},
                      headers={"Authorization": f"Bearer {kiosk}"})
            time.sleep(0.3)  # let the issue event reach everyone first
            t0 = time.monotonic()
            http.post("/api/v1/counters/1/next", json={"previous": "served"},
                      headers={"Authorization": f"Bearer {clerk}"})
            for pipe in pipes:
                latencies += [arrival - t0 for arrival in pipe.recv()]
    for p in procs:
        p.join(30)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"# call → websocket event latency, {args.calls} calls per row, clients in "
          f"{args.workers} processes")
    print("| clients | events received | p50 ms | p99 ms | max ms |")
    print("|---:|---:|---:|---:|---:|")
    with running_server() as server:
        clerk = server.login("clerk1", counter=1)
        url = f"{server.ws_url}/api/v1/events?token={server.display_token}"
        for clients in CLIENTS:
            lat = measure(server.base_url, url, clerk, server.kiosk_token, clients, args.calls,
                          args.workers)
            ms = [v * 1000 for v in lat]
            print(f"| {clients} | {len(ms)} | {percentile(ms, 50):.1f} | "
                  f"{percentile(ms, 99):.1f} | {max(ms):.1f} |", flush=True)


if __name__ == "__main__":
    main()
