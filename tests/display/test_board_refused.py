"""The board when the server stops vouching for it: a revoked token, or a new database behind
the same address. The stale calls go, and staff read full screen what to do."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer, prepare_database
from tests.display.conftest import call_next, open_board, wait_seen

pytestmark = pytest.mark.browser
VIEWPORT = (1920, 1080)


def board_with_a_call(browser: Any, server: LiveServer) -> tuple[Any, str]:
    page = open_board(browser, server, "&silent=1", viewport=VIEWPORT)
    ticket = server.issue("A")
    call_next(server, server.login("clerk1", counter=1), 1)
    wait_seen(page, "last-shown", ticket["number"])
    expect(page.locator("#now")).to_contain_text(ticket["number"])
    return page, ticket["number"]


def assert_refused_full_screen(page: Any, stale_number: str) -> None:
    problem = page.locator("#problem")
    expect(problem.locator("#problem-title")).to_have_text("Pantalla sin autorización")
    expect(problem).to_contain_text("cree un token de pantalla")
    box = problem.bounding_box()
    assert box and box["width"] >= VIEWPORT[0] - 2 and box["height"] >= VIEWPORT[1] - 2
    # nothing of the old calls is left on the page, not even under the notice
    assert stale_number not in page.locator("main").inner_text()
    expect(page.locator("#recent-list li")).to_have_count(0)
    assert "intente" not in problem.inner_text().lower()


def test_a_revoked_board_clears_its_calls_and_says_so_full_screen(
        browser: Any, live_server: LiveServer) -> None:
    page, number = board_with_a_call(browser, live_server)
    with live_server.client(live_server.login("admin")) as c:
        token = next(t for t in c.get("/api/v1/admin/tokens").json()
                     if t["name"] == "pantalla-prueba")
        assert c.post(f"/api/v1/admin/tokens/{token['id']}/revoke").status_code == 200
    assert_refused_full_screen(page, number)
    page.context.close()


def test_a_new_database_behind_the_address_clears_the_board(
        browser: Any, live_server: LiveServer, tmp_path: Any) -> None:
    page, number = board_with_a_call(browser, live_server)
    live_server.stop()
    fresh = LiveServer(db=tmp_path / "nueva.db", port=live_server.port)
    fresh.tokens = prepare_database(fresh.db)  # new tokens: the board's cookie is unknown
    fresh.start()
    try:
        assert_refused_full_screen(page, number)
        # a new link for the screen: it starts over on the new database, notice gone
        page.goto(f"{fresh.base_url}/display?token={fresh.display_token}&silent=1")
        expect(page.locator("#problem")).to_be_hidden()
        assert number not in page.locator("main").inner_text()
    finally:
        fresh.stop()
        page.context.close()
