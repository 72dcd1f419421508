"""The one place the kiosk talks to the printer package (``printer/``).

Why an adapter: the kiosk must never be left without a printer object (a printer unplugged at
start-up is plugged in later), and it needs one verdict per ticket — printed, unknown or
failed — rather than transport details. Blocking: run it off the UI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.flow import Office, PrintState
from printer import (
    PrintableTicket,
    PrinterStatus,
    PrinterUnavailable,
    TicketPrinter,
    open_printer,
    paper_profile,
    parse_spec,
    render_ticket,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintOutcome:
    state: PrintState
    message: str


def printable(ticket: dict[str, Any], office: Office) -> PrintableTicket:
    """What goes on paper, from the server's ticket view and the office facts."""
    return PrintableTicket(
        office_name=office.name,
        number=ticket["number"],
        service_name=ticket.get("service_name") or ticket["service"],
        group_name=ticket.get("group_name"),
        issued_at=datetime.fromisoformat(ticket["issued_at"]),
        ahead=max(0, int(ticket.get("ahead") or 0)),
        estimated_wait_min=ticket.get("estimated_wait_min"),
        status_url=ticket["status_url"],
        footer_lines=list(office.footer),
        wait_note=ticket.get("wait_note"),
    )


def verdict(before: PrinterStatus, after: PrinterStatus | None) -> PrintOutcome:
    """Printed only when the printer said so; silence is unknown, not success nor alarm."""
    if before.blocked:
        return PrintOutcome(PrintState.FAILED, before.message)
    assert after is not None
    if after.blocked:
        return PrintOutcome(PrintState.FAILED, after.message)
    if after.online is True:
        return PrintOutcome(PrintState.PRINTED, after.message)
    return PrintOutcome(PrintState.UNKNOWN, after.message)


class TicketPrinting:
    """Renders and sends tickets; reconnects on every ticket after a failure."""

    def __init__(self, spec: str, paper: str = "80") -> None:
        parse_spec(spec)  # a malformed spec is a set-up mistake: fail at start (PrinterSpecError)
        self.spec = spec
        self.profile = paper_profile(paper)
        self._printer: TicketPrinter | None = None

    def connect(self) -> str | None:
        """Try to open the printer now; the problem in plain Spanish, or None if it opened."""
        try:
            self._open()
        except PrinterUnavailable as e:
            return str(e)
        return None

    def print_ticket(self, ticket: dict[str, Any], office: Office) -> PrintOutcome:
        data = render_ticket(printable(ticket, office), self.profile, tz=ZoneInfo(office.timezone))
        try:
            printer = self._open()
            before = printer.status()
            if before.blocked:
                return verdict(before, None)
            printer.send(data)
            return verdict(before, printer.status())
        except PrinterUnavailable as e:
            self.close()  # reopen from scratch next time (cable plugged back in)
            return PrintOutcome(PrintState.FAILED, str(e))

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            printer.close()

    def _open(self) -> TicketPrinter:
        if self._printer is None:
            self._printer = open_printer(self.spec)
        return self._printer
