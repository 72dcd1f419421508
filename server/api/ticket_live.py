"""WS /api/v1/tickets/{id}/live: one citizen's ticket, pushed to their phone as it changes.

Public like GET /api/v1/tickets/{id}: the unguessable id printed in the QR code is the
capability. The phone gets only its own ticket, in a reduced view (no clerk, no kiosk, nothing
about other citizens): number, service, status, counter, people ahead and estimated wait.

Any ticket or counter event may change "people ahead" or the estimate; ``LiveTickets``
recomputes the views of all followed tickets once per burst of events (not once per phone),
and a phone only hears about it when its view actually changed. The first message is a
"snapshot" so the shared LiveEvents client (reconnect with back-off, snapshot on every
reconnect) works as is.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from server.api.deps import services_of
from server.api.events import HEARTBEAT_S, drain_incoming, heartbeat
from server.bootstrap import Services
from server.errors import NotFound
from server.services.office import Office
from server.services.reading import Follower

router = APIRouter(tags=["tickets"])

#: A busy office has a few hundred phones following their ticket; beyond this, phones fall
#: back to polling GET /api/v1/tickets/{id} instead of holding a connection.
MAX_LIVE_TICKETS = 2000


@router.websocket("/tickets/{ticket_id}/live")
async def ticket_live(ws: WebSocket, ticket_id: str) -> None:
    await ws.accept()
    services = services_of(ws)
    live = services.live
    if services.hub.client_count + live.count >= MAX_LIVE_TICKETS:
        await ws.close(code=1013, reason="servidor ocupado; se actualizará cada pocos segundos")
        return
    ticket_id = ticket_id[:64]
    address = ws.client.host if ws.client else "?"
    refusal = services.live_limits.acquire(ticket_id, address)  # before any read
    if refusal is not None:
        await ws.close(code=refusal.code, reason=refusal.reason)
        return
    try:
        try:
            follower = await live.follow(ticket_id)
        except NotFound:
            await ws.close(code=4404, reason="No encontramos este turno")
            return
        await _serve(ws, follower, services)
    finally:
        services.live_limits.release(ticket_id, address)


async def _serve(ws: WebSocket, follower: Follower, services: Services) -> None:
    live = services.live
    try:
        await ws.send_text(json.dumps({"type": "snapshot", "seq": 0,
                                       "office": {"name": services.office.config.name},
                                       "ticket": follower.view}, ensure_ascii=False))
        receiver = asyncio.create_task(drain_incoming(ws))
        try:
            await _follow(ws, follower, receiver, services.office)
        finally:
            receiver.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        live.unfollow(follower)


async def _follow(ws: WebSocket, follower: Follower, receiver: asyncio.Task[None],
                  office: Office) -> None:
    last = follower.view
    while True:
        changed = asyncio.ensure_future(follower.changed.wait())
        done, _ = await asyncio.wait({changed, receiver}, timeout=HEARTBEAT_S,
                                     return_when=asyncio.FIRST_COMPLETED)
        if changed not in done:
            changed.cancel()
            if receiver in done:
                return
            await ws.send_text(heartbeat(office))
            continue
        follower.changed.clear()
        if follower.ended:
            await ws.close(code=1012, reason="servidor reiniciando")
            return
        view = follower.view
        if view is None:
            await ws.close(code=4404, reason="No encontramos este turno")
            return
        if view != last:
            last = view
            await ws.send_text(json.dumps({"type": "ticket.update", "ticket": view},
                                          ensure_ascii=False))
