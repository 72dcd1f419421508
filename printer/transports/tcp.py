"""Printer on the network, raw TCP (port 9100, "JetDirect"/"RAW" on most print servers)."""

from __future__ import annotations

import socket

from escpos.escpos import Escpos
from escpos.printer import Network

from printer.transports.base import LINK_TIMEOUT_S, EscposTransport

DEFAULT_PORT = 9100


class TcpPrinter(EscposTransport):
    """``tcp:HOST[:PORT]``; connects with a 2 s timeout instead of the library's 60 s."""

    def __init__(self, host: str, port: int = DEFAULT_PORT) -> None:
        super().__init__()
        self.host = host
        self.port = port
        self.spec = f"tcp:{host}:{port}"

    def _connect(self) -> Escpos:
        # Connect here rather than with Network.open(), which leaves the socket unclosed when
        # the connection is refused.  The library object then does the writing and closing.
        sock = socket.create_connection((self.host, self.port), timeout=LINK_TIMEOUT_S)
        printer = Network(host=self.host, port=self.port, timeout=LINK_TIMEOUT_S)
        printer.device = sock
        return printer

    def discard_input(self) -> None:
        sock = self._socket()
        sock.setblocking(False)
        try:
            while sock.recv(256):
                pass
        except BlockingIOError:
            pass
        finally:
            sock.settimeout(LINK_TIMEOUT_S)

    def read_byte(self, timeout: float) -> int | None:
        sock = self._socket()
        sock.settimeout(timeout)
        try:
            answer = sock.recv(1)
        except TimeoutError:
            return None
        finally:
            sock.settimeout(LINK_TIMEOUT_S)
        return answer[0] if answer else None

    def _socket(self) -> socket.socket:
        assert self._printer is not None
        device: socket.socket = self._printer.device  # python-escpos keeps the socket untyped
        return device
