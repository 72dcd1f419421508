"""The clerk panel in a real headless Chromium against a real server: sign in at a counter,
see the line live, call, start, finish, transfer, no-show and reactivate, pause; double clicks,
a killed server, accessibility."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.web.conftest import (
    DESKTOP,
    in_hand,
    open_sign_in,
    serious_violations,
    sign_in,
    submit_sign_in,
    waiting_row,
)


def desk(browser: Browser, **kw: Any) -> Page:
    page: Page = browser.new_context(viewport=DESKTOP, **kw).new_page()
    return page


def ticket_state(server: LiveServer, ticket_id: str) -> dict[str, Any]:
    r = httpx.get(f"{server.base_url}/api/v1/tickets/{ticket_id}", timeout=10)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def test_wrong_password_shows_the_message(live_server: LiveServer, browser: Browser) -> None:
    page = desk(browser)
    submit_sign_in(page, live_server, "clerk1", counter=1, password="no-es-la-clave")
    expect(page.get_by_role("alert")).to_have_text("Usuario o contraseña incorrectos.")
    expect(page.locator("#desk")).to_be_hidden()
    page.context.close()


def test_a_clerk_works_a_ticket_through_its_whole_cycle(
        live_server: LiveServer, browser: Browser, artifacts: Path) -> None:
    page = desk(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    page.evaluate("window.notReloaded = true")
    expect(page.locator("#counter-name")).to_have_text("Ventanilla 1")
    expect(page.get_by_text("Sin turno en mano")).to_be_visible()
    page.screenshot(path=str(artifacts / "panel-empty.png"))

    # A second clerk at counter 2 (same services) watches the same line.
    other = desk(browser)
    sign_in(other, live_server, "clerk2", counter=2)

    first = live_server.issue("A")
    expect(waiting_row(page, "A-001")).to_be_visible()
    expect(page.locator("#stat-total")).to_have_text("1")
    expect(other.locator("#stat-total")).to_have_text("1")

    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("A-001")
    expect(page.locator("#flash")).to_have_text("Llamando a A-001.")
    expect(other.locator("#stat-total")).to_have_text("0")  # the line shrank for everyone
    expect(waiting_row(other, "A-001")).to_have_count(0)

    page.get_by_role("button", name="Iniciar atención").click()
    expect(page.locator("#ticket .chip-serving")).to_have_text("En atención")
    page.get_by_role("button", name="Finalizar").click()
    expect(page.get_by_text("Sin turno en mano")).to_be_visible()
    assert ticket_state(live_server, first["id"])["status"] == "done"

    # Preferential first; then transfer it to a service this counter does not serve.
    live_server.issue("B")
    pref = live_server.issue("A", "AM")
    expect(page.locator("#stat-pref")).to_have_text("1")
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("A-002")
    expect(page.locator("#ticket")).to_contain_text("Preferencial · Persona mayor")
    expect(page.locator("#ticket-calls")).to_have_text("1 vez")
    page.screenshot(path=str(artifacts / "panel-called-preferential.png"))
    page.get_by_label("Transferir a otro servicio").select_option("C")
    page.get_by_role("button", name="Transferir", exact=True).click()
    expect(page.locator("#flash")).to_contain_text("A-002 pasó a la fila de Pagos e impuestos")
    expect(page.get_by_text("Sin turno en mano")).to_be_visible()
    moved = ticket_state(live_server, pref["id"])
    assert (moved["service"], moved["status"]) == ("C", "waiting")
    expect(waiting_row(page, "A-002")).to_have_count(0)  # counter 1 does not serve C

    # No-show, then the person arrives: reactivate from the list of absent tickets.
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("B-001")
    page.get_by_role("button", name="Volver a llamar").click()
    expect(page.locator("#ticket-calls")).to_have_text("2 veces")
    page.get_by_role("button", name="No se presentó").click()
    expect(page.locator("#absent li[data-ticket='B-001']")).to_be_visible()
    page.get_by_role("button", name="Reactivar B-001").click()
    expect(waiting_row(page, "B-001")).to_be_visible()
    expect(page.locator("#absent li")).to_have_count(0)

    # Calling over a ticket only called asks first, in one tap (keyboard shortcut N).
    page.get_by_role("button", name="Llamar B-001").click()
    expect(in_hand(page)).to_have_text("B-001")
    live_server.issue("A")
    expect(waiting_row(page, "A-003")).to_be_visible()
    page.keyboard.press("n")
    expect(page.get_by_role("alertdialog")).to_contain_text("¿B-001 no se presentó?")
    page.get_by_role("alertdialog").get_by_role("button", name="No se presentó").click()
    expect(in_hand(page)).to_have_text("A-003")
    expect(page.locator("#flash")).to_have_text(
        "B-001 se cerró como ausente (no se presentó). Llamando a A-003.")
    page.keyboard.press("i")
    expect(page.locator("#ticket .chip-serving")).to_be_visible()
    page.screenshot(path=str(artifacts / "panel-serving.png"))

    # Pausing with a ticket in attention asks to finish it first; a pause calls nobody.
    page.get_by_role("button", name="Pausa").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(
        "Finalice la atención de A-003 antes de pausar.")
    page.get_by_role("button", name="Finalizar A-003").click()
    page.get_by_role("button", name="Almuerzo").click()
    expect(page.get_by_role("button", name="Llamar siguiente")).to_be_disabled()
    expect(page.locator("#paused")).to_contain_text("Ventanilla en pausa: Almuerzo")
    expect(other.locator("#stat-total")).to_have_text("0")
    page.screenshot(path=str(artifacts / "panel-paused.png"))
    with live_server.client(live_server.login("super")) as c:
        assert c.get("/api/v1/counters/1").json()["state"] == "paused"
    page.get_by_role("button", name="Reanudar").click()
    expect(page.locator("#paused")).to_be_hidden()

    assert page.evaluate("window.notReloaded") is True
    page.context.close()
    other.context.close()


def test_shortcuts_do_not_fire_while_choosing_in_a_field(
        live_server: LiveServer, browser: Browser) -> None:
    page = desk(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    live_server.issue("A")
    expect(waiting_row(page, "A-001")).to_be_visible()
    page.keyboard.press("n")
    expect(in_hand(page)).to_have_text("A-001")
    page.get_by_label("Transferir a otro servicio").focus()
    page.keyboard.press("f")
    page.keyboard.press("a")
    page.locator("#btn-recall").focus()  # and once out of the field, they work again
    page.keyboard.press("r")
    expect(page.locator("#ticket-calls")).to_have_text("2 veces")
    expect(in_hand(page)).to_have_text("A-001")  # neither finished nor marked absent
    page.context.close()


def test_only_a_supervisor_takes_over_a_counter_and_the_displaced_clerk_sees_who_and_why(
        live_server: LiveServer, browser: Browser) -> None:
    displaced = desk(browser)
    sign_in(displaced, live_server, "clerk2", counter=1)
    page = desk(browser)
    submit_sign_in(page, live_server, "clerk1", counter=1)
    expect(page.get_by_role("alert")).to_contain_text("La ventanilla 1 está ocupada por Clerk2")
    expect(page.get_by_role("alert")).to_contain_text("pida al supervisor que la libere")
    page.get_by_role("button", name="Tomar esta ventanilla").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Solo un supervisor puede tomarla: pida al supervisor que la libere")
    expect(page.get_by_role("button", name="Tomar esta ventanilla")).to_be_hidden()
    page.context.close()
    page = desk(browser)
    submit_sign_in(page, live_server, "super", counter=1)
    page.get_by_label("Motivo para tomarla").fill("la funcionaria tuvo una calamidad")
    page.get_by_role("button", name="Tomar esta ventanilla").click()
    expect(page.locator("#conn")).to_have_text("En línea")
    expect(page.locator("#clerk-name")).to_have_text("Super")
    expect(displaced.locator(".notice")).to_have_text(
        "Su sesión terminó: Super (super) tomó la ventanilla 1. Motivo: la funcionaria tuvo "
        "una calamidad. Ingrese de nuevo.")
    page.context.close()
    displaced.context.close()


def test_a_double_click_never_calls_two_tickets(live_server: LiveServer, browser: Browser
                                                ) -> None:
    page = desk(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    for _ in range(3):
        live_server.issue("A")
    expect(page.locator("#stat-total")).to_have_text("3")
    page.get_by_role("button", name="Llamar siguiente").dblclick()
    expect(in_hand(page)).to_have_text("A-001")
    page.get_by_role("button", name="Iniciar atención").click()
    expect(page.locator("#flash")).to_have_text("Atendiendo a A-001.")  # its answer is in
    # Two clicks in the same instant, straight from the page's code.
    page.evaluate("() => { const b = document.querySelector('#btn-next'); b.click(); b.click(); }")
    expect(page.locator("#flash")).to_contain_text("Llamando a A-002")
    expect(in_hand(page)).to_have_text("A-002")
    expect(page.locator("#stat-total")).to_have_text("1")
    # And two requests the page did not guard (raced from inside the page): one call only.
    answers = page.evaluate("""async (held) => {
        const csrf = document.cookie.match(/turnero_csrf=([^;]+)/)[1];
        const post = () => fetch('/api/v1/counters/1/next', {method: 'POST',
            headers: {'X-CSRF-Token': csrf, 'Content-Type': 'application/json'},
            body: JSON.stringify({in_hand: held, previous: 'served'})}).then(r => r.json());
        return Promise.all([post(), post()]);
    }""", page.locator("#ticket").get_attribute("data-ticket-id"))
    numbers = sorted(a["number"] for a in answers)
    assert numbers == ["A-003", "A-003"], answers
    assert sorted(a["repeated"] for a in answers) == [False, True]
    with live_server.client(live_server.login("super")) as c:
        queue = c.get("/api/v1/queue").json()
    assert queue["waiting_total"] == 0
    page.context.close()


def test_the_page_says_when_the_server_is_gone_and_recovers(
        live_server: LiveServer, browser: Browser, artifacts: Path) -> None:
    page = desk(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    live_server.issue("A")
    expect(waiting_row(page, "A-001")).to_be_visible()
    live_server.stop(kill=True)
    banner = page.get_by_role("alert")
    expect(banner).to_have_text("Sin conexión con el servidor. Reintentando…")
    expect(page.locator("#conn")).to_have_text("Sin conexión")
    page.screenshot(path=str(artifacts / "panel-offline.png"))
    live_server.start()
    expect(page.locator("#offline")).to_be_hidden(timeout=30_000)
    expect(page.locator("#conn")).to_have_text("En línea")
    expect(waiting_row(page, "A-001")).to_be_visible()  # state re-read from the snapshot
    live_server.issue("B")
    expect(waiting_row(page, "B-001")).to_be_visible()
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("A-001")
    page.context.close()


def test_panel_has_no_serious_accessibility_problems(
        live_server: LiveServer, browser: Browser, axe_source: str) -> None:
    page = desk(browser, bypass_csp=True)
    open_sign_in(page, live_server)
    assert serious_violations(page, axe_source) == []
    sign_in(page, live_server, "clerk1", counter=1)
    live_server.issue("A", "GES")
    live_server.issue("B")
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("A-001")
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    page.get_by_role("alertdialog").get_by_role("button", name="No se presentó").click()
    expect(in_hand(page)).to_have_text("B-001")
    assert serious_violations(page, axe_source) == []
    page.context.close()
