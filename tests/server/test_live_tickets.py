"""Many phones following their tickets at once: every phone gets its own ticket's new view
(the same one GET /api/v1/tickets/{id} gives), phones on the same ticket all get it, and an
unknown ticket is refused."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets

from tests.conftest import LiveServer

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
