"""End to end against a real uvicorn subprocess: a kiosk issues, a clerk calls, a real
websocket client receives the event."""

from __future__ import annotations

import asyncio
import json

import websockets

from tests.conftest import LiveServer


def test_issue_call_and_websocket_event(live_server: LiveServer) -> None:
    clerk = live_server.login("clerk1", counter=1)

    async def scenario() -> tuple[dict, dict, dict]:
        url = f"{live_server.ws_url}/api/v1/events?token={live_server.display_token}"
        async with websockets.connect(url) as ws:
            snapshot = json.loads(await asyncio.wait_for(ws.recv(), 5))
            ticket = await asyncio.to_thread(live_server.issue, "A", None)
            with live_server.client(clerk) as c:
                r = await asyncio.to_thread(c.post, "/api/v1/counters/1/next")
            assert r.status_code == 200, r.text
            seen = []
            while not any(m["type"] == "ticket.called" for m in seen):
                seen.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
            called = next(m for m in seen if m["type"] == "ticket.called")
            return snapshot, ticket, called

    snapshot, ticket, called = asyncio.run(scenario())
    assert snapshot["type"] == "snapshot"
    assert called["ticket"]["number"] == ticket["number"] == "A-001"
    assert "id" not in called["ticket"], "a board sees tickets by number (docs/security.md)"
    assert called["counter"]["number"] == 1
    assert called["seq"] > snapshot["seq"]
    assert called["at"]
