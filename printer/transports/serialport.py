"""Printer on a serial port (RS-232, or a USB-serial adapter such as /dev/ttyUSB0)."""

from __future__ import annotations

from escpos.escpos import Escpos
from escpos.printer import Serial

from printer.transports.base import LINK_TIMEOUT_S, EscposTransport

DEFAULT_BAUDRATE = 9600


class SerialPrinter(EscposTransport):
    """``serial:PATH[@BAUD]``: 8 data bits, no parity, 1 stop bit, DTR/DSR flow control.

    DTR/DSR is python-escpos' default and the factory setting of Epson serial printers; it lets
    the printer hold the host back while its buffer is full instead of dropping bytes.
    """

    def __init__(self, path: str, baudrate: int = DEFAULT_BAUDRATE) -> None:
        super().__init__()
        self.path = path
        self.baudrate = baudrate
        self.spec = f"serial:{path}@{baudrate}"

    def _connect(self) -> Escpos:
        printer = Serial(devfile=self.path, baudrate=self.baudrate, timeout=LINK_TIMEOUT_S)
        printer.open()
        return printer

    def wire_time(self, size: int) -> float:
        """Seconds ``size`` bytes take on the line (8N1: 10 bits per byte)."""
        return size * 10 / self.baudrate

    def _write(self, printer: Escpos, data: bytes) -> None:
        port = printer.device
        # A slow line legitimately takes a while (600 bytes ≈ 0.6 s at 9600 baud): allow the
        # wire time plus a short margin, not an open-ended wait on a printer that holds DSR low.
        port.write_timeout = self.wire_time(len(data)) + LINK_TIMEOUT_S
        port.write(data)
        port.flush()

    def discard_input(self) -> None:
        assert self._printer is not None
        self._printer.device.reset_input_buffer()

    def read_byte(self, timeout: float) -> int | None:
        assert self._printer is not None
        port = self._printer.device
        port.timeout = timeout
        answer = port.read(1)
        return answer[0] if answer else None
