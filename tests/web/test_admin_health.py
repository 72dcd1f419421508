"""The admin page's "Estado del servidor": the health report, in a real Chromium."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer, eventually, free_port
from tests.server.test_health import bridge_reports
from tests.web.test_admin import admin_page, go


def test_admin_sees_the_health_report(live_server: LiveServer, browser: Browser) -> None:
    ticket = live_server.issue("A")
    bridge_reports(live_server)
    page = admin_page(browser, live_server)
    go(page, "Estado del servidor")
    box = page.locator("#health")
    expect(box.get_by_role("status")).to_have_text("Todo funciona.")
    expect(box.locator("tr[data-check=database]")).to_contain_text("Acepta escrituras.")
    expect(box.locator("tr[data-check=backup]")).to_contain_text("no programada")
    expect(box.locator("tr[data-device=pantalla-prueba]")).to_contain_text("Sin conexión")
    # this office sends to no centre, and the card says so
    central = box.locator("tr[data-check=central]")
    expect(central).to_contain_text("Envío a la central")
    expect(central).to_contain_text("No configurado")
    expect(central).to_contain_text("esta oficina no envía sus registros a ninguna central")

    with live_server.client(live_server.kiosk_token) as kiosk:
        kiosk.post(f"/api/v1/tickets/{ticket['id']}/print-status",
                   json={"ok": False, "message": "sin papel"})
    page.reload()
    expect(box.get_by_role("status")).to_have_text("Con fallas: Impresoras.")
    expect(box.locator("tr[data-check=printers]")).to_contain_text("quiosco-prueba")
    page.context.close()


def test_admin_sees_records_waiting_for_a_centre_that_is_down(make_server: Any,
                                                              browser: Browser) -> None:
    """The centre does not answer: the card says how many records wait and why, as a warning
    (the office keeps working: its health stays "Todo funciona")."""
    nobody = f"http://127.0.0.1:{free_port()}"
    office: LiveServer = make_server(
        extra_args=["--central-url", nobody, "--central-token=sin-central"])
    for service in ("A", "B"):
        office.issue(service)
    bridge_reports(office)
    eventually(lambda: httpx.get(f"{office.base_url}/api/v1/health", timeout=10).json()[
        "central"], lambda c: c["last_error"] is not None, "the sender never tried the centre")
    page = admin_page(browser, office)
    go(page, "Estado del servidor")
    box = page.locator("#health")
    expect(box.get_by_role("status")).to_have_text("Todo funciona.")
    central = box.locator("tr[data-check=central]")
    expect(central).to_contain_text("Aviso")
    expect(central).to_contain_text("Todavía sin envíos confirmados · 2 registros en espera")
    expect(central).to_contain_text("Sin conexión con la central")
    page.context.close()
