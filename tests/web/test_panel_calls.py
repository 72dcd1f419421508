"""The clerk panel never wrongs a citizen (real headless Chromium, real server): calling over
a ticket only called asks first, the office's grace rule counts down on "No se presentó", a
paused counter calls nobody, signing out with a ticket in hand asks what to do with it and
ends on "Sesión cerrada", and a ticket is given at the counter with its QR code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.server.test_calls_api import grace_office
from tests.web.conftest import DESKTOP, in_hand, sign_in, status, waiting_row


def desk(browser: Browser) -> Page:
    page: Page = browser.new_context(viewport=DESKTOP).new_page()
    return page


def test_calling_over_a_called_ticket_asks_and_cancel_changes_nothing(
        live_server: LiveServer, browser: Browser) -> None:
    first, second = live_server.issue("A"), live_server.issue("A")
    page = desk(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("A-001")
    page.get_by_role("button", name="Llamar siguiente").click()
    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text("¿A-001 no se presentó?")
    page.keyboard.press("n")  # shortcuts wait for the answer
    question.get_by_role("button", name="Cancelar").click()
    expect(question).to_be_hidden()
    expect(in_hand(page)).to_have_text("A-001")
    assert (status(live_server, first["id"]), status(live_server, second["id"])) == (
        "called", "waiting")
    page.get_by_role("button", name="Llamar siguiente").click()
    question.get_by_role("button", name="Sí se presentó: A-001 atendido").click()
    expect(in_hand(page)).to_have_text("A-002")
    expect(page.locator("#flash")).to_have_text("A-001 se cerró como atendido. Llamando a A-002.")
    assert status(live_server, first["id"]) == "done"
    page.context.close()


def test_the_grace_rule_shows_on_no_show_until_it_is_met(
        make_server: Any, tmp_path: Path, browser: Browser) -> None:
    server: LiveServer = make_server(config=grace_office(tmp_path, calls=2, seconds=600))
    server.issue("A")
    page = desk(browser)
    sign_in(page, server, "clerk1", counter=1)
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("A-001")
    no_show = page.locator("#btn-noshow")
    expect(no_show).to_be_disabled()
    expect(page.locator("#noshow-wait")).to_have_text("(llame 1 vez más)")
    page.get_by_role("button", name="Volver a llamar").click()
    expect(page.locator("#ticket-calls")).to_have_text("2 veces")
    wait = page.locator("#noshow-wait")
    expect(wait).to_contain_text(" s)")
    first = int(wait.inner_text().split()[1])
    assert 590 <= first <= 600
    expect(wait).not_to_have_text(f"(en {first} s)")  # it counts down by the second
    expect(no_show).to_be_disabled()
    page.context.close()


def test_a_paused_counter_cannot_call_and_sign_out_asks_about_the_ticket_in_hand(
        live_server: LiveServer, browser: Browser) -> None:
    ticket = live_server.issue("A")
    page = desk(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    expect(waiting_row(page, "A-001")).to_be_visible()
    page.get_by_role("button", name="Pausa").click()
    page.get_by_role("button", name="Descanso").click()
    expect(page.locator("#paused")).to_be_visible()
    expect(page.get_by_role("button", name="Llamar siguiente")).to_be_disabled()
    expect(page.get_by_role("button", name="Llamar A-001")).to_be_disabled()
    page.keyboard.press("n")
    page.get_by_role("button", name="Reanudar").click()
    expect(page.get_by_role("button", name="Llamar siguiente")).to_be_enabled()
    assert status(live_server, ticket["id"]) == "waiting"

    page.get_by_role("button", name="Llamar siguiente").click()
    page.get_by_role("button", name="Iniciar atención").click()
    expect(page.locator("#ticket .chip-serving")).to_be_visible()
    page.get_by_role("button", name="Cerrar sesión").click()
    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text(
        "Tiene A-001 en mano. ¿Qué hace con el turno antes de cerrar sesión?")
    question.get_by_role("button", name="Devolver a la fila (conserva su lugar)").click()
    expect(page.locator(".notice")).to_have_text("Sesión cerrada.")
    assert status(live_server, ticket["id"]) == "waiting"
    with live_server.client(live_server.login("super")) as s:
        assert s.get("/api/v1/counters/1").json()["state"] == "closed"
    page.context.close()


def test_a_clerk_gives_a_ticket_with_its_qr_code(live_server: LiveServer,
                                                  browser: Browser) -> None:
    page = desk(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    page.get_by_label("Servicio", exact=True).select_option("B")
    page.get_by_label("Atención preferencial").select_option("AM")
    page.get_by_role("button", name="Dar turno").click()
    expect(page.locator("#issued-number")).to_have_text("B-001")
    expect(page.locator("#issued-text")).to_contain_text("Preferencial: Persona mayor")
    qr = page.locator("#issued-qr")
    expect(qr).to_be_visible()
    page.wait_for_function("() => document.querySelector('#issued-qr').naturalWidth > 0")
    expect(waiting_row(page, "B-001")).to_be_visible()
    page.get_by_role("button", name="Llamar siguiente").click()
    expect(in_hand(page)).to_have_text("B-001")
    page.context.close()
