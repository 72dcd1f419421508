"""Issuing under a live-socket flood: ticket issue rate and p99 with no phone connected, then
with an attacker trying to hold 2,000 ``/tickets/{id}/live`` sockets on one ticket id (spread
over many loopback addresses, so the per-address limit does not help), side by side in one run.

    .venv/bin/python -m bench.live_flood [--duration 8] [--clients 10] [--sockets 2000]
                                         [--retry-s 0]

``--retry-s 0`` (default): the attacker opens its sockets and holds whatever it gets (the
issue's scenario). ``--retry-s N``: every refused socket is retried N seconds later, for ever
(a reconnect storm: each refusal still costs the server a websocket handshake).

The attacker runs in its own process so it does not share the load generator's CPU time.
Target (issue 10): the rate under attack stays within 80 % of the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable

import httpx

from bench.http_load import load
from bench.serverkit import ROOT, percentile, running_server

DONE = "ATTACKER-READY"


async def _slot(url: str, address: str, end: float, retry_s: float, outcome: Counter[str],
                held: list[object], tried: Callable[[], None]) -> None:
    """One attacking socket from ``address``: hold what the server gives, reconnect every
    ``retry_s`` until ``end``; ``tried`` is called once, after its first attempt."""
    import websockets
    from websockets.exceptions import ConnectionClosed

    first = True
    while time.monotonic() < end:
        try:
            ws = await websockets.connect(url, local_addr=(address, 0), open_timeout=10)
        except (OSError, TimeoutError, websockets.InvalidHandshake):
            outcome["connect failed"] += 1
            if first:
                first = False
                tried()
            if retry_s <= 0:
                return
            await asyncio.sleep(retry_s)
            continue
        try:
            await asyncio.wait_for(ws.recv(), 10)
            held.append(ws)
            outcome["held"] += 1
            if first:
                first = False
                tried()
            await ws.wait_closed()  # hold it until the server drops it
        except ConnectionClosed as e:
            outcome[f"closed {e.rcvd.code if e.rcvd else '?'}"] += 1
        except TimeoutError:
            outcome["no answer"] += 1
        finally:
            await ws.close()
        if first:
            first = False
            tried()
        if retry_s <= 0:
            return  # hold what it got
        await asyncio.sleep(retry_s)  # reconnect, as a hostile script would


async def attack(ws_url: str, ticket_id: str, sockets: int, duration: float,
                 retry_s: float) -> None:
    """Keep trying to hold ``sockets`` sockets on one id until ``duration`` ends; print what
    happened as one JSON line."""
    url = f"{ws_url}/api/v1/tickets/{ticket_id}/live"
    outcome: Counter[str] = Counter()
    held: list[object] = []
    end = time.monotonic() + duration

    first_tries = 0
    all_tried = asyncio.Event()

    def tried() -> None:
        nonlocal first_tries
        first_tries += 1
        if first_tries == sockets:
            all_tried.set()

    tasks = [asyncio.create_task(_slot(
                 url, f"127.{1 + i // 60000}.{(i // 250) % 240 + 1}.{i % 250 + 2}", end,
                 retry_s, outcome, held, tried))
             for i in range(sockets)]
    await all_tried.wait()  # every socket was tried once: the flood is at full strength
    print(DONE, flush=True)
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps(dict(outcome)), flush=True)


def measure(server_url: str, kiosk: str, clients: int, duration: float
            ) -> tuple[float, float, int]:
    headers = {"Authorization": f"Bearer {kiosk}"}
    lat, errors = asyncio.run(load(server_url, headers, clients, duration,
                                   lambda i, n: ("/api/v1/tickets", {"service": "A"})))
    return len(lat) / duration, percentile(lat, 99) * 1000, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--retry-s", type=float, default=0.0)
    parser.add_argument("--attacker", nargs=3, metavar=("WS_URL", "TICKET", "SECONDS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attacker:
        ws_url, ticket, seconds = args.attacker
        asyncio.run(attack(ws_url, ticket, args.sockets, float(seconds), args.retry_s))
        return

    with running_server() as server:
        target = server.issue("B")
        base_rate, base_p99, base_err = measure(server.base_url, server.kiosk_token,
                                                args.clients, args.duration)
        warmup = 30.0  # the attacker's run time beyond the measurement
        attacker = subprocess.Popen(
            [sys.executable, "-m", "bench.live_flood", "--sockets", str(args.sockets),
             "--retry-s", str(args.retry_s), "--attacker", server.ws_url, target["id"],
             str(args.duration + 2 * warmup)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert attacker.stdout is not None
        assert attacker.stdout.readline().strip() == DONE
        with httpx.Client(base_url=server.base_url, timeout=10) as c:
            held = c.get(f"/api/v1/tickets/{target['id']}").status_code
        rate, p99, err = measure(server.base_url, server.kiosk_token, args.clients,
                                 args.duration)
        outcome = json.loads(attacker.stdout.readline() or "{}")
        attacker.wait(timeout=60)

    print(f"issue, {args.clients} clients, {args.duration:.0f} s per phase")
    print(f"{'phase':<40} {'tickets/s':>10} {'p99 ms':>8} {'errors':>7}")
    print(f"{'0 phones':<40} {base_rate:>10.1f} {base_p99:>8.1f} {base_err:>7}")
    mode = f"retry {args.retry_s:g} s" if args.retry_s > 0 else "hold"
    print(f"{f'attacker, {args.sockets} on one id, {mode}':<40} {rate:>10.1f} {p99:>8.1f} "
          f"{err:>7}")
    print(f"under attack / baseline: {rate / base_rate:.0%} (target >= 80 %)")
    print(f"attacker outcome: {outcome}  (target ticket still readable: HTTP {held})")


if __name__ == "__main__":
    main()
