"""The kiosk's blocking work against a real server and real printer transports (no window):
issuing, printing, reporting print failures, and the faults the server can answer with."""

from __future__ import annotations

import asyncio
import os
import pty
import select
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.api import KioskApi, ServerError
from kiosk.flow import Catalog, Fault, IssueRequest, PrintState
from kiosk.printing import TicketPrinting, printable
from kiosk.service import KioskService
from printer import PrinterSpecError, paper_profile, render_ticket
from tests.conftest import LiveServer, free_port
from tests.kiosk.conftest import closed_office_config, history, print_status


def service_for(server: LiveServer, printer: str, token: str | None = None) -> KioskService:
    api = KioskApi(server.base_url, token or server.kiosk_token, timeout=3)
    return KioskService(api, TicketPrinting(printer, "80"))


def issue(svc: KioskService, service: str = "A", group: str | None = None
          ) -> tuple[dict[str, Any], Catalog]:
    catalog = svc.load_catalog()
    return svc.issue(IssueRequest(service, group, 1)), catalog


def expected_bytes(ticket: dict[str, Any], catalog: Catalog) -> bytes:
    return render_ticket(printable(ticket, catalog.office), paper_profile("80"),
                         tz=ZoneInfo(catalog.office.timezone))


def test_catalog_from_the_server(live_server: LiveServer) -> None:
    svc = service_for(live_server, "dummy")
    catalog = svc.load_catalog()
    assert catalog.office.name.startswith("Gobernación")
    assert catalog.office.open and catalog.office.footer
    assert [s.code for s in catalog.services] == ["A", "B", "C", "D", "E"]
    assert catalog.groups[0].code == "AM"
    svc.close()


def test_ticket_printed_to_a_file_is_exactly_the_layout(live_server: LiveServer,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    svc = service_for(live_server, f"file:{out}")
    ticket, catalog = issue(svc, "B", "AM")
    outcome = svc.print_and_report(ticket, catalog.office)
    assert out.read_bytes() == expected_bytes(ticket, catalog)
    # A file cannot answer a status query: "unknown", never claimed printed, never alarmed.
    assert outcome.state == PrintState.UNKNOWN
    assert print_status(live_server, ticket["id"]) is None
    assert "printer.failed" not in [h["type"] for h in history(live_server, ticket["id"])]
    svc.close()


def test_ticket_says_plainly_when_no_counter_is_open_and_prints_the_real_hours(
        live_server: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    svc = service_for(live_server, f"file:{out}")
    ticket, catalog = issue(svc, "E")  # passports: nobody at counter 6
    assert ticket["estimated_wait_min"] is None and ticket["counters_open"] == 0
    svc.print_and_report(ticket, catalog.office)
    data = out.read_bytes()
    assert "Aún no hay ventanillas".encode("cp850") in data
    assert b"Tiempo estimado" not in data
    assert catalog.office.footer[0].startswith("Horario: lunes a viernes 8:00-11:30")
    assert b"Horario: lunes a viernes" in data  # generated from [hours], never hand-written
    svc.close()


def test_two_way_printer_that_answers_ok_is_reported_printed(live_server: LiveServer) -> None:
    svc = service_for(live_server, "dummy")
    ticket, catalog = issue(svc)
    assert svc.print_and_report(ticket, catalog.office).state == PrintState.PRINTED
    assert print_status(live_server, ticket["id"]) == "ok"
    svc.close()


@pytest.mark.parametrize(("spec", "words"), [
    ("dummy:offline", "fuera de línea"),
    ("dummy:paper-end", "papel"),
    ("serial:/dev/ttyNO-EXISTE@9600", "no existe"),
])
def test_printer_problem_is_reported_to_the_server(live_server: LiveServer, spec: str,
                                                   words: str) -> None:
    svc = service_for(live_server, spec)
    ticket, catalog = issue(svc)
    outcome = svc.print_and_report(ticket, catalog.office)
    assert outcome.state == PrintState.FAILED and words in outcome.message
    assert print_status(live_server, ticket["id"]) == f"failed: {outcome.message}"[:200]
    failures = [h for h in history(live_server, ticket["id"]) if h["type"] == "printer.failed"]
    assert len(failures) == 1 and failures[0]["detail"]["message"] == outcome.message
    svc.close()


def test_serial_printer_over_a_pty_receives_the_exact_bytes(live_server: LiveServer) -> None:
    controller, device = pty.openpty()
    svc = service_for(live_server, f"serial:{os.ttyname(device)}@9600")
    ticket, catalog = issue(svc)
    outcome = svc.print_and_report(ticket, catalog.office)
    # Status query (DLE EOT 1) before and after the ticket; nobody answers them here.
    want = b"\x10\x04\x01" + expected_bytes(ticket, catalog) + b"\x10\x04\x01"
    got = b""
    deadline = time.monotonic() + 10
    while len(got) < len(want) and time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.5)
        if ready:
            got += os.read(controller, 4096)
    assert got == want
    assert outcome.state == PrintState.UNKNOWN
    svc.close()
    os.close(controller)
    os.close(device)


def test_printer_plugged_in_later_is_used_without_restart(live_server: LiveServer,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "later" / "lp0"
    svc = service_for(live_server, f"file:{out}")
    assert svc.printing.connect() is not None  # not there at start-up
    ticket, catalog = issue(svc)
    assert svc.print_and_report(ticket, catalog.office).state == PrintState.FAILED
    out.parent.mkdir()
    ticket2 = svc.issue(IssueRequest("A", None, 2))
    assert svc.print_and_report(ticket2, catalog.office).state == PrintState.UNKNOWN
    assert out.read_bytes() == expected_bytes(ticket2, catalog)
    svc.close()


def test_failure_report_waits_for_the_server_and_is_not_lost(live_server: LiveServer) -> None:
    svc = service_for(live_server, "dummy:offline")
    ticket, catalog = issue(svc)
    live_server.stop()
    assert svc.print_and_report(ticket, catalog.office).state == PrintState.FAILED
    assert [r.ticket_id for r in svc.pending_reports] == [ticket["id"]]
    live_server.start()
    svc.load_catalog()  # the next successful contact delivers it
    assert svc.pending_reports == []
    assert print_status(live_server, ticket["id"]).startswith("failed:")
    svc.close()


def test_server_answers_become_faults(live_server: LiveServer, make_server: Any,
                                      tmp_path: Path) -> None:
    def fault(server: LiveServer, call: Any, token: str | None = None) -> ServerError:
        with closing(service_for(server, "dummy", token)) as svc, \
                pytest.raises(ServerError) as e:
            call(svc)
        return e.value

    e = fault(live_server, KioskService.load_catalog, token="token-falso")
    assert e.fault == Fault.UNAUTHORIZED
    e = fault(live_server, lambda svc: svc.issue(IssueRequest("Q", None, 1)))
    assert e.fault == Fault.REFUSED and "no existe" in e.message
    e = fault(replace(live_server, port=free_port()), KioskService.load_catalog)
    assert e.fault == Fault.UNREACHABLE

    closed = make_server(config=closed_office_config(tmp_path), open_all_hours=False)
    with closing(service_for(closed, "dummy")) as svc:
        catalog = svc.load_catalog()
    assert not catalog.office.open
    assert catalog.office.closed_message.startswith("La oficina está cerrada. Abre ")
    e = fault(closed, lambda svc: svc.issue(IssueRequest("A", None, 1)))
    assert e.fault == Fault.CLOSED
    assert e.message == catalog.office.closed_message and e.next_opening


def test_malformed_printer_spec_is_a_setup_error() -> None:
    with pytest.raises(PrinterSpecError):
        TicketPrinting("impresora-de-la-esquina")


def test_deactivated_service_disappears_from_the_catalog(live_server: LiveServer) -> None:
    """What a kiosk refresh sees after an administrator withdraws a service."""
    svc = service_for(live_server, "dummy")
    assert "E" in [s.code for s in svc.load_catalog().services]
    live_server.stop()
    deactivate_service(live_server, "E")
    live_server.start()
    assert "E" not in [s.code for s in svc.load_catalog().services]
    svc.close()


def deactivate_service(server: LiveServer, code: str) -> None:
    """Withdraw a service the way the admin pages do (OfficeAdmin.save_config), server
    stopped."""
    from server import bootstrap
    from server.auth import Passwords, Principal, Role
    from server.config import load_config

    services = bootstrap.build(server.db, load_config(server.config),
                               passwords=Passwords.cheap())
    try:
        cfg = services.office.config
        withdrawn = tuple(replace(s, active=False) if s.code == code else s
                          for s in cfg.services)
        admin = Principal(Role.ADMIN, "admin", "admin", 0)
        asyncio.run(services.admin.save_config(replace(cfg, services=withdrawn).to_dict(),
                                               admin))
    finally:
        services.close()
