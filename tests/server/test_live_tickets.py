"""Many phones following their tickets at once: every phone gets its own ticket's new view
(the same one GET /api/v1/tickets/{id} gives), phones on the same ticket all get it, and an
unknown ticket is refused."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

from server import bootstrap
from server.auth import Passwords
from server.config import DEMO_CONFIG, load_config
from server.services.office import OfficeSettings
from tests.conftest import LiveServer
from tests.server.factories import KIOSK

PHONES = 12


def test_every_phone_sees_its_own_ticket_move_when_the_line_moves(
        live_server: LiveServer) -> None:
    tickets = [live_server.issue("A") for _ in range(PHONES)]
    clerk = live_server.login("clerk1", counter=1)
    followed = [*tickets[1:], tickets[1]]  # the second ticket is followed by two phones

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        phones = [await websockets.connect(
            f"{live_server.ws_url}/api/v1/tickets/{t['id']}/live") for t in followed]
        try:
            first = [json.loads(await asyncio.wait_for(p.recv(), 10)) for p in phones]
            async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10,
                                         headers={"Authorization": f"Bearer {clerk}"}) as c:
                r = await c.post("/api/v1/counters/1/next", json={"in_hand": None})
                assert r.json()["number"] == tickets[0]["number"]
            updates = [json.loads(await asyncio.wait_for(p.recv(), 10)) for p in phones]
        finally:
            for p in phones:
                await p.close()
        return first, updates

    first, updates = asyncio.run(scenario())
    with live_server.client() as anyone:
        now = {t["id"]: anyone.get(f"/api/v1/tickets/{t['id']}").json() for t in tickets}
    for ticket, snapshot, update in zip(followed, first, updates, strict=True):
        assert snapshot["type"] == "snapshot"
        assert snapshot["ticket"]["ahead"] == tickets.index(ticket)
        assert update["type"] == "ticket.update"
        assert update["ticket"] == now[ticket["id"]]
        assert update["ticket"]["ahead"] == tickets.index(ticket) - 1


def test_a_phone_asking_for_an_unknown_ticket_is_told_so(live_server: LiveServer) -> None:
    async def ask() -> int | None:
        async with websockets.connect(f"{live_server.ws_url}/api/v1/tickets/no-existe/live"
                                      ) as ws:
            try:
                await asyncio.wait_for(ws.recv(), 10)
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
        return None

    assert asyncio.run(ask()) == 4404


def test_a_preferential_ticket_issued_puts_one_more_ahead_of_a_general_one(
        live_server: LiveServer) -> None:
    mine = live_server.issue("A")

    async def follow() -> list[dict[str, Any]]:
        async with websockets.connect(
                f"{live_server.ws_url}/api/v1/tickets/{mine['id']}/live") as ws:
            seen = [json.loads(await asyncio.wait_for(ws.recv(), 10))]
            await asyncio.to_thread(live_server.issue, "A")  # general: joins the end
            await asyncio.to_thread(live_server.issue, "A", "AM")  # preferential: ahead
            seen.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        return seen

    snapshot, update = asyncio.run(follow())
    assert snapshot["ticket"]["ahead"] == 0
    assert update["type"] == "ticket.update" and update["ticket"]["ahead"] == 1


def test_one_failed_recomputation_does_not_stop_the_phones_updates(tmp_path: Path) -> None:
    """Any one failure while the followed tickets are recomputed (here the clock fails once
    on a read; in an office a transient SQLite error) used to end ``LiveTickets.run`` for
    the server's life: every phone was told the server restarts, and on reconnecting got its
    ticket once and never an update again."""
    fail_once, failed = threading.Event(), threading.Event()

    def clock() -> float:
        if fail_once.is_set() and threading.current_thread().name.startswith("turnero-read"):
            fail_once.clear()
            failed.set()
            raise OSError("el reloj no responde")
        return time.time()

    async def scenario() -> dict[str, Any] | None:
        services = bootstrap.build(tmp_path / "t.db", load_config(DEMO_CONFIG),
                                   OfficeSettings(open_all_hours=True),
                                   passwords=Passwords.cheap(), clock=clock,
                                   loop=asyncio.get_running_loop())
        live = asyncio.create_task(services.live.run())
        try:
            mine = await services.ticketing.issue_ticket("A", None, KIOSK)
            follower = await services.live.follow(mine["id"])
            assert follower.view is not None and follower.view["ahead"] == 0
            fail_once.set()
            await services.ticketing.issue_ticket("A", "AM", KIOSK)  # preferential: ahead
            assert await asyncio.to_thread(failed.wait, 10)  # that recomputation failed
            await services.ticketing.issue_ticket("A", "AM", KIOSK)  # one more ahead
            await asyncio.wait_for(follower.changed.wait(), 10)
            assert not follower.ended and not live.done()
            return follower.view
        finally:
            live.cancel()
            await asyncio.gather(live, return_exceptions=True)
            services.close()

    view = asyncio.run(scenario())
    assert view is not None and view["ahead"] == 2
