"""Call → websocket event latency with 1, 100 and 500 connected clients.

A clerk calls (HTTP POST /counters/N/next) and every connected display client (a real
websockets client) waits for the matching `ticket.called` event. Latency is measured per client
from just before the POST is sent to the moment that client has the event, on the system-wide
monotonic clock. The clients live in WORKERS processes: 500 sockets in one Python process
measure that process's own queueing more than the server (with one process, p99 at 500 clients
was 160–200 ms while the server was busy less than 10 % of the time).

    python -m bench.event_latency [--calls 30] [--workers 2] [--clients 1 100 500]
                                  [--repeat 1] [--baseline REF]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
import websockets

from bench.compare import Server, baseline_tree, login, turnero
from bench.serverkit import ROOT, cpu_seconds, percentile

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

        frames = 0

        async def wait_called(ws: websockets.ClientConnection) -> float:
            nonlocal frames
            while True:
                raw = await ws.recv()
                frames += 1
                if '"ticket.called"' in raw and json.loads(raw)["type"] == "ticket.called":
                    return time.monotonic()

        for _ in range(calls):
            conn.send(await asyncio.gather(*(wait_called(ws) for ws in sockets)))
        conn.send(frames)
        for ws in sockets:
            await ws.close()

    asyncio.run(run())


def measure(base: str, url: str, clerk: str, kiosk: str, clients: int, calls: int,
            workers: int, server_pid: int) -> tuple[list[float], int, float]:
    """(latencies, frames the clients received after connecting, server CPU seconds spent
    meanwhile)."""
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
    cpu0 = cpu_seconds(server_pid)
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
    frames = sum(pipe.recv() for pipe in pipes)
    cpu = cpu_seconds(server_pid) - cpu0
    for p in procs:
        p.join(30)
    return latencies, frames, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, nargs="+", default=list(CLIENTS))
    parser.add_argument("--repeat", type=int, default=1, help="rows per server and size")
    parser.add_argument("--baseline", help="git ref measured side by side, row by row")
    args = parser.parse_args()
    print(f"# call → websocket event latency, {args.calls} calls per row, clients in "
          f"{args.workers} processes")
    print("| server | clients | events measured | p50 ms | p99 ms | max ms | server CPU ms | "
          "frames |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        servers = [turnero("this tree", ROOT, tmp / "t.db")]
        if args.baseline:
            servers.append(turnero(args.baseline, baseline_tree(args.baseline, tmp),
                                   tmp / "b.db"))
        for s in servers:
            s.start()
        try:
            costs: dict[tuple[str, int], list[tuple[int, float]]] = {}
            for clients in args.clients:
                for _ in range(args.repeat):
                    for s in servers:
                        costs.setdefault((s.name, clients), []).append(
                            _row(s, clients, args.calls, args.workers))
        finally:
            for s in servers:
                s.stop()
    # Marginal cost of one more client: the HTTP requests cost the same in every row.
    low, high = min(args.clients), max(args.clients)
    if high > low:
        print()
        for s in servers:
            lo, hi = costs[(s.name, low)], costs[(s.name, high)]
            extra_cpu = sum(c for _, c in hi) / len(hi) - sum(c for _, c in lo) / len(lo)
            extra_frames = sum(f for f, _ in hi) / len(hi) - sum(f for f, _ in lo) / len(lo)
            print(f"{s.name}: server CPU per client per event "
                  f"{extra_cpu / extra_frames * 1e6:.1f} µs ({low} → {high} clients)")


def _row(server: Server, clients: int, calls: int, workers: int) -> tuple[int, float]:
    assert server.process is not None
    clerk = login(server, "clerk1", 1)
    url = f"ws://127.0.0.1:{server.port}/api/v1/events?token={server.tokens['display']}"
    lat, frames, cpu = measure(server.base, url, clerk, server.tokens["kiosk"], clients,
                               calls, workers, server.process.pid)
    ms = [v * 1000 for v in lat]
    print(f"| {server.name} | {clients} | {len(ms)} | {percentile(ms, 50):.1f} | "
          f"{percentile(ms, 99):.1f} | {max(ms):.1f} | {cpu * 1000:.0f} | {frames} |",
          flush=True)
    return frames, cpu


if __name__ == "__main__":
    main()
