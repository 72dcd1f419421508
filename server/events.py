"""Live events: one hub, many websocket clients, none able to slow the others down.

Each client has a bounded buffer. Publishing never awaits a client: a message is serialized
once and dropped into every buffer; a client whose buffer is full is too slow (or dead) and is
disconnected. Its own sender task drains the buffer onto the socket.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CLIENT_BUFFER = 256


class Revoked:
    """End marker put in a subscriber's buffer when its token is revoked."""


REVOKED = Revoked()


@dataclass(eq=False)
class Subscriber:
    """One connected client's buffer of serialized messages."""

    queue: asyncio.Queue[tuple[int, str] | Revoked | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=CLIENT_BUFFER)
    )
    accepts: Callable[[dict[str, Any]], bool] = lambda _m: True
    overflowed: bool = False
    #: The token the client connected with (None for public feeds).
    token_id: int | None = None


class EventHub:
    """``loop`` is the event loop the clients live on; without one (CLI commands) messages
    published from the writer thread go nowhere."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._subscribers: set[Subscriber] = set()
        self._loop = loop

    @property
    def client_count(self) -> int:
        return len(self._subscribers)

    def connected_tokens(self) -> dict[int, int]:
        """How many live sockets each token has open now (boards, panels)."""
        counts: dict[int, int] = {}
        for sub in self._subscribers:
            if sub.token_id is not None:
                counts[sub.token_id] = counts.get(sub.token_id, 0) + 1
        return counts

    def subscribe(self, accepts: Callable[[dict[str, Any]], bool] | None = None,
                  token_id: int | None = None) -> Subscriber:
        sub = Subscriber(accepts=accepts or (lambda _m: True), token_id=token_id)
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)

    def publish(self, message: dict[str, Any]) -> None:
        """Deliver to every subscriber; must run on the event loop."""
        text = json.dumps(message, ensure_ascii=False)
        item = (int(message.get("seq", 0)), text)
        for sub in list(self._subscribers):
            if not sub.accepts(message):
                continue
            try:
                sub.queue.put_nowait(item)
            except asyncio.QueueFull:
                self._drop(sub)

    def publish_from_thread(self, messages: list[dict[str, Any]]) -> None:
        """Called by the storage writer thread after a commit; keeps commit order."""
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._publish_many, messages)

    def _publish_many(self, messages: list[dict[str, Any]]) -> None:
        for m in messages:
            self.publish(m)

    def _drop(self, sub: Subscriber) -> None:
        sub.overflowed = True
        self._subscribers.discard(sub)
        # Make room for the end marker so the sender task wakes up and closes the socket.
        while not sub.queue.empty():
            sub.queue.get_nowait()
        sub.queue.put_nowait(None)

    def disconnect_token(self, token_id: int) -> None:
        """A token was revoked: close the sockets opened with it (from any thread)."""
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._disconnect_token, token_id)

    def _disconnect_token(self, token_id: int) -> None:
        for sub in list(self._subscribers):
            if sub.token_id == token_id:
                self._subscribers.discard(sub)
                while not sub.queue.empty():
                    sub.queue.get_nowait()
                sub.queue.put_nowait(REVOKED)

    def close_all(self) -> None:
        for sub in list(self._subscribers):
            self._drop(sub)
