"""A live client's buffer: the sender wakes for a message, for a client that left, and for a
heartbeat after a silence, and a full buffer refuses (the hub then drops the slow client)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from server.api import events as events_api
from server.events import Buffer, EventHub


def test_a_message_wakes_the_waiting_sender_at_once() -> None:
    async def go() -> object:
        buffer, left = Buffer(), asyncio.get_running_loop().create_future()
        waiting = asyncio.create_task(buffer.wait(30.0, left))
        await asyncio.sleep(0)  # the sender is now waiting
        buffer.put_nowait((7, "{}"))
        await asyncio.wait_for(waiting, 5)
        return buffer.get_nowait()

    assert asyncio.run(go()) == (7, "{}")


def test_a_client_that_left_wakes_the_sender() -> None:
    async def go() -> bool:
        buffer, left = Buffer(), asyncio.get_running_loop().create_future()
        waiting = asyncio.create_task(buffer.wait(30.0, left))
        await asyncio.sleep(0)
        left.set_result(None)
        await asyncio.wait_for(waiting, 5)
        return buffer.empty()

    assert asyncio.run(go())


def test_silence_wakes_the_sender_for_a_heartbeat_after_each_wait() -> None:
    async def go() -> float:
        loop = asyncio.get_running_loop()
        buffer, left = Buffer(), loop.create_future()
        t0 = loop.time()
        for n in range(3):  # a message, then silence: the heartbeat timer re-arms each time
            buffer.put_nowait((n, "{}"))
            await buffer.wait(0.05, left)
            buffer.get_nowait()
            await asyncio.wait_for(buffer.wait(0.05, left), 5)
            assert buffer.empty()
        return loop.time() - t0

    assert asyncio.run(go()) >= 3 * 0.05


def test_a_full_buffer_refuses_more() -> None:
    buffer = Buffer(maxsize=2)
    buffer.put_nowait(None)
    buffer.put_nowait(None)
    with pytest.raises(asyncio.QueueFull):
        buffer.put_nowait(None)
    assert buffer.qsize() == 2


def test_the_hub_writes_idle_sockets_itself_and_that_is_not_silence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A client whose sender waits with nothing buffered is written to by the hub directly
    (one write per commit), the sender stays asleep, and its heartbeat comes a full period
    after the last message, not after the sender went to sleep. A refused write (a socket
    that is not taking writes) hands the messages to the buffer, in order."""
    monkeypatch.setattr(events_api, "HEARTBEAT_S", 0.2)

    async def go() -> tuple[list[list[str]], object, float, list[object]]:
        loop = asyncio.get_running_loop()
        hub = EventHub(loop)
        sub = hub.subscribe()
        stays = asyncio.Event()

        async def client_stays() -> None:
            await stays.wait()

        receiver = asyncio.create_task(client_stays())
        writes: list[list[str]] = []

        def write(texts: Sequence[str]) -> bool:
            writes.append(list(texts))
            return True

        sub.direct = write
        t0 = loop.time()
        waiting = asyncio.create_task(events_api.next_item(sub, receiver))
        await asyncio.sleep(0.15)
        hub.publish_many([{"type": "a", "seq": 1}, {"type": "b", "seq": 2}])
        item = await asyncio.wait_for(waiting, 5)
        quiet = loop.time() - t0
        sub.direct = lambda _texts: False  # the socket's buffer is full
        hub.publish({"type": "c", "seq": 3})
        buffered = [sub.queue.get_nowait()]
        receiver.cancel()
        return writes, item, quiet, [sub.direct, *buffered]

    writes, item, quiet, after = asyncio.run(go())
    assert writes == [['{"type": "a", "seq": 1}', '{"type": "b", "seq": 2}']]
    assert item is events_api.IDLE and quiet >= 0.15 + 0.2 - 0.01
    assert after == [None, (3, '{"type": "c", "seq": 3}')]
