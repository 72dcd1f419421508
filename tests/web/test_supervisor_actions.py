"""The supervisor runs the day from the browser (real headless Chromium, real server): the
office's state and the queue alerts on "Ahora", freeing a counter, cancelling and moving a
ticket, closing the day — each after a confirmation — and a ticket's history by number."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.web.conftest import DESKTOP, serious_violations, sign_in, status


def supervisor(browser: Browser, server: LiveServer, **kw: Any) -> Page:
    page: Page = browser.new_context(viewport=DESKTOP, locale="es-CO", **kw).new_page()
    sign_in(page, server, "super", path="/supervisor")
    expect(page.locator("#live-status-text")).to_contain_text("En vivo")
    return page


def test_ahora_says_the_office_is_open_and_raises_a_line_nobody_can_call(
        live_server: LiveServer, browser: Browser) -> None:
    page = supervisor(browser, live_server)
    expect(page.locator("#office-state")).to_have_text("Oficina abierta: los quioscos dan turnos.")
    expect(page.locator("#queue-alerts")).to_contain_text("Todas las filas tienen ventanilla")
    live_server.issue("C")
    alert = page.locator("#queue-alerts li[data-kind='no_open_counter']")
    expect(alert).to_have_text("Pagos e impuestos: 1 persona espera y no hay ninguna ventanilla "
                               "abierta que atienda este servicio.")
    live_server.login("clerk3", counter=3)  # a counter for C opens: the alert goes away
    expect(alert).to_have_count(0)
    page.get_by_role("button", name="Cerrar sesión").click()  # a sign-out asked for
    expect(page.locator(".notice")).to_have_text("Sesión cerrada.")
    page.context.close()


def test_freeing_a_counter_asks_first_and_returns_its_ticket_to_the_line(
        live_server: LiveServer, browser: Browser) -> None:
    ticket = live_server.issue("A")
    clerk = live_server.login("clerk1", counter=1)
    with live_server.client(clerk) as c:
        assert c.post("/api/v1/counters/1/next").json()["id"] == ticket["id"]
    page = supervisor(browser, live_server)
    card = page.locator("#counters li", has_text="Ventanilla 1")
    expect(card).to_contain_text("Turno A-001")
    card.get_by_role("button", name="Liberar Ventanilla 1").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("¿Liberar Ventanilla 1? Clerk1 saldrá de su sesión en esa "
                                   "ventanilla. El turno A-001 vuelve a la fila en su lugar.")
    dialog.get_by_role("button", name="Volver").click()
    expect(dialog).to_be_hidden()
    assert status(live_server, ticket["id"]) == "called"  # nothing happened
    card.get_by_role("button", name="Liberar Ventanilla 1").click()
    dialog.get_by_role("button", name="Confirmar").click()
    expect(page.locator("#action-result")).to_have_text("Ventanilla 1 quedó libre y cerrada.")
    expect(card).to_contain_text("Cerrada")
    assert status(live_server, ticket["id"]) == "waiting"
    with live_server.client(clerk) as c:
        assert c.get("/api/v1/auth/me").status_code == 401

    # The audit view tells the story, and from there the ticket is moved, then cancelled.
    page.get_by_label("Número del turno").fill("a1")
    page.get_by_role("button", name="Buscar").click()
    history = page.locator("#audit-history li")
    expect(history.first).to_contain_text("Emitido por el quiosco «quiosco-prueba»")
    expect(history.nth(1)).to_contain_text("Llamado en la ventanilla 1 por Clerk1 (clerk1). "
                                           "Por qué:")
    expect(history.nth(2)).to_contain_text("Devuelto a la fila en su lugar original en la "
                                           "ventanilla 1 por Super (super) (ventanilla "
                                           "liberada por Super).")
    page.get_by_label("Servicio de destino").select_option("B")
    page.get_by_role("button", name="Mover a ese servicio").click()
    expect(dialog).to_contain_text("¿Pasar el turno A-001 a Información y orientación?")
    dialog.get_by_role("button", name="Confirmar").click()
    expect(history.last).to_contain_text("Pasado de A · Radicación de PQRSD a B · Información "
                                         "y orientación por Super (super)")
    page.get_by_role("button", name="Cancelar turno").click()
    dialog.get_by_role("button", name="Confirmar").click()
    expect(page.locator("#audit-ticket")).to_contain_text("cancelado")
    expect(history.last).to_contain_text("Cancelado por Super (super).")
    assert status(live_server, ticket["id"]) == "cancelled"
    page.context.close()


def test_closing_the_day_asks_first_and_ends_the_waiting_tickets(
        live_server: LiveServer, browser: Browser, axe_source: str) -> None:
    waiting = [live_server.issue("A"), live_server.issue("B")]
    page = supervisor(browser, live_server, bypass_csp=True)
    page.get_by_role("button", name="Cerrar el día").click()
    expect(page.get_by_role("dialog")).to_contain_text("Esto no se puede deshacer.")
    assert serious_violations(page, axe_source) == []
    page.get_by_role("dialog").get_by_role("button", name="Confirmar").click()
    expect(page.locator("#action-result")).to_have_text(
        "Día cerrado: 2 turnos quedaron sin atender.")
    assert [status(live_server, t["id"]) for t in waiting] == ["not_attended"] * 2
    page.get_by_label("Número del turno").fill("B-001")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#audit-history li").last).to_contain_text(
        "No se atendió: cierre del día por supervisor (Super (super)).")
    assert serious_violations(page, axe_source) == []
    page.context.close()
