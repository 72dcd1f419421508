"""Call → websocket event latency with 1, 100 and 500 connected clients.

A clerk calls (HTTP POST /counters/N/next) and every connected display client (a real
websockets client in this process) waits for the matching `ticket.called` event. Latency is
measured per client from just before the POST is sent to the moment that client has the
event. The clients share one process (and the machine's 2 cores) with the server.

    python -m bench.event_latency [--calls 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx
import websockets

from bench.serverkit import percentile, running_server

CLIENTS = (1, 100, 500)


async def measure(base: str, ws_base: str, display: str, clerk: str, kiosk: str, clients: int,
                  calls: int) -> list[float]:
    url = f"{ws_base}/api/v1/events?token={display}"
    sockets = []
    for _ in range(clients):
        ws = await websockets.connect(url, max_queue=None)
        await ws.recv()  # snapshot
        sockets.append(ws)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for _ in range(calls):
            await http.post("/api/v1/tickets", json={"service": "A"},
                            headers={"Authorization": f"Bearer {kiosk}"})
            await asyncio.sleep(0.05)  # let the issue event reach everyone first

            async def wait_called(ws: websockets.ClientConnection) -> float:
                while True:
                    raw = await ws.recv()
                    # cheap check first: 500 clients decoding every message in one process
                    # would measure the benchmark, not the server
                    if '"ticket.called"' in raw and json.loads(raw)["type"] == "ticket.called":
                        return time.perf_counter()

            waiters = [asyncio.create_task(wait_called(ws)) for ws in sockets]
            t0 = time.perf_counter()
            await http.post("/api/v1/counters/1/next", headers={"Authorization": f"Bearer {clerk}"})
            arrivals = await asyncio.gather(*waiters)
            latencies += [a - t0 for a in arrivals]
    for ws in sockets:
        await ws.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    print(f"# call → websocket event latency, {args.calls} calls per row")
    print("| clients | events received | p50 ms | p99 ms | max ms |")
    print("|---:|---:|---:|---:|---:|")
    with running_server() as server:
        clerk = server.login("clerk1", counter=1)
        for clients in CLIENTS:
            lat = asyncio.run(measure(server.base_url, server.ws_url, server.display_token,
                                      clerk, server.kiosk_token, clients, args.calls))
            ms = [v * 1000 for v in lat]
            print(f"| {clients} | {len(ms)} | {percentile(ms, 50):.1f} | "
                  f"{percentile(ms, 99):.1f} | {max(ms):.1f} |", flush=True)


if __name__ == "__main__":
    main()
