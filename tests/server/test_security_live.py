"""Live connections cannot take the server down, nor be opened from another site:
per-ticket and per-address socket limits with their close codes, slots given back on close,
cookie-authenticated websockets checked against the server's own origin, and a board's
device session that dies with its token. All against a real ``turnero serve``."""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from typing import Any

import httpx
import websockets
from websockets.exceptions import ConnectionClosed

from server.security.live_limits import TOO_MANY_FOR_TICKET, TOO_MANY_FROM_ADDRESS, LiveLimits
from server.security.origin import same_origin
from tests.conftest import PASSWORD, LiveServer


def live_url(server: LiveServer, ticket_id: str) -> str:
    return f"{server.ws_url}/api/v1/tickets/{ticket_id}/live"


async def open_live(url: str, address: str = "127.0.0.1") -> tuple[Any, dict[str, Any] | int]:
    """Connect from ``address``; the first message (a snapshot), or the close code."""
    ws = await websockets.connect(url, local_addr=(address, 0), open_timeout=30)
    try:
        return ws, json.loads(await asyncio.wait_for(ws.recv(), 30))
    except ConnectionClosed as e:
        await shut(ws)
        assert e.rcvd is not None
        return ws, e.rcvd.code
    except BaseException:
        await shut(ws)
        raise


async def shut(ws: Any) -> None:
    """Close and wait for the TCP connection to end (no transport left for the GC)."""
    await ws.close()
    await ws.wait_closed()


def test_limits_rule() -> None:
    limits = LiveLimits(per_ticket=2, per_address=3)
    assert limits.acquire("t1", "a") is None and limits.acquire("t1", "b") is None
    refused = limits.acquire("t1", "c")
    assert refused is not None and refused.code == TOO_MANY_FOR_TICKET
    assert limits.acquire("t2", "a") is None and limits.acquire("t3", "a") is None
    refused = limits.acquire("t4", "a")
    assert refused is not None and refused.code == TOO_MANY_FROM_ADDRESS
    limits.release("t1", "a")
    assert limits.held("t1") == 1 and limits.acquire("t4", "a") is None


def test_one_ticket_holds_a_few_sockets_and_gives_them_back(live_server: LiveServer) -> None:
    mine = live_server.issue("A")
    other = live_server.issue("A")

    async def scenario() -> None:
        async with AsyncExitStack() as stack:
            firsts = []
            for i in range(4):  # a citizen's tabs, spread over addresses: still one ticket
                ws, first = await open_live(live_url(live_server, mine["id"]), f"127.0.0.{2 + i}")
                stack.push_async_callback(shut, ws)
                firsts.append(first)
            assert all(isinstance(f, dict) and f["type"] == "snapshot" for f in firsts)
            ws, refused = await open_live(live_url(live_server, mine["id"]), "127.0.0.9")
            assert refused == TOO_MANY_FOR_TICKET
            ws, fine = await open_live(live_url(live_server, other["id"]), "127.0.0.9")
            stack.push_async_callback(shut, ws)
            assert isinstance(fine, dict), "another citizen's phone still connects"
        # all closed: the slots are back
        ws, again = await open_live(live_url(live_server, mine["id"]))
        await shut(ws)
        assert isinstance(again, dict) and again["ticket"]["number"] == mine["number"]

    asyncio.run(scenario())


def test_one_address_holds_a_bounded_number_of_sockets(live_server: LiveServer) -> None:
    tickets = [live_server.issue("B") for _ in range(13)]  # 13 × 4 = 52 > 50

    async def scenario() -> list[Any]:
        codes: list[Any] = []
        async with AsyncExitStack() as stack:
            for t in tickets:
                for _ in range(4):
                    ws, first = await open_live(live_url(live_server, t["id"]), "127.0.0.2")
                    stack.push_async_callback(shut, ws)
                    codes.append(first if isinstance(first, int) else "open")
            ws, elsewhere = await open_live(live_url(live_server, tickets[-1]["id"]),
                                            "127.0.0.3")
            stack.push_async_callback(shut, ws)
            codes.append(elsewhere if isinstance(elsewhere, int) else "open")
        return codes

    codes = asyncio.run(scenario())
    assert codes[:50] == ["open"] * 50
    assert codes[50:52] == [TOO_MANY_FROM_ADDRESS] * 2
    assert codes[52] == "open", "another address is not affected"


def test_a_flood_on_one_id_leaves_issuing_and_other_phones_working(live_server: LiveServer
                                                                  ) -> None:
    target = live_server.issue("A")

    async def scenario() -> tuple[int, int]:
        async def attempt(i: int) -> int | str:
            try:
                ws, first = await open_live(live_url(live_server, target["id"]),
                                            f"127.0.{1 + i // 200}.{2 + i % 200}")
            except (OSError, ConnectionClosed, TimeoutError) as e:
                return f"error: {e!r}"
            if isinstance(first, int):
                return first
            held.append(ws)
            return "open"

        held: list[Any] = []
        results: list[int | str] = []
        for batch in range(0, 400, 50):  # 400 sockets, 50 handshakes in flight at a time
            results += await asyncio.gather(*[attempt(i) for i in range(batch, batch + 50)])
        ticket = await asyncio.to_thread(live_server.issue, "B")
        ws, phone = await open_live(live_url(live_server, ticket["id"]))
        await shut(ws)
        assert isinstance(phone, dict)
        for ws in held:
            await shut(ws)
        return results.count("open"), results.count(TOO_MANY_FOR_TICKET), results

    opened, refused, results = asyncio.run(scenario())
    assert opened == 4 and refused == 396, [r for r in results if isinstance(r, str)][:5]


# ----------------------------------------------------------------------------- Origin


def test_origin_rule() -> None:
    public = "http://192.168.1.10:8000"
    assert same_origin(None, "127.0.0.1:8000", public), "not a browser"
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000", public)
    assert same_origin("http://192.168.1.10:8000", "turnero.local", public)
    assert not same_origin("http://127.0.0.1:9999", "127.0.0.1:8000", public)
    assert not same_origin("null", "127.0.0.1:8000", public)
    assert not same_origin("http://evil.example", "127.0.0.1:8000", public)


def session_cookie(server: LiveServer) -> str:
    r = httpx.post(f"{server.base_url}/api/v1/auth/login",
                   json={"username": "super", "password": PASSWORD}, timeout=10)
    return f"turnero_session={r.cookies['turnero_session']}"


async def first_or_close(url: str, **kw: Any) -> dict[str, Any] | int:
    async with websockets.connect(url, open_timeout=10, **kw) as ws:
        try:
            return dict(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        except ConnectionClosed as e:
            assert e.rcvd is not None
            return e.rcvd.code


def test_cookie_websockets_only_from_the_servers_own_pages(live_server: LiveServer) -> None:
    cookie = session_cookie(live_server)
    url = f"{live_server.ws_url}/api/v1/events"
    own = live_server.base_url
    foreign = f"http://127.0.0.1:{live_server.port + 1}"

    async def scenario() -> list[Any]:
        return [
            await first_or_close(url, origin=foreign, additional_headers={"Cookie": cookie}),
            await first_or_close(url, origin="null", additional_headers={"Cookie": cookie}),
            await first_or_close(url, origin=own, additional_headers={"Cookie": cookie}),
            await first_or_close(f"{url}?token={live_server.display_token}", origin=foreign),
        ]

    stolen, opaque, mine, token = asyncio.run(scenario())
    assert stolen == 4403 and opaque == 4403
    assert isinstance(mine, dict) and mine["type"] == "snapshot"
    assert isinstance(token, dict), "a token in hand is not an ambient credential"


def test_the_boards_cookie_is_a_session_that_dies_with_its_token(live_server: LiveServer
                                                                 ) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=10, follow_redirects=True) as board:
        r = board.get("/display", params={"token": live_server.display_token})
        assert r.status_code == 200 and "token=" not in str(r.url)
        session = board.cookies["turnero_device"]
        assert session != live_server.display_token
        assert "httponly" in r.history[0].headers["set-cookie"].lower()
        cookie = f"turnero_device={session}"
        url = f"{live_server.ws_url}/api/v1/events"

        async def connected() -> dict[str, Any] | int:
            return await first_or_close(url, origin=live_server.base_url,
                                        additional_headers={"Cookie": cookie})

        assert isinstance(asyncio.run(connected()), dict)
        admin = live_server.login("admin")
        with live_server.client(admin) as a:
            token_id = next(t["id"] for t in a.get("/api/v1/admin/tokens").json()
                            if t["role"] == "display")
            assert a.post(f"/api/v1/admin/tokens/{token_id}/revoke").status_code == 200
        assert board.get("/display").status_code == 401
        assert asyncio.run(connected()) == 4401


def test_a_preferential_newcomer_still_moves_the_phone_back(live_server: LiveServer) -> None:
    """Issues are filtered before any re-read (a flood of issues costs the phones nothing),
    but the one issue that changes "people ahead" still reaches the phone."""
    mine = live_server.issue("A")

    async def follow() -> list[dict[str, Any]]:
        ws, first = await open_live(live_url(live_server, mine["id"]))
        try:
            assert isinstance(first, dict) and first["ticket"]["ahead"] == 0
            await asyncio.to_thread(live_server.issue, "B", "AM")  # another line
            await asyncio.to_thread(live_server.issue, "A")  # behind me
            await asyncio.to_thread(live_server.issue, "A", "AM")  # ahead of me
            return [json.loads(await asyncio.wait_for(ws.recv(), 10))]
        finally:
            await shut(ws)

    update, = asyncio.run(follow())
    assert update["type"] == "ticket.update" and update["ticket"]["ahead"] == 1
