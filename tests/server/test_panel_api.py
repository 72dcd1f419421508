"""The API behind the clerk panel, over real HTTP against a real server: counter boundaries
for clerks, CSRF for cookie sessions, the public counter list, day ticket lists, and the guard
that makes a repeated "call next" harmless."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD, LiveServer


@contextlib.contextmanager
def cookie_session(server: LiveServer, user: str, counter: int | None = None
                   ) -> Iterator[httpx.Client]:
    """A client holding the browser's cookies (session + csrf), as the panel has them."""
    with httpx.Client(base_url=server.base_url, timeout=10) as c:
        body: dict[str, Any] = {"username": user, "password": PASSWORD}
        if counter is not None:
            body["counter"] = counter
        r = c.post("/api/v1/auth/login", json=body)
        assert r.status_code == 200, r.text
        assert "turnero_session" in c.cookies and "turnero_csrf" in c.cookies
        yield c


def csrf(c: httpx.Client) -> dict[str, str]:
    return {"X-CSRF-Token": c.cookies["turnero_csrf"]}


def test_a_clerk_cannot_act_at_another_counter_even_by_hand(live_server: LiveServer) -> None:
    live_server.issue("A")
    live_server.issue("A")
    clerk2 = live_server.login("clerk2", counter=2)
    with live_server.client(clerk2) as c2:
        theirs = c2.post("/api/v1/counters/2/next").json()
    with cookie_session(live_server, "clerk1", counter=1) as c:
        r = c.post("/api/v1/counters/2/next", headers=csrf(c), json={"in_hand": None})
        assert r.status_code == 403
        assert "ventanilla 1" in r.json()["detail"]
        for action in ("finish", "no-show", "recall", "start"):
            r = c.post(f"/api/v1/tickets/{theirs['id']}/{action}", headers=csrf(c))
            assert r.status_code == 403, (action, r.text)
        r = c.post("/api/v1/counters/2/pause", headers=csrf(c), json={"reason": "break"})
        assert r.status_code == 403
        r = c.post("/api/v1/counters/1/next", headers=csrf(c), json={"in_hand": None})
        assert r.status_code == 200 and r.json()["number"] == "A-002"


@pytest.mark.parametrize("header", [None, "", "otro-valor"])
def test_cookie_requests_without_the_right_csrf_token_are_refused(
        live_server: LiveServer, header: str | None) -> None:
    live_server.issue("A")
    with cookie_session(live_server, "clerk1", counter=1) as c:
        headers = {} if header is None else {"X-CSRF-Token": header}
        r = c.post("/api/v1/counters/1/next", headers=headers, json={"in_hand": None})
        assert r.status_code == 403
        assert "CSRF" in r.json()["detail"]
        with live_server.client(live_server.login("super")) as s:
            assert s.get("/api/v1/queue").json()["waiting_total"] == 1  # nothing was called
        r = c.post("/api/v1/counters/1/next", headers=csrf(c), json={"in_hand": None})
        assert r.status_code == 200


def test_public_counters_need_no_sign_in_and_name_no_people(shared_server: LiveServer) -> None:
    shared_server.login("clerk1", counter=1)
    r = httpx.get(f"{shared_server.base_url}/api/v1/counters/public", timeout=10)
    assert r.status_code == 200
    counters = r.json()
    assert counters[0] == {"number": 1, "name": "Ventanilla 1", "services": [
        {"code": "A", "name": "Radicación de PQRSD"},
        {"code": "B", "name": "Información y orientación"}]}
    assert "clerk1" not in r.text.lower()


def test_day_ticket_lists_are_for_staff_only(shared_server: LiveServer) -> None:
    url = "/api/v1/tickets?status=no_show&day=today"
    with shared_server.client() as anon:
        assert anon.get(url).status_code == 401
    for token in (shared_server.kiosk_token, shared_server.display_token):
        with shared_server.client(token) as c:
            assert c.get(url).status_code == 403
    with shared_server.client(shared_server.login("clerk1", counter=1)) as c:
        assert c.get(url).json() == []
        assert c.get("/api/v1/tickets?status=perdido").status_code == 422
        assert c.get("/api/v1/tickets?status=no_show&day=ayer").status_code == 422
        assert c.get("/api/v1/tickets?status=no_show&counter=99").status_code == 403
    with shared_server.client(shared_server.login("super")) as c:
        assert c.get("/api/v1/tickets?status=no_show&counter=99").status_code == 404


def test_no_shows_of_today_are_listed_per_counter(live_server: LiveServer) -> None:
    a = live_server.issue("A")
    live_server.issue("C")
    with live_server.client(live_server.login("super")) as c:
        c.post("/api/v1/counters/1/next")
        c.post(f"/api/v1/tickets/{a['id']}/no-show")
        c.post("/api/v1/counters/3/next")
        c.post("/api/v1/counters/3/next", json={"previous": "no_show"})  # C-001 absent too
        everything = c.get("/api/v1/tickets?status=no_show").json()
        counter1 = c.get("/api/v1/tickets?status=no_show&counter=1").json()
    assert sorted(t["number"] for t in everything) == ["A-001", "C-001"]
    assert [t["number"] for t in counter1] == ["A-001"]
    assert counter1[0]["status"] == "no_show"


def test_two_concurrent_calls_from_the_same_screen_call_one_ticket(
        live_server: LiveServer) -> None:
    for _ in range(4):
        live_server.issue("A")
    token = live_server.login("clerk1", counter=1)
    answers: list[httpx.Response] = []
    barrier = threading.Barrier(2)

    def press() -> None:
        with live_server.client(token) as c:
            barrier.wait()
            answers.append(c.post("/api/v1/counters/1/next", json={"in_hand": None}))

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert [r.status_code for r in answers] == [200, 200]
    bodies = [r.json() for r in answers]
    assert {b["number"] for b in bodies} == {"A-001"}
    assert sorted(b["repeated"] for b in bodies) == [False, True]
    with live_server.client(token) as c:
        assert c.get("/api/v1/queue").json()["waiting_total"] == 3
        history = c.get(f"/api/v1/tickets/{bodies[0]['id']}/history").json()
    assert [h["type"] for h in history].count("ticket.called") == 1


def test_a_stale_screen_never_closes_a_ticket_it_has_not_seen(live_server: LiveServer) -> None:
    first = live_server.issue("A")
    live_server.issue("A")
    with live_server.client(live_server.login("clerk1", counter=1)) as c:
        assert c.post("/api/v1/counters/1/next", json={"in_hand": None}).json()["id"] == first["id"]
        # Another screen still believes nothing is in hand: it is shown A-001, untouched.
        r = c.post("/api/v1/counters/1/next", json={"in_hand": None}).json()
        assert (r["number"], r["status"], r["repeated"]) == ("A-001", "called", True)
        assert r["call_reason"]["rule"] == "already_in_hand"
        # The screen that knows A-001 is in hand must still say what became of it.
        r = c.post("/api/v1/counters/1/next", json={"in_hand": first["id"]})
        assert r.status_code == 409 and r.json()["ticket"]["number"] == "A-001"
        r = c.post("/api/v1/counters/1/next",
                   json={"in_hand": first["id"], "previous": "no_show"}).json()
        assert (r["number"], r["repeated"]) == ("A-002", False)
        assert r["closed_previous"] == {"id": first["id"], "number": "A-001",
                                        "outcome": "no_show"}
        # Without the guard (older clients, API scripts) a called ticket is never closed.
        r = c.post("/api/v1/counters/1/next")
        assert r.status_code == 409 and "A-002 fue llamado" in r.json()["detail"]


def test_staff_pages_are_served_under_the_strict_csp(shared_server: LiveServer) -> None:
    for path in ("/panel", "/admin"):
        r = httpx.get(shared_server.base_url + path, timeout=10)
        assert r.status_code == 200
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert "<script>" not in r.text and "<style" not in r.text
        assert not re.search(r"\s(on[a-z]+|style)\s*=", r.text)  # no inline handlers/styles
