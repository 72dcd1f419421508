"""One small class per way of reaching a printer, all behind :class:`TicketPrinter`."""

from printer.transports.base import EscposTransport, TicketPrinter
from printer.transports.dummy import DummyPrinter
from printer.transports.file import FilePrinter
from printer.transports.serialport import SerialPrinter
from printer.transports.tcp import TcpPrinter
from printer.transports.usbport import UsbPrinter

__all__ = [
    "DummyPrinter",
    "EscposTransport",
    "FilePrinter",
    "SerialPrinter",
    "TcpPrinter",
    "TicketPrinter",
    "UsbPrinter",
]
