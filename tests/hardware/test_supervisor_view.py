"""/supervisor shows hardware bridges like printer alerts (real Chromium, real server)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.server.test_supervisor_browser import new_page, sign_in

pytestmark = pytest.mark.browser


def test_a_display_that_stops_answering_is_an_alert(live_server: LiveServer, browser: Any
                                                   ) -> None:
    context, page, problems = new_page(browser)
    sign_in(page, live_server, "/supervisor")
    expect(page.locator("#live-status")).to_contain_text("En vivo")
    display = {"name": "ventanilla-1", "port": "/dev/ttyUSB0", "connected": True, "counter": 1}
    with live_server.client(live_server.tokens["hardware"]) as bridge:
        assert bridge.post("/api/v1/hardware/status",
                           json={"displays": [display], "buttons": []}).status_code == 200
        page.reload()
        row = page.locator("#bridges li", has_text="Puente puente-prueba")
        expect(row).to_contain_text("1 pantalla y 0 botoneras conectadas")
        lost = {**display, "connected": False, "error": "el dispositivo desapareció"}
        assert bridge.post("/api/v1/hardware/status",
                           json={"displays": [lost], "buttons": []}).status_code == 200
    # live: the lost display is an event, the page refreshes by itself
    expect(page.locator("#alerts li.alert")).to_contain_text(
        "Puente puente-prueba: La pantalla ventanilla-1 (/dev/ttyUSB0) no responde: el "
        "dispositivo desapareció.")
    expect(page.locator("#bridges li.alert")).to_contain_text("no responde: ventanilla-1")
    assert problems == [], problems
    context.close()
