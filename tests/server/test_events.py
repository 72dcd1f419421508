"""The event hub: a slow or dead client is dropped, never slowing the others."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

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


def test_a_client_whose_view_fails_is_closed_and_the_others_still_get_the_call() -> None:
    """The clients are served one after the other for each commit: one whose view raised
    (a bug) used to cut the delivery short, so the boards after it missed the call."""
    def broken_view(message: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("counter_name")

    async def scenario() -> None:
        hub = EventHub(asyncio.get_running_loop())
        before = hub.subscribe()
        broken = hub.subscribe(view=broken_view)
        after = hub.subscribe()
        hub.publish_many([{"type": "ticket.called", "seq": 7, "ticket": {"number": "A-001"}}])
        for board in (before, after):
            seq, text = board.queue.get_nowait()
            assert seq == 7 and json.loads(text)["ticket"]["number"] == "A-001"
        assert broken.queue.get_nowait() is None  # its sender is told to close the socket
        assert hub.client_count == 2
        hub.publish({"type": "counter.changed", "seq": 8})  # and the hub goes on
        assert after.queue.get_nowait()[0] == 8

    asyncio.run(scenario())


async def issued_numbers(ws: Any, n: int) -> list[int]:
    """The numbers of the next ``n`` ``ticket.issued`` events on ``ws``, as they arrive."""
    numbers: list[int] = []
    while len(numbers) < n:
        m = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if m["type"] == "ticket.issued":
            numbers.append(int(m["ticket"]["number"].split("-")[1]))
    return numbers


@pytest.mark.parametrize("protocol", ["turnero", "websockets-sansio"])
def test_events_arrive_in_commit_order_to_every_client(make_server: Any, protocol: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Two websocket clients, one of them never reading; the other sees every issue event in
    order while all HTTP requests succeed. With Turnero's websocket protocol the hub writes
    to the sockets itself; with uvicorn's own, every message goes through the client's sender
    task (the path a slow reader always takes)."""
    if protocol != "turnero":
        monkeypatch.setenv("TURNERO_WS_PROTOCOL", protocol)
    live_server = make_server()
    n = 120

    async def scenario() -> list[int]:
        url = f"{live_server.ws_url}/api/v1/events?token={live_server.display_token}"
        # the first client never reads
        async with websockets.connect(url), websockets.connect(url) as ws:
            await ws.recv()  # snapshot

            async def issue_all() -> None:
                for _ in range(n):
                    await asyncio.to_thread(live_server.issue, "B")

            issuing = asyncio.create_task(issue_all())
            numbers = await issued_numbers(ws, n)
            await issuing
            return numbers

    assert asyncio.run(scenario()) == list(range(1, n + 1))


def test_a_socket_that_stops_reading_is_closed_as_too_slow(live_server: LiveServer) -> None:
    """A board whose TCP window stays shut (it stopped reading) while the office keeps
    issuing: the server stops writing to it once its socket buffer is full, holds at most
    CLIENT_BUFFER messages for it, then gives up on it; a healthy board meanwhile gets every
    event in order. When the stuck one reads again it finds the close code 4408."""
    n = 1500
    url = f"{live_server.ws_url}/api/v1/events?token={live_server.display_token}"

    async def scenario() -> tuple[list[int], int, int | None]:
        tiny = socket.socket()
        tiny.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: window
        tiny.connect(("127.0.0.1", live_server.port))
        tiny.setblocking(False)
        async with websockets.connect(url, sock=tiny, max_queue=1) as stuck, \
                websockets.connect(url) as healthy:
            await stuck.recv()  # snapshot; from now on nobody reads it
            await healthy.recv()

            async def issue_all() -> None:
                async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30,
                                             headers={"Authorization":
                                                      f"Bearer {live_server.kiosk_token}"}
                                             ) as http:
                    async def kiosk(count: int) -> None:
                        for _ in range(count):
                            r = await http.post("/api/v1/tickets", json={"service": "B"})
                            assert r.status_code == 201, r.text

                    await asyncio.gather(*(kiosk(n // 5) for _ in range(5)))

            issuing = asyncio.create_task(issue_all())
            numbers = await issued_numbers(healthy, n)
            await issuing
            got = 0
            try:
                while True:
                    m = json.loads(await asyncio.wait_for(stuck.recv(), 30))
                    got += m["type"] == "ticket.issued"
            except ConnectionClosed as e:
                return numbers, got, e.rcvd.code if e.rcvd else None

    numbers, stuck_got, code = asyncio.run(asyncio.wait_for(scenario(), 120))
    assert numbers == list(range(1, n + 1))
    assert code == 4408
    assert stuck_got < n
