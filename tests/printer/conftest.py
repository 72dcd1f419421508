"""Real peers for the transport tests: a pseudo-terminal that acts like a serial printer, and a
TCP listener that acts like a network printer.  Both record every byte they receive and can
answer ``DLE EOT n`` queries with fixed bytes (or stay silent)."""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from printer.ticket import PrintableTicket

DLE_EOT = b"\x10\x04"


class FakePrinterPeer:
    """The printer's side of a link: collects bytes, answers status queries from ``answers``."""

    def __init__(self, answers: dict[int, int] | None = None) -> None:
        self.answers = answers or {}
        self.received = bytearray()
        self._changed = threading.Condition()
        self._scanned = 0

    def feed(self, data: bytes) -> bytes:
        """Record ``data``; return the answer bytes for the queries it completes."""
        reply = bytearray()
        with self._changed:
            self.received += data
            while True:
                at = self.received.find(DLE_EOT, self._scanned)
                if at < 0 or at + 2 >= len(self.received):
                    break
                n = self.received[at + 2]
                if n in self.answers:
                    reply.append(self.answers[n])
                self._scanned = at + 3
            self._changed.notify_all()
        return bytes(reply)

    def wait_for(self, size: int, timeout: float = 5.0) -> bytes:
        """Block until ``size`` bytes arrived (or the timeout passed) and return them."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.received) >= size, timeout)
            return bytes(self.received)


class PtyPrinter(FakePrinterPeer):
    """A pseudo-terminal pair: our serial transport opens ``path``; this reads the master end."""

    def __init__(self, answers: dict[int, int] | None = None) -> None:
        super().__init__(answers)
        self.master, self._slave = os.openpty()
        self.path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:  # EIO while no one holds the slave end open
                time.sleep(0.01)
                continue
            reply = self.feed(data)
            if reply:
                os.write(self.master, reply)

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(2)
        os.close(self.master)
        os.close(self._slave)


class TcpPrinterPeer(FakePrinterPeer):
    """A listener on 127.0.0.1 (free port) that accepts connections one after another."""

    def __init__(self, answers: dict[int, int] | None = None) -> None:
        super().__init__(answers)
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port = self._server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(0.05)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(4096)
                    except TimeoutError:
                        continue
                    if not data:
                        break
                    reply = self.feed(data)
                    if reply:
                        conn.sendall(reply)

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(2)
        self._server.close()


@pytest.fixture
def pty_printer() -> Iterator[type[PtyPrinter]]:
    """Factory: ``pty_printer(answers)`` gives a started :class:`PtyPrinter`, closed after."""
    made: list[PtyPrinter] = []

    def make(answers: dict[int, int] | None = None) -> PtyPrinter:
        peer = PtyPrinter(answers)
        made.append(peer)
        return peer

    yield make  # type: ignore[misc]
    for peer in made:
        peer.close()


@pytest.fixture
def tcp_printer() -> Iterator[type[TcpPrinterPeer]]:
    """Factory: ``tcp_printer(answers)`` gives a started :class:`TcpPrinterPeer`."""
    made: list[TcpPrinterPeer] = []

    def make(answers: dict[int, int] | None = None) -> TcpPrinterPeer:
        peer = TcpPrinterPeer(answers)
        made.append(peer)
        return peer

    yield make  # type: ignore[misc]
    for peer in made:
        peer.close()


#: 09:15 in Bogotá (UTC-5).
ISSUED_AT = datetime(2026, 11, 28, 14, 15, tzinfo=UTC)


@pytest.fixture
def plain_ticket() -> PrintableTicket:
    """A short general-queue ticket whose bytes the layout test spells out in full."""
    return PrintableTicket(
        office_name="Alcaldía de Pasto",
        number="A-001",
        service_name="Pagos",
        group_name=None,
        issued_at=ISSUED_AT,
        ahead=1,
        estimated_wait_min=5,
        status_url="https://t.example.co/A-001",
        footer_lines=["¿Dudas? ¡Pregunte!"],
    )


@pytest.fixture
def long_ticket() -> PrintableTicket:
    """A preferential ticket with long but realistic texts: the case for wrapping and size."""
    return PrintableTicket(
        office_name=(
            "Alcaldía Municipal de San José del Guaviare – Ventanilla Única de Atención "
            "al Ciudadano"
        ),
        number="A-023",
        service_name="Radicación de PQRSD (peticiones, quejas y reclamos)",
        group_name="Niños, niñas y adolescentes",
        issued_at=ISSUED_AT,
        ahead=14,
        estimated_wait_min=35,
        status_url="https://turnos.sanjosedelguaviare.gov.co/t/A-023?k=8f3a2c1d9e",
        footer_lines=[
            "Horario: lunes a viernes, 8:00 a 11:30 y 14:00 a 17:30",
            "¿Dudas? ¡Pregunte en la ventanilla!",
        ],
    )
