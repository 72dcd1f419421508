"""The admin page's "Estado del servidor": the health report, in a real Chromium."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer
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

    with live_server.client(live_server.kiosk_token) as kiosk:
        kiosk.post(f"/api/v1/tickets/{ticket['id']}/print-status",
                   json={"ok": False, "message": "sin papel"})
    page.reload()
    expect(box.get_by_role("status")).to_have_text("Con fallas: Impresoras.")
    expect(box.locator("tr[data-check=printers]")).to_contain_text("quiosco-prueba")
    page.context.close()
