"""Ticket printing for Turnero: ESC/POS layout, transports, status.

The kiosk needs four names::

    from printer import open_printer, render_ticket, PrintableTicket, PAPER_80

    printer = open_printer("usb:04b8:0e15")          # or serial:…, tcp:…, file:…, dummy
    if not printer.status().blocked:
        printer.send(render_ticket(ticket, PAPER_80))
"""

from printer.errors import PrinterError, PrinterSpecError, PrinterUnavailable
from printer.layout import render_ticket
from printer.profiles import PAPER_58, PAPER_80, PaperProfile, paper_profile
from printer.spec import open_printer, parse_spec
from printer.status import PrinterStatus
from printer.ticket import PrintableTicket
from printer.transports import TicketPrinter

__all__ = [
    "PAPER_58",
    "PAPER_80",
    "PaperProfile",
    "PrintableTicket",
    "PrinterError",
    "PrinterSpecError",
    "PrinterStatus",
    "PrinterUnavailable",
    "TicketPrinter",
    "open_printer",
    "paper_profile",
    "parse_spec",
    "render_ticket",
]
