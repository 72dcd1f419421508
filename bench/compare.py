"""Side-by-side ratios, measured in ONE run with the servers alternating request by request, so a
busy machine slows both sides of each pair alike (absolute figures on a shared 2-core box
move with the neighbours' load; ratios taken this way hold).

Pairs:
- issue: the floor (``bench.floor_app``: a FastAPI request and one durable SQLite commit) vs
  Turnero: sequential issue p50 and server CPU per request (``/proc`` of each server), the
  CPU both request by request and with each server alone for a block of the same size
  (between two of its requests the others' work empties the CPU caches, ~10 % more).
- with ``--baseline REF``: the same issue run against Turnero at git REF (exported with
  ``git archive``, its own database prepared by its own code): an A/B of this tree's changes.
- call next and board snapshot with 0 vs 10,000 tickets waiting (two servers of this tree;
  before each timed call one ticket is issued, so both calls have a ticket to call).

    python -m bench.compare [--rounds 5] [--issues 200] [--calls 100] [--baseline main]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import websockets

from bench.serverkit import ROOT, cpu_seconds, percentile
from server.harness import free_port

PREPARE = ("import json, sys; from pathlib import Path; "
           "from tests.conftest import prepare_database; "
           "print(json.dumps(prepare_database(Path(sys.argv[1]))))")


@dataclass
class Server:
    """One server subprocess (a Turnero tree or the floor app) and what was measured on it."""

    name: str
    cmd: list[str]
    cwd: Path
    port: int
    tokens: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    latencies: list[float] = field(default_factory=list)
    cpu: float = 0.0
    requests: int = 0
    #: CPU and requests when it ran alone (a block of requests, nobody else in between).
    alone_cpu: float = 0.0
    alone_requests: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(self.cwd))
        self.process = subprocess.Popen(self.cmd, cwd=self.cwd, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=0.5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)

    def p50_ms(self) -> float:
        return percentile(self.latencies, 50) * 1000

    def cpu_ms(self) -> float:
        return self.cpu / self.requests * 1000

    def alone_cpu_ms(self) -> float:
        return self.alone_cpu / self.alone_requests * 1000


def interleaved(work: list[tuple[Server, Callable[[], float]]], count: int) -> None:
    """``count`` timed calls on each server, alternating request by request (each call
    returns its own latency), and each server's CPU over the round."""
    cpu0 = [cpu_seconds(s.process.pid) for s, _ in work if s.process is not None]
    for _ in range(count):
        for s, fn in work:
            s.latencies.append(fn())
    for (s, _), before in zip(work, cpu0, strict=True):
        assert s.process is not None
        s.cpu += cpu_seconds(s.process.pid) - before
        s.requests += count


def alone(work: list[tuple[Server, Callable[[], float]]], count: int) -> None:
    """``count`` calls on each server in turn, a whole block before the next server: its CPU
    per request without the other servers' work between two of its requests (which takes
    their code and data out of the CPU caches)."""
    for s, fn in work:
        assert s.process is not None
        before = cpu_seconds(s.process.pid)
        for _ in range(count):
            fn()
        s.alone_cpu += cpu_seconds(s.process.pid) - before
        s.alone_requests += count


def turnero(name: str, tree: Path, db: Path) -> Server:
    tokens = json.loads(subprocess.run(
        [sys.executable, "-c", PREPARE, str(db)], cwd=tree, check=True, capture_output=True,
        env=dict(os.environ, PYTHONPATH=str(tree)), text=True).stdout.strip().splitlines()[-1])
    port = free_port()
    cmd = [sys.executable, "-m", "server", "serve", "--db", str(db), "--config",
           str(tree / "server" / "demo" / "office.toml"), "--port", str(port),
           "--open-all-hours"]
    return Server(name, cmd, tree, port, tokens)


def floor(db: Path) -> Server:
    port = free_port()
    return Server("floor", [sys.executable, "-m", "bench.floor_app", str(db), str(port)], ROOT,
                  port)


def fill_line(db: Path, count: int, tz: str = "America/Bogota") -> None:
    """``count`` tickets waiting today for services A and B (every 10th preferential)."""
    now = time.time()
    local = datetime.fromtimestamp(now, ZoneInfo(tz))
    day = local.date().isoformat()
    rows = []
    for i in range(count):
        letter = "AB"[i % 2]
        seq = i // 2 + 1
        at = now - 3600 + i * 0.1
        rows.append((uuid.uuid4().hex, f"{letter}-{seq:03d}", letter, seq, day, letter,
                     "AM" if i % 10 == 0 else None, "waiting", at, at, local.hour,
                     local.weekday(), "ok"))
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            """INSERT INTO tickets (id, number, letter, seq, day, service, group_code, status,
               issued_at, queued_at, hour, weekday, print_status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
    conn.close()


def baseline_tree(ref: str, into: Path) -> Path:
    """This repository's tree at ``ref`` (committed files only), without touching the repo."""
    archive = into / "baseline.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), ref], cwd=ROOT,
                   check=True)
    tree = into / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def timed_post(client: httpx.Client, path: str, body: object, expect: int) -> Callable[[], float]:
    def one() -> float:
        t0 = time.perf_counter()
        r = client.post(path, json=body)
        elapsed = time.perf_counter() - t0
        assert r.status_code == expect, r.text
        return elapsed

    return one


def board_connect(url: str) -> float:
    """Open a board's websocket and time until its snapshot arrives."""

    async def go() -> float:
        t0 = time.perf_counter()
        async with websockets.connect(url, compression=None) as ws:
            snapshot = json.loads(await ws.recv())
            elapsed = time.perf_counter() - t0
            assert snapshot["type"] == "snapshot"
        return elapsed

    return asyncio.run(go())


def login(server: Server, user: str, counter: int) -> str:
    r = httpx.post(f"{server.base}/api/v1/auth/login", timeout=10,
                   json={"username": user, "password": "clave-de-prueba-1",
                         "counter": counter, "force": True})
    r.raise_for_status()
    return str(r.json()["token"])


def ratio_line(label: str, a: float, b: float, unit: str) -> None:
    print(f"| {label} | {a:.2f} {unit} | {b:.2f} {unit} | **{b / a:.2f}x** |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--issues", type=int, default=200, help="per server per round")
    parser.add_argument("--calls", type=int, default=100, help="per server per round")
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--baseline", help="git ref to A/B the issue path against")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        issue_side = [floor(tmp / "floor.db"), turnero("turnero", ROOT, tmp / "t.db")]
        if args.baseline:
            base_tree = baseline_tree(args.baseline, tmp)
            issue_side.append(turnero(f"turnero@{args.baseline}", base_tree, tmp / "b.db"))
        empty = turnero("0 waiting", ROOT, tmp / "empty.db")
        full = turnero(f"{args.waiting:,} waiting", ROOT, tmp / "full.db")
        fill_line(tmp / "full.db", args.waiting)
        servers = [*issue_side, empty, full]
        for s in servers:
            s.start()
        try:
            clients = {s.name: httpx.Client(
                base_url=s.base, timeout=30,
                headers={"Authorization": f"Bearer {s.tokens['kiosk']}"} if s.tokens else {})
                for s in servers}
            clerks = {s.name: httpx.Client(base_url=s.base, timeout=30,
                                           headers={"Authorization":
                                                    f"Bearer {login(s, 'clerk1', 1)}"})
                      for s in (empty, full)}
            calls = {s.name: Server(s.name, [], ROOT, s.port, process=s.process)
                     for s in (empty, full)}
            boards = {s.name: Server(s.name, [], ROOT, s.port, process=s.process)
                      for s in (empty, full)}
            for _ in range(args.rounds):
                issues = [(s, timed_post(clients[s.name],
                                         "/floor" if s.name == "floor" else "/api/v1/tickets",
                                         {"service": "A"}, 201)) for s in issue_side]
                interleaved(issues, args.issues)
                alone(issues, args.issues)

                def call(s: Server) -> Callable[[], float]:
                    kiosk, clerk = clients[s.name], clerks[s.name]

                    def one() -> float:
                        assert kiosk.post("/api/v1/tickets", json={"service": "A"}
                                          ).status_code == 201
                        return timed_post(clerk, "/api/v1/counters/1/next", {"previous": "served"},
                                          200)()

                    return one

                interleaved([(calls[s.name], call(s)) for s in (empty, full)], args.calls)

                def board(s: Server) -> Callable[[], float]:
                    url = f"ws://127.0.0.1:{s.port}/api/v1/events?token={s.tokens['display']}"
                    return lambda: board_connect(url)

                interleaved([(boards[s.name], board(s)) for s in (empty, full)],
                            args.calls // 4)
        finally:
            for s in servers:
                s.stop()

    print(f"# side by side, {args.rounds} rounds, servers alternating request by request")
    print("\n| pair | reference | Turnero | ratio |\n|---|---:|---:|---:|")
    ref, cur = issue_side[0], issue_side[1]
    ratio_line("sequential issue p50 (floor vs Turnero)", ref.p50_ms(), cur.p50_ms(), "ms")
    ratio_line("server CPU per issue (floor vs Turnero)", ref.cpu_ms(), cur.cpu_ms(), "ms")
    ratio_line("server CPU per issue, each server alone (floor vs Turnero)",
               ref.alone_cpu_ms(), cur.alone_cpu_ms(), "ms")
    if args.baseline:
        old = issue_side[2]
        ratio_line(f"sequential issue p50 ({old.name} vs this tree)", old.p50_ms(),
                   cur.p50_ms(), "ms")
        ratio_line(f"server CPU per issue ({old.name} vs this tree)", old.cpu_ms(),
                   cur.cpu_ms(), "ms")
        ratio_line(f"server CPU per issue, each server alone ({old.name} vs this tree)",
                   old.alone_cpu_ms(), cur.alone_cpu_ms(), "ms")
    c0, c1 = calls[empty.name], calls[full.name]
    ratio_line(f"call next p50 (0 vs {args.waiting:,} waiting)", c0.p50_ms(), c1.p50_ms(), "ms")
    b0, b1 = boards[empty.name], boards[full.name]
    ratio_line(f"board snapshot on connect p50 (0 vs {args.waiting:,} waiting)", b0.p50_ms(),
               b1.p50_ms(), "ms")


if __name__ == "__main__":
    main()
