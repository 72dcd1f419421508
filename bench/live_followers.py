"""Issuing rate with 0 and with N phones following their tickets live, side by side.

Each phone holds ``WS /api/v1/tickets/{id}/live`` open on a waiting ticket and reads every
update. One ticket in six is preferential: it puts one more person ahead of the general
tickets of its service, so their phones must be told. Two
fresh servers are measured in one run, both with the same N tickets already waiting so the
line is equally long: one with nobody following, one with the N phones connected (run in a
child process, so their sockets do not slow the load generator's event loop). Kiosks issue
in a closed loop (each sends its next request as soon as the answer arrives).

    python -m bench.live_followers [--phones 400] [--kiosks 10] [--duration 10]
                                   [--root PATH]   # a server from another checkout

The load generator, the phones and the server share the same 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from server.harness import ROOT, LiveServer, prepare_database, subprocess_env

#: One ticket in six is preferential, about what offices see (~17 %).
PREFERENTIAL_EVERY = 6


def ticket_body(n: int) -> dict[str, str | None]:
    """The n-th ticket of a kiosk: services in turn, one in six preferential."""
    return {"service": "ABCDE"[n % 5], "group": "AM" if n % PREFERENTIAL_EVERY == 5 else None}


async def issue_for(base: str, token: str, kiosks: int, duration: float) -> tuple[int, int]:
    """(tickets issued, errors) by ``kiosks`` closed-loop clients for ``duration`` s."""
    issued = errors = 0
    limits = httpx.Limits(max_connections=kiosks, max_keepalive_connections=kiosks)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        end = time.perf_counter() + duration

        async def kiosk(i: int) -> None:
            nonlocal issued, errors
            n = 0
            while time.perf_counter() < end:
                r = await c.post("/api/v1/tickets", json=ticket_body(i + n))
                if r.status_code == 201:
                    issued += 1
                else:
                    errors += 1
                n += 1

        await asyncio.gather(*(kiosk(i) for i in range(kiosks)))
    return issued, errors


async def prefill(base: str, token: str, count: int) -> list[str]:
    """``count`` waiting tickets; returns their ids."""
    async with httpx.AsyncClient(base_url=base, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        ids = []
        for n in range(count):
            r = await c.post("/api/v1/tickets", json={"service": "ABCDE"[n % 5]})
            r.raise_for_status()
            ids.append(r.json()["id"])
        return ids


async def phones(ws_base: str) -> None:
    """Child process: read the ticket ids (a JSON line on stdin), follow every ticket, say
    "ready" once all snapshots arrived, then read updates until stdin closes; finally print
    how many updates arrived."""
    import websockets

    loop = asyncio.get_running_loop()
    ids: list[str] = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    updates = 0
    ready = 0
    all_ready = asyncio.Event()

    async def phone(ticket_id: str) -> None:
        nonlocal updates, ready
        async with websockets.connect(f"{ws_base}/api/v1/tickets/{ticket_id}/live",
                                      max_queue=None) as ws:
            first = json.loads(await ws.recv())
            assert first["type"] == "snapshot", first
            ready += 1
            if ready == len(ids):
                all_ready.set()
            async for message in ws:
                if json.loads(message)["type"] == "ticket.update":
                    updates += 1

    tasks = []
    for ticket_id in ids:  # connect in small steps, as phones arrive
        tasks.append(asyncio.create_task(phone(ticket_id)))
        await asyncio.sleep(0.002)
    await asyncio.wait_for(all_ready.wait(), timeout=120)
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    print(json.dumps({"updates": updates}), flush=True)
    for t in tasks:
        t.cancel()


def prepare_with(root: Path, db: Path) -> dict[str, str]:
    """Users and tokens made by another checkout's own code (so its schema, too)."""
    module = "server.harness" if (root / "server" / "harness.py").exists() else "tests.conftest"
    code = (f"import json, sys; from pathlib import Path; from {module} import prepare_database; "
            "print(json.dumps(prepare_database(Path(sys.argv[1]))))")
    done = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True,
                          text=True, check=True, cwd=root, env=subprocess_env(root))
    tokens: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return tokens


def measure(root: Path, phones_n: int, kiosks: int, duration: float, follow: bool
            ) -> tuple[float, int]:
    """Tickets per second on a fresh server (and updates the phones got)."""
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(db=Path(tmp) / "bench.db", root=root, cheap_passwords=False)
        server.tokens = prepare_database(server.db) if root == ROOT else \
            prepare_with(root, server.db)
        server.start()
        child = None
        try:
            ids = asyncio.run(prefill(server.base_url, server.kiosk_token, phones_n))
            if follow:
                child = subprocess.Popen(
                    [sys.executable, "-m", "bench.live_followers", "--phones-child",
                     server.ws_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    text=True, cwd=ROOT, env=subprocess_env())
                assert child.stdout is not None and child.stdin is not None
                child.stdin.write(json.dumps(ids) + "\n")
                child.stdin.flush()
                line = child.stdout.readline().strip()
                if line != "ready":
                    raise RuntimeError(f"phones did not connect: {line!r}")
            issued, errors = asyncio.run(issue_for(server.base_url, server.kiosk_token,
                                                   kiosks, duration))
            updates = 0
            if child is not None:
                assert child.stdin is not None and child.stdout is not None
                child.stdin.close()
                updates = json.loads(child.stdout.readline())["updates"]
            if errors:
                raise RuntimeError(f"{errors} requests failed")
            return issued / duration, updates
        finally:
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()
            server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=400)
    parser.add_argument("--kiosks", type=int, default=10)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="source tree the server runs from (default: this one)")
    parser.add_argument("--phones-child", metavar="WS_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phones_child:
        asyncio.run(phones(args.phones_child))
        return 0
    print(f"# issuing, {args.kiosks} kiosks closed loop, {args.duration:.0f} s, "
          f"{args.phones} tickets waiting, server from {args.root}")
    alone, _ = measure(args.root, args.phones, args.kiosks, args.duration, follow=False)
    print(f"0 phones following:   {alone:6.0f} tickets/s", flush=True)
    followed, updates = measure(args.root, args.phones, args.kiosks, args.duration,
                                follow=True)
    print(f"{args.phones} phones following: {followed:6.0f} tickets/s  "
          f"({updates:,} updates pushed to phones)", flush=True)
    print(f"ratio: {followed / alone:.2f} (1.00 = following costs the kiosks nothing)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
