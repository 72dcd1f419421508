"""WS /api/v1/events: a snapshot on connect, then one message per change, and heartbeats.

Order of operations makes reconnects lossless: the client is subscribed BEFORE the snapshot is
read, the snapshot carries the audit ``seq`` it reflects, and buffered events at or below that
seq are skipped. A client that keeps the last seq it saw can tell old calls from new ones.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from server.api.deps import EVENT_ROLES, principal_from, services_of
from server.events import WRITE_TEXTS, Revoked, Subscriber
from server.security.exposure import device_event, numbers_only
from server.security.origin import FOREIGN_ORIGIN, same_origin
from server.services.office import Office
from server.views import iso

router = APIRouter(tags=["events"])

HEARTBEAT_S = 15.0


@router.websocket("/events")
async def events(ws: WebSocket, token: str | None = None) -> None:
    principal = await principal_from(ws, token)
    await ws.accept()
    if principal is None:
        await ws.close(code=4401, reason="token inválido")
        return
    if principal.role not in EVENT_ROLES:
        await ws.close(code=4403, reason="rol sin acceso a eventos")
        return
    services = services_of(ws)
    if principal.via_cookie and not same_origin(ws.headers.get("origin"),
                                                ws.headers.get("host"),
                                                services.office.settings.public_url):
        await ws.close(code=FOREIGN_ORIGIN, reason="origen no permitido")
        return
    hub = services.hub
    device = numbers_only(principal.role)
    sub = hub.subscribe(token_id=principal.token_id, view=device_event if device else None)
    try:
        snapshot = await services.reading.snapshot(include_waiting=not device)
        if device:
            snapshot = device_event(snapshot)
        await ws.send_text(json.dumps(snapshot, ensure_ascii=False))
        last_seq = int(snapshot["seq"])
        receiver = asyncio.create_task(drain_incoming(ws))
        try:
            await _forward(ws, sub, receiver, last_seq, services.office)
        finally:
            receiver.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.unsubscribe(sub)


LEFT = object()  # the client went away
IDLE = object()  # nothing for HEARTBEAT_S: send a heartbeat


async def next_item(sub: Subscriber, receiver: asyncio.Task[None]) -> Any:
    """The next buffered item for a socket, or LEFT when the client went away, or IDLE after
    HEARTBEAT_S of silence (time for a heartbeat; a direct write by the hub is not silence).
    A buffered item is returned without suspending (see ``Buffer``: fan-out cost per
    client)."""
    buffer = sub.queue
    if not buffer.empty():
        return buffer.get_nowait()
    loop = asyncio.get_running_loop()
    since = loop.time()
    while buffer.empty():
        if receiver.done():
            return LEFT
        quiet_until = max(since, sub.direct_at) + HEARTBEAT_S
        now = loop.time()
        if now >= quiet_until:
            return IDLE
        await buffer.wait(quiet_until - now, receiver)
    return buffer.get_nowait()


def direct_writer(ws: WebSocket) -> Callable[[Sequence[str]], bool] | None:
    """The socket's direct write, when the server offers one (``server.ws_protocol``)."""
    extension = ws.scope.get("extensions", {}).get(WRITE_TEXTS)
    return extension["write"] if extension else None


def heartbeat(office: Office, seq: int | None = None) -> str:
    beat: dict[str, Any] = {"type": "heartbeat", "at": iso(time.time(), office.config.tz)}
    if seq is not None:
        beat["seq"] = seq
    return json.dumps(beat)


async def closed_by_hub(ws: WebSocket, item: Any) -> bool:
    """Close the socket if the hub ended this subscription (too slow, or token revoked)."""
    if item is None:
        await ws.close(code=4408, reason="cliente demasiado lento")
        return True
    if isinstance(item, Revoked):
        await ws.close(code=4401, reason="token revocado")
        return True
    return False


async def _forward(ws: WebSocket, sub: Subscriber, receiver: asyncio.Task[None],
                   last_seq: int, office: Office) -> None:
    """Send buffered events until the client leaves; a heartbeat when nothing happens. While
    nothing is buffered, the hub writes events to the socket itself (``sub.direct``)."""
    direct = direct_writer(ws)
    sub.seen_seq = last_seq
    while True:
        if direct is not None and sub.queue.empty():
            sub.direct = direct
        item = await next_item(sub, receiver)
        if item is LEFT:
            return
        if item is IDLE:
            await ws.send_text(heartbeat(office, sub.seen_seq))
            continue
        sub.direct = None
        if await closed_by_hub(ws, item):
            return
        seq, text = item
        if seq and seq <= sub.seen_seq:
            continue
        sub.seen_seq = max(sub.seen_seq, seq)
        await ws.send_text(text)


async def drain_incoming(ws: WebSocket) -> None:
    """Read (and ignore) what the client sends, so a disconnect is noticed at once."""
    try:
        while True:
            await ws.receive_text()
    except (WebSocketDisconnect, RuntimeError):
        return
