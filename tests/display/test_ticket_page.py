"""The citizen's ticket page (/t/<id>) on a phone-sized Chromium: live, plain, private."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.display.conftest import call_next

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
TICKET_NUMBER = re.compile(r"\b[A-Z]-\d{3,}\b")


def open_phone(browser: Any, url: str) -> Any:
    page = browser.new_context(**PHONE).new_page()
    page.on("console", lambda m: print(f"[phone console] {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.goto(url)
    return page


def test_status_page_follows_the_ticket_until_it_is_called(
        browser: Any, live_server: LiveServer, artifacts: Path, axe: Any) -> None:
    others = [live_server.issue("A"), live_server.issue("A", "AM")]
    mine = live_server.issue("A")
    page = open_phone(browser, mine["status_url"])
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    status = page.locator("#status")
    assert page.locator("#number").inner_text() == mine["number"]
    status.get_by_text("Hay 2 personas antes que usted").wait_for()
    assert page.locator("#ahead").inner_text() == "2 personas"
    assert "personas antes" in page.locator("main").inner_text().lower()
    page.screenshot(path=str(artifacts / "ticket-status-waiting.png"))
    assert axe(page) == []

    clerk = live_server.login("clerk1", counter=1)
    call_next(live_server, clerk, 1)  # the preferential ticket goes first
    status.get_by_text("Hay 1 persona antes que usted").wait_for()
    call_next(live_server, clerk, 1)
    status.get_by_text("Usted es el siguiente").wait_for()
    call_next(live_server, clerk, 1)

    page.locator("#status.is-called").wait_for()
    assert page.locator("#status-title").inner_text() == "¡Es su turno!"
    assert page.locator("#status-detail").inner_text() == "Acérquese a la ventanilla 1."
    assert page.evaluate("window.__sameDocument") is True  # updated live, no reload
    page.screenshot(path=str(artifacts / "ticket-status-called.png"))
    assert axe(page) == []

    # Nothing about other citizens anywhere on the page.
    html = page.content()
    assert set(TICKET_NUMBER.findall(html)) == {mine["number"]}
    for other in others:
        assert other["id"] not in html
    page.context.close()


def test_status_page_says_plainly_when_no_counter_is_open(browser: Any,
                                                          live_server: LiveServer) -> None:
    mine = live_server.issue("E")  # passports: only counter 6, and nobody is there yet
    page = open_phone(browser, mine["status_url"])
    wait = page.locator("#wait")
    expect(wait).to_have_text("Aún no hay ventanillas abiertas para este servicio.")
    live_server.login("clerk4", counter=6)  # a clerk opens the passports counter
    expect(wait).to_have_text("Menos de un minuto")
    page.context.close()


def test_status_page_shows_attention_and_end(browser: Any, live_server: LiveServer) -> None:
    mine = live_server.issue("B")
    page = open_phone(browser, mine["status_url"])
    page.get_by_text("Usted es el siguiente").first.wait_for()
    clerk = live_server.login("clerk2", counter=2)
    call_next(live_server, clerk, 2)
    page.locator("#status.is-called").wait_for()
    with live_server.client(clerk) as c:
        assert c.post(f"/api/v1/tickets/{mine['id']}/start").status_code == 200
        page.get_by_text("Lo están atendiendo en la ventanilla 2.").wait_for()
        assert c.post(f"/api/v1/tickets/{mine['id']}/finish").status_code == 200
    page.get_by_text("Gracias por su visita").wait_for()
    # the attention ended: the page offers the satisfaction survey, without a reload
    expect(page.locator("#survey")).to_be_visible()
    page.context.close()


def test_unknown_ticket_gets_a_friendly_404(browser: Any, live_server: LiveServer,
                                           artifacts: Path) -> None:
    url = f"{live_server.base_url}/t/no-existe-este-turno"
    assert httpx.get(url).status_code == 404
    page = open_phone(browser, url)
    assert page.locator("h1").inner_text() == "No encontramos este turno"
    page.screenshot(path=str(artifacts / "ticket-status-missing.png"))
    page.context.close()


def test_the_cycle_ends_with_the_survey_on_the_phone(
        browser: Any, live_server: LiveServer, artifacts: Path, axe: Any) -> None:
    mine = live_server.issue("B")
    page = open_phone(browser, mine["status_url"])
    page.locator("#status").get_by_text("Usted es el siguiente").wait_for()
    assert page.locator("#survey").is_hidden()

    clerk = live_server.login("clerk1", counter=1)
    call_next(live_server, clerk, 1)
    page.locator("#status.is-called").wait_for()
    with live_server.client(clerk) as c:
        assert c.post(f"/api/v1/tickets/{mine['id']}/start").status_code == 200
        assert c.post(f"/api/v1/tickets/{mine['id']}/finish").status_code == 200

    survey = page.locator("#survey")
    survey.get_by_role("button", name="5 de 5").wait_for()  # appears without a reload
    assert axe(page) == []
    page.screenshot(path=str(artifacts / "ticket-status-survey.png"))
    survey.get_by_role("button", name="5 de 5").click()
    survey.get_by_role("button", name="Enviar sin motivo").click()
    survey.get_by_text("Gracias").first.wait_for()
    stored = httpx.get(f"{live_server.base_url}/api/v1/tickets/{mine['id']}/survey").json()
    assert stored["state"] == "answered"
