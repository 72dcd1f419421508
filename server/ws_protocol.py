"""uvicorn's sans-I/O websocket protocol with a direct write for fan-out (``turnero serve``).

One event goes to every board, panel and phone connected. Through ASGI, each client costs a
wake-up of its sender task, the ``send`` chain (Starlette, the exception middlewares, uvicorn),
its own frame and one ``send`` system call per message: ~21 µs per client per event, ~60 % of
it in building the frame and the system call (py-spy, 500 clients). With the direct write
below it is 8-9 µs, most of it the system call (docs/benchmarks.md, "websocket fan-out").

This protocol offers the app one more thing, as an ASGI scope extension
(``scope["extensions"][WRITE_TEXTS]``): a plain function that writes text messages to this
socket at once, all in one system call, and answers False instead when it cannot (the socket
is not accepting writes: a slow reader, a closing or closed connection). The event hub calls it
for every client from its own loop (``server.events``); a False sends the client back to its
sender task and the ordinary ASGI path, which waits for the socket as before.

The frame of a message is built once, not once per client: the hub serializes an event once
and hands the same ``str`` to every client, and an unmasked, uncompressed server text frame
depends only on that text (a small cache keyed by the text). With per-message deflate on,
each connection compresses its own way, so the direct write declines.

The kernel's send buffer of a websocket is capped (``SEND_BUFFER``): Linux grows a socket's
send buffer up to 4 MiB, so a board that stopped reading held megabytes of kernel memory
before the server even saw it fall behind (and was dropped as too slow only after that).

Everything else (handshake, close codes, keepalive pings, flow control) is uvicorn's.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.protocol import State

from server.events import WRITE_TEXTS

#: SO_SNDBUF of a websocket (the kernel doubles it): a few hundred events, a big snapshot
#: waits in the transport's own buffer under uvicorn's flow control as before.
SEND_BUFFER = 128 * 1024

#: Messages whose frame is kept: a commit publishes a handful, in a board and a full view each.
FRAME_CACHE = 64


class FrameCache:
    """The bytes of a server text frame for recently sent texts (oldest dropped first)."""

    def __init__(self, size: int = FRAME_CACHE) -> None:
        self._frames: dict[str, bytes] = {}
        self._size = size

    def frame(self, text: str) -> bytes:
        # Looking up the very str object again costs its cached hash and an identity check.
        frame = self._frames.get(text)
        if frame is None:
            frame = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
            if len(self._frames) >= self._size:
                del self._frames[next(iter(self._frames))]
            self._frames[text] = frame
        return frame


class FanoutProtocol(WebSocketsSansIOProtocol):
    """``uvicorn.run(ws="server.ws_protocol:FanoutProtocol")``: see the module docstring."""

    #: Shared by the connections of the process (they live on one event loop).
    built_frames = FrameCache()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        super().connection_made(transport)

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # With per-message deflate each connection compresses its own way: no shared frame.
        if self.response.status_code == 101 and not self.conn.extensions:
            self.scope["extensions"][WRITE_TEXTS] = {"write": self.write_texts}

    def write_texts(self, texts: Sequence[str]) -> bool:
        """Write these text messages now, in one system call; False (nothing written) when
        the socket is not open for writing right now: not accepted yet, closing or closed,
        or paused by flow control (its buffer is past the high-water mark)."""
        if (self.close_sent or self.disconnected or not self.handshake_complete
                or self.conn.state is not State.OPEN or not self.writable.is_set()):
            return False
        frame = self.built_frames.frame
        if len(texts) == 1:
            self.transport.write(frame(texts[0]))
        else:
            self.transport.write(b"".join([frame(t) for t in texts]))
        return True
