"""A panel whose view is behind the server (real headless Chromium, real server): the live
events stop reaching it while a supervisor calls a ticket at its counter through the API, so
the panel believes the counter is free. It learns about the called ticket only from the
server's 409 and then asks, in one tap, "¿A-001 no se presentó?"; nothing changes until the
clerk answers, and the answer is sent with the ticket the server named."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.web.conftest import DESKTOP, in_hand, sign_in, status, waiting_row


def panel_with_a_muted_link(browser: Browser) -> tuple[Page, dict[str, bool]]:
    """A panel whose events socket is real, but whose messages from the server stop reaching
    the page while ``muted["on"]`` (a stalled link that has not dropped yet)."""
    page: Page = browser.new_context(viewport=DESKTOP).new_page()
    muted = {"on": False}

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        server.on_message(lambda message: None if muted["on"] else ws.send(message))

    page.route_web_socket("**/api/v1/events**", route)
    return page, muted


def calls_at_counter_1(response: Any) -> bool:
    return bool(response.request.method == "POST" and
                response.url.endswith("/api/v1/counters/1/call"))


def test_a_ticket_called_behind_the_panels_back_is_learned_from_the_409(
        live_server: LiveServer, browser: Browser) -> None:
    first, second = live_server.issue("A"), live_server.issue("A")
    page, muted = panel_with_a_muted_link(browser)
    sign_in(page, live_server, "clerk1", counter=1)
    expect(waiting_row(page, "A-002")).to_be_visible()
    muted["on"] = True
    with live_server.client(live_server.login("super")) as s:
        r = s.post("/api/v1/counters/1/call", json={"ticket": first["id"]})
        assert r.status_code == 200, r.text
    # The panel did not hear it: the counter looks free and A-001 still waits in its list.
    expect(waiting_row(page, "A-001")).to_be_visible()
    expect(page.get_by_role("region", name="Turno en mano")).to_contain_text(
        "Sin turno en mano")

    with page.expect_response(calls_at_counter_1) as answer:
        page.get_by_role("button", name="Llamar A-002").click()
    # The panel asked the server without asking the clerk first: it knew of no ticket in hand.
    assert answer.value.status == 409
    assert answer.value.json()["ticket"] == {"id": first["id"], "number": "A-001",
                                             "status": "called"}
    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text("¿A-001 no se presentó?")
    # Asking changed nothing; cancelling changes nothing either.
    assert (status(live_server, first["id"]), status(live_server, second["id"])) == (
        "called", "waiting")
    question.get_by_role("button", name="Cancelar").click()
    expect(question).to_be_hidden()
    assert (status(live_server, first["id"]), status(live_server, second["id"])) == (
        "called", "waiting")

    page.get_by_role("button", name="Llamar A-002").click()
    expect(question).to_contain_text("¿A-001 no se presentó?")
    question.get_by_role("button", name="Sí se presentó: A-001 atendido").click()
    expect(in_hand(page)).to_have_text("A-002")
    expect(page.locator("#flash")).to_have_text("A-001 se cerró como atendido. Llamando a A-002.")
    assert (status(live_server, first["id"]), status(live_server, second["id"])) == (
        "done", "called")
    page.context.close()
