"""WS /api/v1/tickets/{id}/live: one citizen's ticket, pushed to their phone as it changes.

Public like GET /api/v1/tickets/{id}: the unguessable id printed in the QR code is the
capability. The phone gets only its own ticket, in a reduced view (no clerk, no kiosk, nothing
about other citizens): number, service, status, counter, people ahead and estimated wait.

Any ticket or counter event may change "people ahead" or the estimate, so each one triggers a
re-read; events that arrive while a re-read runs are coalesced into the next one, and the phone
only hears about it when its view actually changed. The first message is a "snapshot" so the
shared LiveEvents client (reconnect with back-off, snapshot on every reconnect) works as is.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from server.api.events import IDLE, LEFT, closed_by_hub, drain_incoming, heartbeat, next_item
from server.engine import Engine
from server.events import EventHub, Subscriber
from server.queue.model import NotFound
from server.security.live_limits import LiveLimits
from server.views import public_ticket

router = APIRouter(tags=["tickets"])

#: A busy office has a few hundred phones following their ticket; beyond this, phones fall
#: back to polling GET /api/v1/tickets/{id} instead of holding a connection.
MAX_LIVE_TICKETS = 2000


def _may_change_a_ticket(message: dict[str, Any]) -> bool:
    kind = str(message.get("type", ""))
    return kind.startswith("ticket.") or kind in ("counter.changed", "config.changed")


def _may_change(watched: dict[str, Any]) -> Any:
    """Which events may change the watched ticket's view. A new ticket lines up behind
    everyone unless it is preferential in the same service, so the other issues (most of the
    traffic) cause no re-read: a flood of issues costs the phones nothing."""

    def accepts(message: dict[str, Any]) -> bool:
        if message.get("type") == "ticket.issued":
            new = message.get("ticket") or {}
            return bool(new.get("preferential")) and new.get("service") == watched.get("service")
        return _may_change_a_ticket(message)

    return accepts


@router.websocket("/tickets/{ticket_id}/live")
async def ticket_live(ws: WebSocket, ticket_id: str) -> None:
    await ws.accept()
    engine: Engine = ws.app.state.engine
    hub: EventHub = ws.app.state.hub
    if hub.client_count >= MAX_LIVE_TICKETS:
        await ws.close(code=1013, reason="servidor ocupado; se actualizará cada pocos segundos")
        return
    ticket_id = ticket_id[:64]
    limits: LiveLimits = ws.app.state.live_limits
    address = ws.client.host if ws.client else "?"
    refusal = limits.acquire(ticket_id, address)
    if refusal is not None:
        await ws.close(code=refusal.code, reason=refusal.reason)
        return
    watched: dict[str, Any] = {}
    sub = hub.subscribe(_may_change(watched))
    try:
        try:
            view = public_ticket(await engine.get_ticket(ticket_id))
        except NotFound:
            await ws.close(code=4404, reason="No encontramos este turno")
            return
        watched["service"] = view["service"]
        await ws.send_text(json.dumps({"type": "snapshot", "seq": 0,
                                       "office": {"name": engine.config.name},
                                       "ticket": view}, ensure_ascii=False))
        receiver = asyncio.create_task(drain_incoming(ws))
        try:
            await _follow(ws, sub, receiver, engine, ticket_id, view, watched)
        finally:
            receiver.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.unsubscribe(sub)
        limits.release(ticket_id, address)


async def _follow(ws: WebSocket, sub: Subscriber, receiver: asyncio.Task[None], engine: Engine,
                  ticket_id: str, last: dict[str, Any], watched: dict[str, Any]) -> None:
    while True:
        item = await next_item(sub, receiver)
        if item is LEFT:
            return
        if item is IDLE:
            await ws.send_text(heartbeat(engine))
            continue
        if await closed_by_hub(ws, item):
            return
        while not sub.queue.empty():  # coalesce a burst into one re-read
            if await closed_by_hub(ws, sub.queue.get_nowait()):
                return
        try:
            view = public_ticket(await engine.get_ticket(ticket_id))
        except NotFound:
            await ws.close(code=4404, reason="No encontramos este turno")
            return
        watched["service"] = view["service"]  # a transfer moves it to another line
        if view != last:
            last = view
            await ws.send_text(json.dumps({"type": "ticket.update", "ticket": view},
                                          ensure_ascii=False))
