"""A simulated office day against a real server, at accelerated speed, then a reconciliation.

    python bench/soak_day.py                      # the full day (08:00-17:30), no faults
    python bench/soak_day.py --faults             # the same with kill -9, board drops, full disk
    python bench/soak_day.py --hours 3 --faults   # the short version the CI test runs

10 kiosks issue tickets (arrivals peak at opening and after lunch), 20 clerks call, start and
finish them with realistic (log-normal) service times and a few no-shows, 10 boards follow
the events websocket and keep their calls as display/static/calls.js does (de-duplicated by
`seq`), 200 phones follow tickets on /tickets/{id}/live. Time is compressed in the clients
(``--speed`` simulated seconds per real second); the server runs with --open-all-hours.

Clients behave as the real ones on failure: the kiosk retries with the same ``request_id``,
the panel calls "next" with the ticket it believes is in hand (a repeated call is harmless)
and re-reads the ticket when an answer was lost, boards and phones reconnect.

With ``--faults``: the server is killed with SIGKILL at random moments and restarted, boards
lose their socket (the page keeps its state) or are restarted (fresh page), and the disk that
holds the database fills up and frees again (a small tmpfs; needs root).

At the end the database is compared with what every client was told: every acknowledged
ticket with its number, no number twice, one ticket per arrival, every acknowledged call,
finish and no-show; every call seen by every board session exactly once (announced at most
once), phones' last status equal to the database. Prints throughput, p50/p99 latencies and
the server's memory (RSS) per simulated hour. Exit status 1 when anything does not reconcile.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import websockets  # noqa: E402

from bench.serverkit import percentile  # noqa: E402
from server.harness import DEMO_CONFIG, PASSWORD, LiveServer, password_hash  # noqa: E402

OPEN_H, CLOSE_H = 8.0, 17.5
#: Arrivals per hour by the hour of the day: a peak at opening and another after lunch.
ARRIVALS_PER_HOUR = {8: 150, 9: 120, 10: 80, 11: 40, 12: 8, 13: 20, 14: 140, 15: 90, 16: 55,
                     17: 25}
#: Mean attention in simulated minutes per service (log-normal, sigma 0.5).
SERVICE_MIN = {"A": 8.0, "B": 4.0, "C": 7.0, "D": 6.0, "E": 12.0}
SERVICE_SHARE = {"A": 0.3, "B": 0.3, "C": 0.2, "D": 0.12, "E": 0.08}
PREFERENTIAL_SHARE = 0.15
NO_SHOW_SHARE = 0.04
COUNTERS = {**{n: ["A", "B"] for n in range(1, 7)}, **{n: ["C"] for n in range(7, 11)},
            **{n: ["C", "D"] for n in range(11, 15)}, **{n: ["D", "B"] for n in range(15, 18)},
            **{n: ["E"] for n in range(18, 21)}}
KIOSKS, BOARDS, PHONES = 10, 10, 200
RETRY_S = 0.2
END = {"done", "no_show", "cancelled", "not_attended"}


# --------------------------------------------------------------------------- set-up


def office_toml() -> str:
    """The demo office with 20 counters."""
    text = DEMO_CONFIG.read_text(encoding="utf-8")
    head, rest = text.split("[[counters]]", 1)
    tail = rest[rest.index("[[groups]]"):]
    counters = "".join(f'[[counters]]\nnumber = {n}\nname = "Ventanilla {n}"\n'
                       f'services = {json.dumps(s)}\n\n' for n, s in COUNTERS.items())
    return head + counters + tail


def prepare(db: Path, config: Path) -> dict[str, list[str]]:
    from server import bootstrap
    from server.auth import Passwords
    from server.config import load_config

    services = bootstrap.build(db, load_config(config), passwords=Passwords.cheap())
    try:
        store, accounts = services.store, services.accounts
        pw = password_hash()

        def users(tx: Any) -> None:
            for n in COUNTERS:
                tx.insert_user(f"clerk{n:02d}", f"Funcionario {n}", "clerk", pw, time.time())

        store.run_sync(users)
        kiosks = [accounts.create_device_token_sync("kiosk", f"quiosco-{i}")[0]
                  for i in range(1, KIOSKS + 1)]
        boards = [accounts.create_device_token_sync("display", f"pantalla-{i}")[0]
                  for i in range(1, BOARDS + 1)]
    finally:
        services.close()
    return {"kiosks": kiosks, "boards": boards}


@dataclass
class Arrival:
    at: float  # simulated seconds since midnight
    service: str
    group: str | None
    kiosk: int
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


def arrivals(rng: random.Random, hours: float) -> list[Arrival]:
    out: list[Arrival] = []
    end = min(CLOSE_H, OPEN_H + hours) * 3600
    t = OPEN_H * 3600
    while True:
        rate = ARRIVALS_PER_HOUR.get(int(t // 3600), 0) / 3600
        t += rng.expovariate(max(rate, 1e-4))
        if t >= end:
            return out
        service = rng.choices(list(SERVICE_SHARE), weights=list(SERVICE_SHARE.values()))[0]
        group = "AM" if rng.random() < PREFERENTIAL_SHARE else None
        out.append(Arrival(t, service, group, rng.randrange(KIOSKS)))


# --------------------------------------------------------------------------- the run


@dataclass
class Ledger:
    """What the clients were told (acknowledged), and what they measured."""

    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)  # request_id → ticket
    calls: set[tuple[str, int]] = field(default_factory=set)
    finished: set[str] = field(default_factory=set)
    no_shows: set[str] = field(default_factory=set)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refused: Counter[str] = field(default_factory=Counter)
    board_sessions: list[BoardSession] = field(default_factory=list)
    phones: dict[str, str] = field(default_factory=dict)  # ticket id → last status seen
    rss: list[tuple[float, int, int]] = field(default_factory=list)  # (sim h, pid, kB)
    faults: list[str] = field(default_factory=list)


@dataclass
class BoardSession:
    """One board page's life (display/static/calls.js): the highest seq it handled."""

    name: str
    first_seq: int | None = None
    handled_seq: int | None = None
    seen: set[int] = field(default_factory=set)
    announced: list[int] = field(default_factory=list)
    shown: dict[int, tuple[str, int]] = field(default_factory=dict)  # seq → (number, counter)

    def snapshot(self, snap: dict[str, Any]) -> None:
        seq = int(snap.get("seq") or 0)
        calls = sorted((c for c in snap.get("recent_calls", [])
                        if c.get("type") in ("ticket.called", "ticket.recalled")),
                       key=lambda c: c["seq"])
        fresh = self.handled_seq is None or seq < self.handled_seq
        for c in calls:
            if fresh or c["seq"] > (self.handled_seq or 0):
                self._see(c, c["counter"], announce=not fresh)
        if self.first_seq is None:
            self.first_seq = seq
        self.handled_seq = seq

    def event(self, ev: dict[str, Any]) -> None:
        if ev.get("type") not in ("ticket.called", "ticket.recalled"):
            if ev.get("seq") and self.handled_seq is not None and ev["seq"] > self.handled_seq:
                self.handled_seq = ev["seq"]
            return
        if self.handled_seq is not None and ev["seq"] <= self.handled_seq:
            return
        self.handled_seq = ev["seq"]
        counter = ev["counter"]["number"] if isinstance(ev["counter"], dict) else ev["counter"]
        self._see(ev, counter, announce=True)

    def _see(self, call: dict[str, Any], counter: int, announce: bool) -> None:
        self.seen.add(call["seq"])
        self.shown[call["seq"]] = (call["ticket"]["number"], int(counter))
        if announce:
            self.announced.append(call["seq"])


class Day:
    def __init__(self, args: argparse.Namespace, server: LiveServer,
                 tokens: dict[str, list[str]], disk: Path | None) -> None:
        self.args = args
        self.server = server
        self.tokens = tokens
        self.disk = disk
        self.rng = random.Random(args.seed)
        self.plan = arrivals(self.rng, args.hours)
        self.end_sim = min(CLOSE_H, OPEN_H + args.hours) * 3600
        self.ledger = Ledger()
        self.kiosks_done = asyncio.Event()
        self.all_done = asyncio.Event()
        self.restarting = asyncio.Lock()
        self.follow: asyncio.Queue[str] = asyncio.Queue()
        self.t0 = 0.0

    # -- clock ----------------------------------------------------------------------------
    def sim(self) -> float:
        return OPEN_H * 3600 + (time.monotonic() - self.t0) * self.args.speed

    async def sleep_sim(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds / self.args.speed))

    async def until_sim(self, at: float) -> None:
        await asyncio.sleep(max(0.0, (at - self.sim()) / self.args.speed))

    @property
    def base(self) -> str:
        return self.server.base_url

    # -- requests with the real clients' retry rules --------------------------------------
    async def request(self, client: httpx.AsyncClient, kind: str, method: str, path: str,
                      body: Any = None) -> httpx.Response | None:
        """One attempt; None when the answer was lost (connection refused or cut)."""
        start = time.perf_counter()
        try:
            r = await client.request(method, self.base + path, json=body)
        except httpx.TransportError:
            self.ledger.refused["connection"] += 1
            return None
        self.ledger.latency[kind].append(time.perf_counter() - start)
        if r.status_code == 503:
            self.ledger.refused["503"] += 1
            return None
        if r.status_code >= 500:
            self.ledger.refused[str(r.status_code)] += 1
            return None
        return r

    # -- kiosks ---------------------------------------------------------------------------
    async def kiosk(self, index: int, items: list[Arrival]) -> None:
        headers = {"Authorization": f"Bearer {self.tokens['kiosks'][index]}"}
        async with httpx.AsyncClient(headers=headers, timeout=30) as c:
            for a in items:
                await self.until_sim(a.at)
                while True:
                    r = await self.request(c, "issue", "POST", "/api/v1/tickets",
                                           {"service": a.service, "group": a.group,
                                            "request_id": a.request_id})
                    if r is not None and r.status_code == 201:
                        t = r.json()
                        self.ledger.tickets[a.request_id] = t
                        self.follow.put_nowait(t["id"])
                        break
                    assert r is None, r.text
                    await asyncio.sleep(RETRY_S)

    # -- clerks ---------------------------------------------------------------------------
    async def sign_in(self, number: int, gate: asyncio.Semaphore) -> str:
        """Before opening (not on the compressed clock), two at a time: 20 simultaneous
        argon2 checks (64 MB each) would take the server over 1 GB for a moment."""
        async with gate, httpx.AsyncClient(timeout=60) as c:
            while True:
                r = await self.request(c, "login", "POST", "/api/v1/auth/login", {
                    "username": f"clerk{number:02d}", "password": PASSWORD, "counter": number})
                if r is not None and r.status_code == 200:
                    token: str = r.json()["token"]
                    return token
                await asyncio.sleep(RETRY_S)

    async def clerk(self, number: int, token: str) -> None:
        rng = random.Random(self.args.seed * 100 + number)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(timeout=30, headers=headers) as c:
            while True:
                r = await self.retry(c, "next", "POST", f"/api/v1/counters/{number}/next",
                                     {"in_hand": None})
                if r.status_code == 204:
                    if self.kiosks_done.is_set():
                        return  # every arrival has its ticket and none waits here
                    await self.sleep_sim(30)
                    continue
                assert r.status_code == 200, r.text
                t = r.json()
                self.ledger.calls.add((t["id"], number))
                if t["status"] == "called" and rng.random() < NO_SHOW_SHARE:
                    await self.sleep_sim(120)
                    if await self.act(c, t["id"], "no-show", "no_show"):
                        self.ledger.no_shows.add(t["id"])
                    continue
                if t["status"] == "called":
                    await self.sleep_sim(rng.uniform(20, 60))  # the citizen walks up
                    await self.act(c, t["id"], "start", "serving")
                mean = SERVICE_MIN[t["service"]] * 60
                await self.sleep_sim(rng.lognormvariate(0, 0.5) * mean * 0.88)
                if await self.act(c, t["id"], "finish", "done"):
                    self.ledger.finished.add(t["id"])

    async def retry(self, c: httpx.AsyncClient, kind: str, method: str, path: str,
                    body: Any = None) -> httpx.Response:
        while True:
            r = await self.request(c, kind, method, path, body)
            if r is not None:
                return r
            await asyncio.sleep(RETRY_S)

    async def act(self, c: httpx.AsyncClient, ticket_id: str, action: str, after: str) -> bool:
        """start / finish / no-show; True only when the server acknowledged it. A lost answer
        is settled by re-reading the ticket, as the panel does after a reconnect."""
        r = await self.retry(c, action, "POST", f"/api/v1/tickets/{ticket_id}/{action}")
        if r.status_code == 200:
            return True
        assert r.status_code == 409, r.text  # already applied by the lost attempt
        now = (await self.retry(c, "read", "GET", f"/api/v1/tickets/{ticket_id}")).json()
        assert now["status"] == after, (action, now)
        return False

    # -- boards ---------------------------------------------------------------------------
    async def board(self, index: int, session: BoardSession | None = None) -> None:
        """A board page; ``session`` given: the page lived on while its socket dropped."""
        if session is None:
            session = BoardSession(f"pantalla-{index + 1}")
            self.ledger.board_sessions.append(session)
        url = f"{self.server.ws_url}/api/v1/events?token={self.tokens['boards'][index]}"

        def handle(msg: dict[str, Any]) -> bool:
            if msg.get("type") == "snapshot":
                session.snapshot(msg)
            elif msg.get("type") != "heartbeat":
                session.event(msg)
            return False

        await self.live(url, handle)

    async def live(self, url: str, handle: Any) -> None:
        """Follow a websocket, reconnecting as live.js does, until ``handle(msg)`` says done
        or the day is over."""
        while not self.all_done.is_set():
            try:
                async with websockets.connect(url, open_timeout=5, close_timeout=1) as ws:
                    async for raw in ws:
                        if handle(json.loads(raw)):
                            return
            except (TimeoutError, OSError, websockets.WebSocketException):
                pass
            await asyncio.sleep(RETRY_S)

    async def boards_with_faults(self) -> None:
        tasks = {i: asyncio.create_task(self.board(i)) for i in range(BOARDS)}
        rng = random.Random(self.args.seed + 7)
        try:
            while not self.all_done.is_set():
                await self.sleep_sim(rng.uniform(15, 45) * 60)
                if not self.args.faults or self.all_done.is_set():
                    continue
                i = rng.randrange(BOARDS)
                restart = rng.random() < 0.5
                tasks[i].cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await tasks[i]
                await asyncio.sleep(rng.uniform(0.05, 0.3))
                if restart:  # a fresh page: a new session
                    tasks[i] = asyncio.create_task(self.board(i))
                else:  # the socket dropped; the page (its handled seq) lives on
                    session = next(s for s in reversed(self.ledger.board_sessions)
                                   if s.name == f"pantalla-{i + 1}")
                    tasks[i] = asyncio.create_task(self.board(i, session))
                self.ledger.faults.append(f"{self.clock()} board {i + 1} "
                                          f"{'restarted' if restart else 'socket dropped'}")
        finally:
            for t in tasks.values():
                t.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)

    # -- phones ---------------------------------------------------------------------------
    async def phone(self) -> None:
        while not self.all_done.is_set():
            try:
                ticket_id = await asyncio.wait_for(self.follow.get(), 0.5)
            except TimeoutError:
                continue
            url = f"{self.server.ws_url}/api/v1/tickets/{ticket_id}/live"

            def handle(msg: dict[str, Any], ticket_id: str = ticket_id) -> bool:
                if "ticket" in msg:
                    self.ledger.phones[ticket_id] = msg["ticket"]["status"]
                return self.ledger.phones.get(ticket_id) in END

            await self.live(url, handle)

    # -- server faults and memory ---------------------------------------------------------
    def clock(self) -> str:
        s = int(self.sim())
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}"

    async def kill_at_random(self) -> None:
        rng = random.Random(self.args.seed + 3)
        count = max(2, round(self.args.hours / 2.5))
        moments = sorted(rng.uniform(OPEN_H * 3600 + 600, self.end_sim - 300)
                         for _ in range(count))
        for at in moments:
            await self.until_sim(at)
            self.ledger.faults.append(f"{self.clock()} kill -9 of the server")
            await asyncio.to_thread(self.server.stop, True)
            await asyncio.to_thread(self.server.start, 60.0)

    async def fill_disk(self) -> None:
        if self.disk is None:
            self.ledger.faults.append("disk fault skipped (needs root for a tmpfs)")
            return
        rng = random.Random(self.args.seed + 5)
        await self.until_sim(rng.uniform(OPEN_H * 3600 + 1800, self.end_sim - 900))
        self.ledger.faults.append(f"{self.clock()} disk full")
        filler = await asyncio.to_thread(fill, self.disk)
        await self.sleep_sim(15 * 60)
        filler.unlink()
        self.ledger.faults.append(f"{self.clock()} disk freed")

    async def sample_memory(self) -> None:
        while not self.all_done.is_set():
            proc = self.server.process
            if proc is not None and proc.poll() is None:
                kb = rss_kb(proc.pid)
                if kb:
                    self.ledger.rss.append((self.sim() / 3600, proc.pid, kb))
            await asyncio.sleep(0.5)

    # -- the day --------------------------------------------------------------------------
    async def run(self) -> float:
        gate = asyncio.Semaphore(2)
        tokens = await asyncio.gather(*(self.sign_in(n, gate) for n in COUNTERS))
        self.t0 = time.monotonic()
        per_kiosk: dict[int, list[Arrival]] = defaultdict(list)
        for a in self.plan:
            per_kiosk[a.kiosk].append(a)
        kiosks = [asyncio.create_task(self.kiosk(i, per_kiosk[i])) for i in range(KIOSKS)]
        clerks = [asyncio.create_task(self.clerk(n, t)) for n, t in zip(COUNTERS, tokens,
                                                                          strict=True)]
        others = [asyncio.create_task(self.boards_with_faults()),
                  asyncio.create_task(self.sample_memory()),
                  *[asyncio.create_task(self.phone()) for _ in range(PHONES)]]
        faults = []
        if self.args.faults:
            faults = [asyncio.create_task(self.kill_at_random()),
                      asyncio.create_task(self.fill_disk())]
        await asyncio.gather(*kiosks)
        self.kiosks_done.set()
        await asyncio.gather(*clerks, *faults)
        elapsed = time.monotonic() - self.t0
        await asyncio.sleep(0.5)  # the last events reach boards and phones
        self.all_done.set()
        await asyncio.gather(*others, return_exceptions=True)
        return elapsed


def fill(folder: Path) -> Path:
    filler = folder / "relleno.bin"
    with open(filler, "wb", buffering=0) as f:
        for chunk in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    f.write(b"\0" * chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
    return filler


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --------------------------------------------------------------------------- reconciliation


def reconcile(db: Path, day: Day) -> list[str]:
    """Problems found comparing the database with what the clients were told."""
    led = day.ledger
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {r["id"]: r for r in conn.execute("SELECT * FROM tickets")}
    audit = list(conn.execute("SELECT seq, kind, ticket_id, counter FROM audit_log"))
    dupes = conn.execute("SELECT COUNT(*) FROM (SELECT day, letter, seq FROM tickets "
                         "GROUP BY 1, 2, 3 HAVING COUNT(*) > 1)").fetchone()[0]
    conn.close()
    return (_ticket_problems(day, rows, dupes) + _call_problems(led, rows, audit)
            + _board_problems(led, rows, audit))


def _ticket_problems(day: Day, rows: dict[str, sqlite3.Row], dupes: int) -> list[str]:
    """Acknowledged tickets lost or numbered twice, and counts that do not add up."""
    problems: list[str] = []
    acked = list(day.ledger.tickets.values())
    lost = [t["number"] for t in acked if t["id"] not in rows
            or rows[t["id"]]["number"] != t["number"]]
    if lost:
        problems.append(f"{len(lost)} acknowledged tickets lost: {lost[:10]}")
    if dupes or len({t["number"] for t in acked}) != len(acked):
        problems.append(f"duplicated numbers ({dupes} in the database)")
    if len(rows) != len(day.plan) or len(acked) != len(day.plan):
        problems.append(f"{len(day.plan)} arrivals, {len(acked)} acknowledged, "
                        f"{len(rows)} tickets stored")
    return problems


def _call_problems(led: Ledger, rows: dict[str, sqlite3.Row], audit: list[sqlite3.Row]
                   ) -> list[str]:
    """Acknowledged calls, finishes and no-shows the database lacks; tickets left open."""
    problems: list[str] = []
    called = defaultdict(list)
    for r in audit:
        if r["kind"] == "ticket.called":
            called[r["ticket_id"]].append((r["seq"], r["counter"]))
    missing_calls = [c for c in led.calls if c[1] not in {n for _, n in called[c[0]]}]
    if missing_calls:
        problems.append(f"{len(missing_calls)} acknowledged calls not stored")
    twice = [tid for tid, calls in called.items() if len(calls) > 1]
    if twice:
        problems.append(f"{len(twice)} tickets called twice")
    bad_finish = [tid for tid in led.finished if rows[tid]["status"] != "done"]
    bad_noshow = [tid for tid in led.no_shows if rows[tid]["status"] != "no_show"]
    if bad_finish or bad_noshow:
        problems.append(f"{len(bad_finish)} finishes and {len(bad_noshow)} no-shows not stored")
    open_left = [r["number"] for r in rows.values() if r["status"] not in END]
    if open_left:
        problems.append(f"{len(open_left)} tickets never ended: {open_left[:10]}")
    return problems


def _board_problems(led: Ledger, rows: dict[str, sqlite3.Row], audit: list[sqlite3.Row]
                    ) -> list[str]:
    """Calls a board missed, announced twice or showed wrong; phones told a wrong end."""
    problems: list[str] = []
    calls_by_seq = {r["seq"]: (r["ticket_id"], r["counter"]) for r in audit
                    if r["kind"] in ("ticket.called", "ticket.recalled")}
    for s in led.board_sessions:
        if s.first_seq is None:
            continue
        window = {q for q in calls_by_seq if s.first_seq < q <= (s.handled_seq or 0)}
        missed = window - s.seen
        repeated = [q for q, n in Counter(s.announced).items() if n > 1]
        wrong = [q for q, (number, counter) in s.shown.items()
                 if q not in calls_by_seq or calls_by_seq[q][1] != counter
                 or rows[calls_by_seq[q][0]]["number"] != number]
        if missed or repeated or wrong:
            problems.append(f"board {s.name}: {len(missed)} calls lost, {len(repeated)} "
                            f"announced twice, {len(wrong)} not matching the database")
    phone_wrong = [tid for tid, status in led.phones.items()
                   if status in END and rows[tid]["status"] != status]
    if phone_wrong:
        problems.append(f"{len(phone_wrong)} phones ended on a status the database lacks")
    return problems


def report(day: Day, elapsed: float, problems: list[str]) -> str:
    led = day.ledger
    lines = [f"simulated {day.args.hours:g} h at {day.args.speed:g}x in {elapsed:.1f} s real"
             f"{' with faults' if day.args.faults else ''} (seed {day.args.seed})",
             f"tickets: {len(led.tickets)} issued ({len(led.tickets) / elapsed:.1f}/s real), "
             f"{len(led.finished)} finished, {len(led.no_shows)} no-shows, "
             f"{len(led.calls)} calls, {len(led.phones)} followed by phones, "
             f"{len(led.board_sessions)} board sessions"]
    requests = sum(len(v) for v in led.latency.values())
    lines.append(f"requests: {requests} answered ({requests / elapsed:.0f}/s), refused or lost "
                 f"answers: {dict(led.refused) or 0}")
    for kind in ("issue", "next", "start", "finish", "no-show", "read"):
        ms = [v * 1000 for v in led.latency.get(kind, [])]
        if ms:
            lines.append(f"  {kind:<8} n={len(ms):5d}  p50 {percentile(ms, 50):6.1f} ms  "
                         f"p99 {percentile(ms, 99):6.1f} ms")
    by_hour: dict[int, int] = {}
    for h, _pid, kb in led.rss:
        by_hour[int(h)] = max(by_hour.get(int(h), 0), kb)
    lines.append("server RSS by simulated hour (max MB): " + ", ".join(
        f"{h:02d}h {kb / 1024:.0f}" for h, kb in sorted(by_hour.items())))
    lines.extend(f"  fault: {f}" for f in led.faults)
    lines.append("reconciliation: " + ("OK — 0 acknowledged tickets lost, 0 duplicated "
                                       "numbers, 0 calls lost or announced twice"
                                       if not problems else "; ".join(problems)))
    return "\n".join(lines)


@contextlib.contextmanager
def data_disk(tmp: Path, want: bool):  # type: ignore[no-untyped-def]
    """A 64 MB tmpfs for the database when the disk fault is wanted (root only)."""
    if not want or os.geteuid() != 0:
        yield None
        return
    mount = tmp / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def run(args: argparse.Namespace) -> tuple[str, list[str], Day]:
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        config = tmp / "office.toml"
        config.write_text(office_toml(), encoding="utf-8")
        with data_disk(tmp, args.faults) as disk:
            db = (disk or tmp) / "turnero.db"
            tokens = prepare(db, config)
            server = LiveServer(db=db, config=config)
            server.start()
            try:
                day = Day(args, server, tokens, disk)
                elapsed = asyncio.run(day.run())
            finally:
                server.stop()
            problems = reconcile(db, day)
            return report(day, elapsed, problems), problems, day


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hours", type=float, default=CLOSE_H - OPEN_H,
                   help="simulated hours from 08:00 (default: the whole day)")
    p.add_argument("--speed", type=float, default=300.0,
                   help="simulated seconds per real second (default 300)")
    p.add_argument("--faults", action="store_true",
                   help="kill -9 the server, drop and restart boards, fill the disk")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    text, problems, _ = run(args)
    print(text, flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
