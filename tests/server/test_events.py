"""The event hub: a slow or dead client is dropped, never slowing the others."""

from __future__ import annotations

import asyncio
import json

import websockets

from server.events import CLIENT_BUFFER, EventHub
from tests.conftest import LiveServer


def test_a_client_that_does_not_read_is_dropped_and_others_get_everything() -> None:
    async def scenario() -> None:
        hub = EventHub(asyncio.get_running_loop())
        stuck, healthy = hub.subscribe(), hub.subscribe()
        received = []

        async def read_healthy() -> None:
            while True:
                item = await healthy.queue.get()
                if item is None:
                    return
                received.append(item[0])
                if len(received) == CLIENT_BUFFER * 2:
                    return

        reader = asyncio.create_task(read_healthy())
        for seq in range(1, CLIENT_BUFFER * 2 + 1):
            hub.publish({"type": "ticket.issued", "seq": seq})
            await asyncio.sleep(0)  # the healthy client keeps up
        await asyncio.wait_for(reader, 2)
        assert received == list(range(1, CLIENT_BUFFER * 2 + 1))
        assert stuck.overflowed and hub.client_count == 1
        assert stuck.queue.get_nowait() is None  # its sender is told to close

    asyncio.run(scenario())


def test_events_arrive_in_commit_order_to_every_client(live_server: LiveServer) -> None:
    """Two websocket clients, one of them never reading; the other sees every issue event in
    order while all HTTP requests succeed."""
    n = 120

    async def scenario() -> list[int]:
        url = f"{live_server.ws_url}/api/v1/events?token={live_server.display_token}"
        async with websockets.connect(url) as idle, websockets.connect(url) as ws:
            await ws.recv()  # snapshot
            numbers: list[int] = []

            async def issue_all() -> None:
                for _ in range(n):
                    await asyncio.to_thread(live_server.issue, "B")

            issuing = asyncio.create_task(issue_all())
            while len(numbers) < n:
                m = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if m["type"] == "ticket.issued":
                    numbers.append(int(m["ticket"]["number"].split("-")[1]))
            await issuing
            assert idle is not None
            return numbers

    assert asyncio.run(scenario()) == list(range(1, n + 1))
