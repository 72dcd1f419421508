"""Printer seen as a file: a kernel device such as /dev/usb/lp0, or a plain file for tests."""

from __future__ import annotations

from escpos.escpos import Escpos
from escpos.printer import File

from printer.status import PrinterStatus
from printer.transports.base import EscposTransport


class FilePrinter(EscposTransport):
    """``file:PATH``: writes the raw bytes; a one-way link, so the status is always unknown.

    The file is opened (and truncated) once, then every job is appended and flushed.
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.spec = f"file:{path}"

    def _connect(self) -> Escpos:
        printer = File(devfile=self.path, auto_flush=True)
        printer.open()
        return printer

    def status(self) -> PrinterStatus:
        return PrinterStatus.unknown(
            f"La impresora {self.spec} no informa su estado (conexión de solo envío)."
        )
