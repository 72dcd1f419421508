"""The board in a real headless Chromium against a real server: calls appear, are spoken, and
nothing is lost or repeated across a server restart."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.display.conftest import call_next, open_board, seen, wait_connected, wait_seen

pytestmark = pytest.mark.browser
ANNOUNCE_TIMEOUT_MS = 30_000


def wait_shown(page: Any, number: str, timeout: int = 10_000) -> None:
    wait_seen(page, "last-shown", number, timeout)


def wait_announced(page: Any, count: int, timeout: int = ANNOUNCE_TIMEOUT_MS) -> None:
    wait_seen(page, "announced", str(count), timeout)


def test_call_appears_and_is_spoken(browser: Any, live_server: LiveServer) -> None:
    page = open_board(browser, live_server)
    ticket = live_server.issue("A")
    clerk = live_server.login("clerk1", counter=1)

    sent = time.time()
    call_next(live_server, clerk, 1)
    returned = time.time()
    wait_shown(page, ticket["number"])
    shown_at = int(seen(page)["lastShownAt"]) / 1000
    print(f"\ncall → board shows: {(shown_at - sent) * 1000:.1f} ms after the request was sent,"
          f" {(shown_at - returned) * 1000:.1f} ms after its response returned")

    now = page.locator("#now")
    assert now.get_attribute("data-number") == "A-001"
    assert "A-001" in now.inner_text() and "1" in now.locator(".now-counter").inner_text()
    assert now.get_attribute("class") and "flash" in now.get_attribute("class")

    # The chime and then the espeak-ng phrase played to their `ended` event.
    wait_announced(page, 1)
    data = seen(page)
    assert data["lastAnnounced"] == "A-001"
    assert "announceFailures" not in data
    page.context.close()


def test_two_quick_calls_are_both_shown_and_spoken_in_order(browser: Any,
                                                            live_server: LiveServer) -> None:
    page = open_board(browser, live_server)
    first, second = live_server.issue("A"), live_server.issue("B")
    clerk1 = live_server.login("clerk1", counter=1)
    clerk2 = live_server.login("clerk2", counter=2)

    call_next(live_server, clerk1, 1)
    call_next(live_server, clerk2, 2)
    wait_shown(page, second["number"])
    assert page.locator("#now").get_attribute("data-number") == second["number"]
    assert page.locator(f".recent-item[data-number='{first['number']}']").count() == 1

    wait_announced(page, 2)
    assert seen(page)["announceLog"] == f"{first['number']} {second['number']}"

    # A recall brings the ticket back to the top and says it again; it is not listed twice.
    with live_server.client(clerk1) as c:
        assert c.post(f"/api/v1/tickets/{first['id']}/recall").status_code == 200
    page.locator(f"#now.flash[data-number='{first['number']}']").wait_for()
    assert page.locator(f"[data-number='{first['number']}']").count() == 1
    assert page.locator(f".recent-item[data-number='{second['number']}']").count() == 1
    wait_announced(page, 3)
    assert seen(page)["announceLog"] == f"{first['number']} {second['number']} {first['number']}"
    page.context.close()


def test_board_survives_a_server_restart(browser: Any, live_server: LiveServer,
                                         artifacts: Path) -> None:
    page = open_board(browser, live_server)
    clerk = live_server.login("clerk1", counter=1)  # sessions survive the restart
    live_server.issue("A")
    missed = live_server.issue("A")
    call_next(live_server, clerk, 1)
    wait_announced(page, 1)
    assert seen(page)["announceLog"] == "A-001"

    live_server.stop(kill=True)
    offline = page.locator("#offline")
    offline.wait_for(state="visible", timeout=10_000)
    assert "sin conexión" in offline.inner_text()
    assert seen(page)["connected"] == "false"
    page.screenshot(path=str(artifacts / "display-offline.png"))

    # The board's network stays cut while the server comes back and a clerk calls, so the
    # board can only learn of this call from the snapshot it reads when it reconnects.
    page.context.set_offline(True)
    live_server.start()
    call_next(live_server, clerk, 1)
    page.context.set_offline(False)
    wait_connected(page, timeout=40_000)
    offline.wait_for(state="hidden", timeout=5_000)
    wait_shown(page, missed["number"], timeout=10_000)
    assert page.locator("#now").get_attribute("data-number") == missed["number"]
    assert seen(page)["lastShownVia"] == "snapshot"

    wait_announced(page, 2)
    # The new call was spoken once; the old one was not spoken again.
    assert seen(page)["announceLog"] == f"A-001 {missed['number']}"
    wait_seen(page, "announcer-idle", "true")  # nothing more queued: no repeat coming
    assert seen(page)["announceLog"] == f"A-001 {missed['number']}"
    page.context.close()


def test_area_board_shows_only_its_services(browser: Any, live_server: LiveServer) -> None:
    passports = open_board(browser, live_server, "&board=pasaportes&silent=1")
    general = open_board(browser, live_server, "&silent=1")
    assert passports.locator("#board-name").inner_text() == "Sala de pasaportes"
    general_ticket = live_server.issue("A")
    passport_ticket = live_server.issue("E")
    clerk = live_server.login("clerk1", counter=1)
    supervisor = live_server.login("super")

    call_next(live_server, clerk, 1)
    call_next(live_server, supervisor, 6)
    wait_shown(passports, passport_ticket["number"])
    wait_shown(general, passport_ticket["number"])
    # Events are handled in order: the A call came first and the passport board skipped it.
    assert general_ticket["number"] not in passports.locator("main").inner_text()
    assert general_ticket["number"] in general.locator("main").inner_text()
    assert passports.locator("#now .now-counter").inner_text() == "6"
    assert seen(passports)["shown"] == "1"
    for page in (passports, general):
        page.context.close()


def test_unknown_board_says_so(browser: Any, live_server: LiveServer) -> None:
    page = open_board(browser, live_server, "&board=sotano")
    problem = page.locator("#problem")
    problem.wait_for(state="visible")
    text = problem.inner_text()
    assert "sotano" in text and "no existe" in text
    assert "general" in text and "pasaportes" in text  # tells what does exist
    page.context.close()


def test_history_is_capped(browser: Any, live_server: LiveServer) -> None:
    page = open_board(browser, live_server, "&silent=1")
    supervisor = live_server.login("super")
    for _ in range(12):
        live_server.issue("B")
    last = None
    for _ in range(12):
        last = call_next(live_server, supervisor, 1)
    assert last is not None
    wait_shown(page, last["number"])
    assert page.locator(".recent-item").count() == 8  # the current call + 8: nothing grows
    page.context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (3840, 2160)])
def test_board_screenshots(browser: Any, live_server: LiveServer, artifacts: Path,
                           size: tuple[int, int], axe: Any) -> None:
    supervisor = live_server.login("super")
    for service, group, counter in [("A", None, 1), ("B", None, 2), ("C", "DIS", 3),
                                    ("D", None, 4), ("B", None, 5), ("E", None, 6),
                                    ("A", "AM", 2)]:
        live_server.issue(service, group)
        call_next(live_server, supervisor, counter)
    page = open_board(browser, live_server, "&silent=1", viewport=size)
    page.locator("#now[data-number='A-002']").wait_for()
    assert page.locator("#now .badge").inner_text().strip().endswith("Preferencial")
    assert page.locator("#message").inner_text().startswith("Recuerde")
    # Everything fits: no scrolling on a TV.
    overflow = page.evaluate("document.documentElement.scrollHeight > window.innerHeight + 1")
    assert not overflow
    page.screenshot(path=str(artifacts / f"display-{size[0]}x{size[1]}.png"))
    if size == (1920, 1080):
        assert axe(page) == []
    page.context.close()


def test_board_message_follows_the_configuration(browser: Any, live_server: LiveServer) -> None:
    page = open_board(browser, live_server, "&silent=1")
    message = page.locator("#message")
    expect(message).to_have_text(re.compile(r"^Recuerde"))  # filled from the snapshot
    admin = live_server.login("admin")
    with live_server.client(admin) as c:
        config = c.get("/api/v1/admin/config").json()
        config["office"]["board_message"] = "Hoy atendemos hasta las 4:00 p. m."
        r = c.put("/api/v1/admin/config", json=config)
        assert r.status_code == 200, r.text
    page.get_by_text("Hoy atendemos hasta las 4:00 p. m.").wait_for()  # no reload
    assert seen(page)["connected"] == "true"
    page.context.close()


def test_a_revoked_board_says_it_is_not_authorized(browser: Any, live_server: LiveServer
                                                   ) -> None:
    page = open_board(browser, live_server, "&silent=1")
    admin = live_server.login("admin")
    with live_server.client(admin) as c:
        token = next(t for t in c.get("/api/v1/admin/tokens").json()
                     if t["name"] == "pantalla-prueba")
        assert c.post(f"/api/v1/admin/tokens/{token['id']}/revoke").status_code == 200
    # the server closes the open socket at once; the board says why instead of "sin conexión"
    expect(page.locator("#offline-text")).to_have_text(re.compile("sin autorización"))
    expect(page.locator("#offline")).to_be_visible()
    page.context.close()
