"""Who may open the board, hear its announcements and follow its events."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import websockets

from tests.conftest import LiveServer


def ws_close_code(url: str) -> int:
    async def connect() -> int:
        async with websockets.connect(url) as ws:
            try:
                await asyncio.wait_for(ws.recv(), 5)
                await asyncio.wait_for(ws.recv(), 5)
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd is not None
                return closed.rcvd.code
        return 1000

    return asyncio.run(connect())


@pytest.mark.parametrize(("token_kind", "status"), [("none", 401), ("bad", 401), ("kiosk", 403)])
def test_announcements_refuse_kiosk_and_anonymous(live_server: LiveServer, token_kind: str,
                                                  status: int) -> None:
    token = {"none": None, "bad": "no-es-un-token", "kiosk": live_server.kiosk_token}[token_kind]
    with live_server.client(token) as c:
        r = c.get("/api/v1/announcements/A-001/1.wav")
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_announcements_allowed_for_display_and_staff(live_server: LiveServer) -> None:
    clerk = live_server.login("clerk1", counter=1)
    for token in (live_server.display_token, clerk):
        with live_server.client(token) as c:
            r = c.get("/api/v1/announcements/A-001/1.wav")
        assert r.status_code in (200, 503), r.text  # 503 only where espeak-ng is missing


def test_events_websocket_refuses_kiosk_and_anonymous(live_server: LiveServer) -> None:
    base = f"{live_server.ws_url}/api/v1/events"
    assert ws_close_code(base) == 4401
    assert ws_close_code(f"{base}?token=nada") == 4401
    assert ws_close_code(f"{base}?token={live_server.kiosk_token}") == 4403


def test_board_page_needs_a_display_token(live_server: LiveServer) -> None:
    base = live_server.base_url
    for url in (f"{base}/display", f"{base}/display?token=falso",
                f"{base}/display?token={live_server.kiosk_token}"):
        r = httpx.get(url, follow_redirects=False)
        assert r.status_code == 401, url
        assert "pantalla" in r.text.lower()
        assert "turnero_device" not in r.headers.get("set-cookie", "")


def test_display_token_becomes_an_httponly_cookie(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.base_url) as c:
        r = c.get(f"/display?token={live_server.display_token}&board=pasaportes&volume=0.5")
        assert r.status_code == 303
        assert r.headers["location"] == "/display?board=pasaportes&volume=0.5"  # token gone
        cookie = r.headers["set-cookie"].lower()
        assert "turnero_device=" in cookie and "httponly" in cookie
        assert "samesite=strict" in cookie
        page = c.get(r.headers["location"])
        assert page.status_code == 200
        assert "/static/display/board.js" in page.text
        # The cookie alone now opens the events and the announcements.
        assert c.get("/api/v1/announcements/A-001/1.wav").status_code in (200, 503)
        assert c.post("/api/v1/counters/1/next").status_code == 403  # a board only watches


def test_ticket_live_for_unknown_ticket_closes_4404(live_server: LiveServer) -> None:
    assert ws_close_code(f"{live_server.ws_url}/api/v1/tickets/no-existe/live") == 4404
