"""The kiosk reads a ticket aloud with the office's own letter names (``[speech] letters``),
the same words the board's spoken call uses: a real server with a renamed letter, the kiosk's
real API client and flow, and the board's announcement for the same number."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kiosk.api import KioskApi
from kiosk.flow import KioskFlow, PrintState, Screen, Timing
from kiosk.printing import TicketPrinting
from kiosk.service import KioskService
from tests.conftest import DEMO_CONFIG, LiveServer, need

#: Letter B renamed by the office; the kiosk must say it as the board does.
LETTERS = '\n[speech]\nletters = { B = "be grande" }\n'


def said_on_a_b_ticket(server: LiveServer) -> tuple[str, KioskFlow, dict[str, Any]]:
    """What the kiosk says on the ticket screen after a citizen takes a B ticket (the real
    API client and flow against ``server``)."""
    svc = KioskService(KioskApi(server.base_url, server.kiosk_token, timeout=3),
                       TicketPrinting("dummy", "80"))
    try:
        flow = KioskFlow(Timing(), now=0)
        flow.refresh_started(0)
        flow.catalog_loaded(svc.load_catalog(), 0)
        flow.start(1)
        assert flow.choose_service("B", 1) is None  # the group question comes next
        request = flow.choose_group(None, 2)
        assert request is not None
        ticket = svc.issue(request)
        flow.issued(request, ticket, 3)
        flow.printed(ticket["id"], PrintState.PRINTED, "", 4)
        assert flow.screen == Screen.TICKET
        return flow.prompt(), flow, ticket
    finally:
        svc.close()


def test_kiosk_says_the_ticket_with_the_office_letter_names(make_server: Any,
                                                            tmp_path: Path) -> None:
    config = tmp_path / "office.toml"
    config.write_text(DEMO_CONFIG.read_text(encoding="utf-8") + LETTERS, encoding="utf-8")
    server = make_server(config=config)
    said, flow, ticket = said_on_a_b_ticket(server)
    assert flow.catalog is not None
    assert dict(flow.catalog.office.spoken_letters) == {"B": "be grande"}
    assert ticket["number"] == "B-001"
    assert said.startswith("Su turno es be grande uno.")
    need(shutil.which("espeak-ng") is not None, "espeak-ng (apt: espeak-ng)")  # the board's
    with server.client(server.display_token) as board:
        r = board.get("/api/v1/announcements/B-001/1.wav")
    assert r.status_code == 200, r.text
    assert r.headers["X-Announcement-Text"].startswith("Turno be grande uno,")


def test_without_renamed_letters_the_colombian_names_are_used(office_server: LiveServer
                                                              ) -> None:
    said, _flow, _ticket = said_on_a_b_ticket(office_server)
    assert said.startswith("Su turno es be larga ")
