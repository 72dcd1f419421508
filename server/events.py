"""Live events: one hub, many websocket clients, none able to slow the others down.

Each client has a bounded buffer. Publishing never awaits a client: a message is serialized
once and dropped into every buffer; a client whose buffer is full is too slow (or dead) and is
disconnected. Its own sender task drains the buffer onto the socket.

A client whose sender is idle (nothing buffered) and whose socket offers a direct write
(``server.ws_protocol``) is written to by the hub itself, all the messages of one commit in one
write: no task wakes up and no ASGI send runs per client. The moment a direct write is refused
(the socket is not taking writes: a slow reader), the message goes to the buffer and the
client is back on its sender task until the buffer is empty again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

CLIENT_BUFFER = 256
#: The ASGI scope extension a server offers a direct write under (``server.ws_protocol``):
#: ``scope["extensions"][WRITE_TEXTS]["write"](texts) -> bool``.
WRITE_TEXTS = "turnero.write_texts"


class Revoked:
    """End marker put in a subscriber's buffer when its token is revoked."""


REVOKED = Revoked()


Item = tuple[int, str] | Revoked | None


class Buffer:
    """A client's bounded FIFO: the ``asyncio.Queue`` calls the hub and the sockets use
    (``put_nowait``, ``get_nowait``, ``get``, ``empty``), plus ``wait`` for the sender.

    Why not ``asyncio.Queue`` and ``asyncio.wait``: fan-out runs once per client per event on
    the event loop, and waiting on a queue with a heartbeat timeout built a task, a wait set
    and a timer for every message. Here a message to a waiting client costs one future, and
    the heartbeat is one timer per client that fires at most once per idle period."""

    def __init__(self, maxsize: int = CLIENT_BUFFER) -> None:
        self._items: deque[Item] = deque()
        self._maxsize = maxsize
        self._waiter: asyncio.Future[None] | None = None
        self._deadline = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._watched: asyncio.Future[None] | None = None

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)

    def put_nowait(self, item: Item) -> None:
        if len(self._items) >= self._maxsize:
            raise asyncio.QueueFull
        self._items.append(item)
        self._wake()

    def get_nowait(self) -> Item:
        if not self._items:
            raise asyncio.QueueEmpty
        return self._items.popleft()

    async def get(self) -> Item:
        while not self._items:
            await self._sleep()
        return self._items.popleft()

    # Not a cancelling timeout (ASYNC109 would have callers use asyncio.timeout): ``timeout``
    # is the heartbeat period, after which this returns normally, and the one timer is
    # re-armed rather than made anew on every wait.
    async def wait(self, timeout: float, also: asyncio.Future[None]) -> None:  # noqa: ASYNC109
        """Return when an item is buffered, ``also`` is done (the client left), or after
        ``timeout`` seconds without either (time for a heartbeat)."""
        if self._items or also.done():
            return
        loop = asyncio.get_running_loop()
        if self._watched is not also:
            self._watched = also
            also.add_done_callback(lambda _f: self._wake())
        self._deadline = loop.time() + timeout
        if self._timer is None:
            self._timer = loop.call_at(self._deadline, self._on_timer)
        await self._sleep()

    async def _sleep(self) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiter = waiter
        try:
            await waiter
        finally:
            if self._waiter is waiter:
                self._waiter = None

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _on_timer(self) -> None:
        self._timer = None
        if self._waiter is None:
            return  # busy sending: the next wait arms a new timer
        loop = asyncio.get_running_loop()
        if loop.time() >= self._deadline:
            self._wake()
        else:  # the deadline moved on since this timer was armed
            self._timer = loop.call_at(self._deadline, self._on_timer)


@dataclass(eq=False)
class Subscriber:
    """One connected client's buffer of serialized messages."""

    queue: Buffer = field(default_factory=Buffer)
    accepts: Callable[[dict[str, Any]], bool] = lambda _m: True
    overflowed: bool = False
    #: The token the client connected with (None for public feeds).
    token_id: int | None = None
    #: What this client may see of a message (None: all of it), e.g. a board's device view.
    view: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    #: The highest ``seq`` the client has (its snapshot's, then each message's): older
    #: messages still in flight when it connected are not sent again.
    seen_seq: int = 0
    #: Set by the client's sender while it waits with nothing buffered: writes texts straight
    #: to the socket, False when it cannot right now (see the module docstring).
    direct: Callable[[Sequence[str]], bool] | None = None
    #: Loop time of the last direct write (the sender's heartbeat counts silence from it).
    direct_at: float = 0.0


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
                  token_id: int | None = None,
                  view: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Subscriber:
        sub = Subscriber(accepts=accepts or (lambda _m: True), token_id=token_id, view=view)
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)

    def publish(self, message: dict[str, Any]) -> None:
        """Deliver to every subscriber; must run on the event loop."""
        self.publish_many([message])

    def publish_from_thread(self, messages: list[dict[str, Any]]) -> None:
        """Called by the storage writer thread after a commit; keeps commit order."""
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self.publish_many, messages)

    def publish_many(self, messages: list[dict[str, Any]]) -> None:
        """Deliver one commit's messages, in order, to every subscriber; must run on the event
        loop. Each message is serialized once per kind of view, not once per client."""
        now = self._loop.time() if self._loop is not None else 0.0
        prepared: list[tuple[dict[str, Any], int, dict[object, tuple[int, str]]]] = [
            (m, int(m.get("seq", 0)), {}) for m in messages]
        for sub in list(self._subscribers):
            try:
                items = self._items_for(sub, prepared)
            except Exception:  # noqa: BLE001 - that client alone is closed, the others served
                # A client whose filter or view cannot take a message (a bug) must not cut
                # the commit short for the clients after it: a board would miss the call.
                log.exception("a live client's filter or view failed; closing that client")
                self._drop(sub)
                continue
            if items and not self._write_direct(sub, items, now):
                self._buffer(sub, items)

    @staticmethod
    def _items_for(sub: Subscriber,
                   prepared: list[tuple[dict[str, Any], int, dict[object, tuple[int, str]]]]
                   ) -> list[tuple[int, str]]:
        """The (seq, text) of the messages this client takes, each text serialized once per
        kind of view across all clients."""
        items: list[tuple[int, str]] = []
        for message, seq, serialized in prepared:
            if not sub.accepts(message):
                continue
            item = serialized.get(sub.view)
            if item is None:
                shown = sub.view(message) if sub.view is not None else message
                item = serialized[sub.view] = (seq, json.dumps(shown, ensure_ascii=False))
            items.append(item)
        return items

    @staticmethod
    def _write_direct(sub: Subscriber, items: list[tuple[int, str]], now: float) -> bool:
        direct = sub.direct
        if direct is None or not sub.queue.empty():
            return False
        seen = sub.seen_seq
        texts = [text for seq, text in items if not seq or seq > seen]
        if not texts:
            return True
        if not direct(texts):
            sub.direct = None  # a slow reader: its sender takes over
            return False
        sub.seen_seq = max(seen, *(seq for seq, _ in items))
        sub.direct_at = now
        return True

    def _buffer(self, sub: Subscriber, items: list[tuple[int, str]]) -> None:
        for item in items:
            try:
                sub.queue.put_nowait(item)
            except asyncio.QueueFull:
                self._drop(sub)
                return

    def _drop(self, sub: Subscriber) -> None:
        sub.overflowed = True
        self._close(sub, None)

    def _close(self, sub: Subscriber, marker: Revoked | None) -> None:
        """Forget ``sub`` and leave only ``marker`` in its buffer (room made for it), so its
        sender task wakes up and closes the socket with the marker's code."""
        sub.direct = None
        self._subscribers.discard(sub)
        while not sub.queue.empty():
            sub.queue.get_nowait()
        sub.queue.put_nowait(marker)

    def disconnect_token(self, token_id: int) -> None:
        """A token was revoked: close the sockets opened with it (from any thread)."""
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._disconnect_token, token_id)

    def _disconnect_token(self, token_id: int) -> None:
        for sub in list(self._subscribers):
            if sub.token_id == token_id:
                self._close(sub, REVOKED)

    def close_all(self) -> None:
        for sub in list(self._subscribers):
            self._drop(sub)
