"""WS /api/v1/tickets/{id}/live: one ticket's view, pushed when the queue moves."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets

from tests.conftest import LiveServer
from tests.display.conftest import call_next


def test_ticket_live_pushes_only_this_ticket(live_server: LiveServer) -> None:
    first = live_server.issue("A")
    mine = live_server.issue("A")
    clerk = live_server.login("clerk1", counter=1)
    url = f"{live_server.ws_url}/api/v1/tickets/{mine['id']}/live"

    async def follow() -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []
        async with websockets.connect(url) as ws:
            seen.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
            await asyncio.to_thread(call_next, live_server, clerk, 1)  # calls `first`
            seen.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
            await asyncio.to_thread(call_next, live_server, clerk, 1)  # calls `mine`
            while seen[-1]["ticket"]["status"] != "called":
                seen.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
        return seen

    messages = asyncio.run(follow())
    snapshot, *updates = messages
    assert snapshot["type"] == "snapshot"
    assert snapshot["ticket"]["number"] == mine["number"]
    assert snapshot["ticket"]["ahead"] == 1
    assert updates[0]["type"] == "ticket.update"
    assert updates[0]["ticket"]["ahead"] == 0
    called = updates[-1]["ticket"]
    assert called["status"] == "called" and called["counter"] == 1
    assert called["counter_name"] == "Ventanilla 1"
    # Nothing about other citizens, nor who serves: only this ticket's public fields.
    text = json.dumps(messages)
    assert first["number"] not in text and first["id"] not in text
    assert all("clerk" not in m.get("ticket", {}) and "kiosk" not in m.get("ticket", {})
               for m in messages)
