"""The kiosk's work that blocks (server calls, printing), without any user interface.

The Kivy app runs these methods in worker threads and hands the results to
:class:`~kiosk.flow.KioskFlow` on the UI thread. Tests call them directly against a real server.

Print results are reported to the server (``POST /tickets/{id}/print-status``) so a supervisor
sees a printer alert; a report that cannot be delivered now is kept and sent again after the
next successful contact, so a failure is never silently lost.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from kiosk.api import KioskApi, ServerError
from kiosk.flow import Catalog, Fault, IssueRequest, Office, PrintState
from kiosk.printing import PrintOutcome, TicketPrinting

log = logging.getLogger(__name__)

#: Attempts for one ticket request (same idempotency key) before showing "no connection".
ISSUE_ATTEMPTS = 3
ISSUE_RETRY_S = 0.5


@dataclass(frozen=True)
class PrintReport:
    ticket_id: str
    ok: bool
    message: str


class KioskService:
    def __init__(self, api: KioskApi, printing: TicketPrinting) -> None:
        self.api = api
        self.printing = printing
        self._pending: list[PrintReport] = []
        self._lock = threading.Lock()

    @property
    def pending_reports(self) -> list[PrintReport]:
        with self._lock:
            return list(self._pending)

    def load_catalog(self) -> Catalog:
        catalog = self.api.catalog()
        self.flush_reports()
        return catalog

    def issue(self, request: IssueRequest) -> dict[str, Any]:
        """Ask for the ticket; when the link fails mid-request (the server may or may not have
        issued it), try again with the same idempotency key: the server hands back the ticket
        it already issued, so a lost answer never costs a turn nor makes two."""
        for attempt in range(ISSUE_ATTEMPTS):
            try:
                return self.api.issue(request.service, request.group, request.request_id)
            except ServerError as e:
                if e.fault != Fault.UNREACHABLE or attempt == ISSUE_ATTEMPTS - 1:
                    raise
                time.sleep(ISSUE_RETRY_S * (attempt + 1))
        raise AssertionError("unreachable")

    def print_and_report(self, ticket: dict[str, Any], office: Office) -> PrintOutcome:
        """Print one ticket and tell the server how it went (unknown is not reported: the
        kiosk does not know, and says nothing rather than something false)."""
        try:
            outcome = self.printing.print_ticket(ticket, office)
        except Exception as e:  # a bug in layout must not cost the citizen their turn
            log.exception("printing ticket %s failed", ticket.get("number"))
            outcome = PrintOutcome(PrintState.FAILED, f"Error al preparar el tiquete: {e}")
        if outcome.state == PrintState.PRINTED:
            self._report(PrintReport(ticket["id"], True, outcome.message))
        elif outcome.state == PrintState.FAILED:
            self._report(PrintReport(ticket["id"], False, outcome.message))
        return outcome

    def flush_reports(self) -> None:
        """Send the reports that could not be delivered before (oldest first)."""
        with self._lock:
            pending, self._pending = self._pending, []
        for report in pending:
            self._report(report)

    def _report(self, report: PrintReport) -> None:
        try:
            self.api.report_print(report.ticket_id, report.ok, report.message)
        except ServerError as e:
            if e.fault == Fault.UNREACHABLE:
                with self._lock:
                    self._pending.append(report)
            else:
                log.warning("print report for %s refused: %s", report.ticket_id, e.message)

    def close(self) -> None:
        self.printing.close()
        self.api.close()
