"""In-memory printer for tests and demos, able to pretend it has a problem."""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

from escpos.printer import Dummy

from printer.errors import PrinterUnavailable
from printer.status import PrinterStatus, status_from_answers
from printer.transports.base import TicketPrinter

DummyMode = Literal["ok", "paper-near-end", "paper-end", "cover-open", "offline"]
DUMMY_MODES: tuple[str, ...] = get_args(DummyMode)


def is_dummy_mode(mode: str) -> TypeGuard[DummyMode]:
    """Whether ``mode`` is one of the situations the dummy can pretend."""
    return mode in DUMMY_MODES

#: The bytes a real printer would answer to DLE EOT 1, 2 and 4 in each situation, so the dummy's
#: status goes through the same decoding as a real one.
_ANSWERS: dict[str, tuple[int, int, int]] = {
    "ok": (0x12, 0x12, 0x12),
    "paper-near-end": (0x12, 0x12, 0x1E),
    "paper-end": (0x1A, 0x32, 0x7E),
    "cover-open": (0x1A, 0x16, 0x12),
    "offline": (0x1A, 0x12, 0x12),
}


class DummyPrinter(TicketPrinter):
    """``dummy[:MODE]``: keeps every job in memory (``jobs``, ``output``).

    Modes: ``ok``; ``paper-near-end``; ``paper-end`` and ``cover-open`` (status says so, but
    ``send`` still accepts the bytes, as a real printer buffers them until it can print);
    ``offline`` (``send`` raises :class:`PrinterUnavailable`, like an unplugged printer).
    """

    def __init__(self, mode: DummyMode = "ok") -> None:
        self.mode = mode
        self.spec = "dummy" if mode == "ok" else f"dummy:{mode}"
        self._buffer = Dummy()
        self.jobs: list[bytes] = []

    @property
    def output(self) -> bytes:
        """Everything sent so far, concatenated."""
        sent: bytes = self._buffer.output
        return sent

    def send(self, data: bytes) -> None:
        if self.mode == "offline":
            raise PrinterUnavailable(f"No se pudo imprimir en {self.spec}: fuera de línea")
        self._buffer._raw(bytes(data))
        self.jobs.append(bytes(data))

    def status(self) -> PrinterStatus:
        return status_from_answers(*_ANSWERS[self.mode])

    def close(self) -> None:
        """Nothing to release; the bytes stay readable."""
