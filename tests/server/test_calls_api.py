"""Calls that never wrong a citizen, over real HTTP against a real server: a called ticket is
never closed as absent by "call next", the grace rule before a no-show, a pause that stops
calls, signing out with a ticket in hand, a supervisor freeing or taking over a counter (and
the displaced clerk learning who and why), and a ticket issued at a counter."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx

from server.config import DEMO_CONFIG
from tests.conftest import PASSWORD, LiveServer
from tests.server.test_panel_api import cookie_session, csrf


def next_at(c: httpx.Client, number: int = 1, **body: Any) -> httpx.Response:
    return c.post(f"/api/v1/counters/{number}/next", json=body or None)


def status_of(c: httpx.Client, ticket_id: str) -> str:
    status: str = c.get(f"/api/v1/tickets/{ticket_id}").json()["status"]
    return status


def test_call_next_over_a_called_ticket_names_it_and_closes_nothing(
        live_server: LiveServer) -> None:
    a, b = live_server.issue("A"), live_server.issue("A")
    with live_server.client(live_server.login("clerk1", counter=1)) as c:
        assert next_at(c).json()["id"] == a["id"]
        for body in ({}, {"in_hand": a["id"]}):
            r = next_at(c, **body)
            assert r.status_code == 409
            assert r.json()["detail"].startswith("A-001 fue llamado y no ha iniciado atención")
            assert r.json()["ticket"]["id"] == a["id"]
        assert status_of(c, a["id"]) == "called"
        assert c.get("/api/v1/queue").json()["waiting_total"] == 1
        # The clerk says the person came: A-001 ends as served and A-002 is called.
        r = next_at(c, previous="served").json()
        assert r["number"] == "A-002"
        assert r["closed_previous"] == {"id": a["id"], "number": "A-001", "outcome": "served"}
        # A started ticket closes as served without being told, and the answer says so.
        c.post(f"/api/v1/tickets/{b['id']}/start")
        live_server.issue("A")
        r = next_at(c, in_hand=b["id"]).json()
        assert r["closed_previous"]["outcome"] == "served" and r["number"] == "A-003"
        assert next_at(c, previous="maybe").status_code == 422


def test_concurrent_next_calls_without_a_body_call_one_ticket_and_mark_nobody_absent(
        live_server: LiveServer) -> None:
    issued = [live_server.issue("A") for _ in range(4)]
    token = live_server.login("clerk1", counter=1)
    barrier = threading.Barrier(6)
    answers: list[httpx.Response] = []

    def press() -> None:
        with live_server.client(token) as c:
            barrier.wait()
            answers.append(next_at(c))

    threads = [threading.Thread(target=press) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    codes = sorted(r.status_code for r in answers)
    assert codes == [200, 409, 409, 409, 409, 409]
    with live_server.client(token) as c:
        states = [status_of(c, t["id"]) for t in issued]
        assert c.get("/api/v1/tickets?status=no_show").json() == []
    assert states == ["called", "waiting", "waiting", "waiting"]


def grace_office(tmp_path: Path, calls: int, seconds: int) -> Path:
    text = DEMO_CONFIG.read_text(encoding="utf-8")
    text = text.replace("min_calls_before_no_show = 1", f"min_calls_before_no_show = {calls}")
    text = text.replace("no_show_after_s = 0", f"no_show_after_s = {seconds}")
    path = tmp_path / "grace.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_grace_rule_refuses_a_no_show_until_called_enough(make_server: Any,
                                                                tmp_path: Path) -> None:
    server: LiveServer = make_server(config=grace_office(tmp_path, calls=2, seconds=0))
    a = server.issue("A")
    with server.client(server.login("clerk1", counter=1)) as c:
        assert c.get("/api/v1/office").json()["no_show_rule"] == {
            "min_calls_before_no_show": 2, "no_show_after_s": 0}
        next_at(c)
        for refused in (c.post(f"/api/v1/tickets/{a['id']}/no-show"),
                        next_at(c, previous="no_show")):
            assert refused.status_code == 409
            assert "llámelo 1 vez más" in refused.json()["detail"]
        assert status_of(c, a["id"]) == "called"
        c.post(f"/api/v1/tickets/{a['id']}/recall")
        r = c.post(f"/api/v1/tickets/{a['id']}/no-show")
        assert r.status_code == 200 and r.json()["status"] == "no_show"


def test_a_long_grace_is_counted_from_the_first_call(make_server: Any, tmp_path: Path) -> None:
    server: LiveServer = make_server(config=grace_office(tmp_path, calls=1, seconds=600))
    a = server.issue("A")
    with server.client(server.login("clerk1", counter=1)) as c:
        next_at(c)
        r = c.post(f"/api/v1/tickets/{a['id']}/no-show")
        assert r.status_code == 409 and "espere" in r.json()["detail"]
        assert "600 s desde el primer llamado" in r.json()["detail"]


def test_a_paused_counter_calls_nobody_and_pausing_asks_to_finish_first(
        live_server: LiveServer) -> None:
    a = live_server.issue("A")
    live_server.issue("A")
    with live_server.client(live_server.login("clerk1", counter=1)) as c:
        assert c.post("/api/v1/counters/1/pause", json={"reason": "break"}).status_code == 200
        for r in (next_at(c), c.post("/api/v1/counters/1/call", json={"ticket": a["id"]})):
            assert r.status_code == 409
            assert r.json()["detail"] == "La ventanilla está en pausa; reanude primero."
        assert c.get("/api/v1/queue").json()["waiting_total"] == 2
        c.post("/api/v1/counters/1/resume")
        next_at(c)
        c.post(f"/api/v1/tickets/{a['id']}/start")
        r = c.post("/api/v1/counters/1/pause", json={"reason": "lunch"})
        assert r.status_code == 409
        assert r.json()["detail"] == "Finalice la atención de A-001 antes de pausar."
        assert c.get("/api/v1/counters/1").json()["state"] == "open"
        c.post(f"/api/v1/tickets/{a['id']}/finish")
        assert c.post("/api/v1/counters/1/pause", json={"reason": "lunch"}).status_code == 200


def test_signing_out_with_a_ticket_in_hand_asks_and_never_leaves_it_serving(
        live_server: LiveServer) -> None:
    first, second = live_server.issue("A"), live_server.issue("A")
    with cookie_session(live_server, "clerk1", counter=1) as c:
        next_at_cookie = c.post("/api/v1/counters/1/next", headers=csrf(c), json={})
        assert next_at_cookie.json()["id"] == first["id"]
        c.post(f"/api/v1/tickets/{first['id']}/start", headers=csrf(c))
        r = c.post("/api/v1/auth/logout", headers=csrf(c))
        assert r.status_code == 409
        assert r.json()["ticket"]["number"] == "A-001"
        assert "devuélvalo a la fila" in r.json()["detail"]
        assert c.get("/api/v1/auth/me").status_code == 200  # still signed in
        r = c.post("/api/v1/auth/logout", headers=csrf(c), json={"in_hand": "return"})
        assert r.status_code == 200
    with live_server.client(live_server.login("super")) as s:
        back = s.get(f"/api/v1/tickets/{first['id']}").json()
        assert back["status"] == "waiting" and back["counter"] is None
        assert s.get("/api/v1/counters/1").json()["state"] == "closed"
        # Its place is kept: the next call at any counter of the service takes it first.
        assert next_at(s, 2).json()["id"] == first["id"]
        history = [h["type"] for h in s.get(f"/api/v1/tickets/{first['id']}/history").json()]
    assert history == ["ticket.issued", "ticket.called", "ticket.started", "ticket.returned",
                       "ticket.called"]
    with live_server.client(live_server.login("clerk1", counter=1)) as c:
        next_at(c)
        assert c.post("/api/v1/auth/logout", json={"in_hand": "finish"}).status_code == 200
    with live_server.client(live_server.login("super")) as s:
        assert status_of(s, second["id"]) == "done"


def test_a_supervisor_frees_a_counter_and_the_clerk_learns_who_did(
        live_server: LiveServer) -> None:
    a = live_server.issue("A")
    with cookie_session(live_server, "clerk1", counter=1) as clerk:
        clerk.post("/api/v1/counters/1/next", headers=csrf(clerk), json={})
        assert clerk.get("/api/v1/auth/ended").json() == {"taken": False, "detail": None}
        with live_server.client(live_server.login("clerk2", counter=2)) as other:
            assert other.post("/api/v1/counters/1/free").status_code == 403
        with live_server.client(live_server.login("super")) as s:
            freed = s.post("/api/v1/counters/1/free")
            assert freed.status_code == 200 and freed.json()["state"] == "closed"
            assert s.get(f"/api/v1/tickets/{a['id']}").json()["status"] == "waiting"
        assert clerk.get("/api/v1/auth/me").status_code == 401
        ended = clerk.get("/api/v1/auth/ended").json()
        assert ended["taken"] is True
        assert ended["detail"] == "Super (super) liberó la ventanilla 1."


def test_taking_over_a_counter_tells_the_displaced_clerk_who_and_why(
        live_server: LiveServer) -> None:
    with cookie_session(live_server, "clerk1", counter=1) as clerk:
        body = {"username": "super", "password": PASSWORD, "counter": 1, "force": True,
                "reason": "la funcionaria salió a una diligencia"}
        r = httpx.post(f"{live_server.base_url}/api/v1/auth/login", timeout=10, json=body)
        assert r.status_code == 200, r.text
        ended = clerk.get("/api/v1/auth/ended").json()
    assert ended == {"taken": True, "detail": "Super (super) tomó la ventanilla 1. Motivo: la "
                                              "funcionaria salió a una diligencia."}


def test_a_clerk_issues_a_ticket_at_the_counter_for_a_citizen(live_server: LiveServer) -> None:
    live_server.issue("A")
    with live_server.client(live_server.login("clerk1", counter=1)) as c:
        r = c.post("/api/v1/counters/1/issue", json={"service": "B", "group": "AM"})
        assert r.status_code == 201, r.text
        t = r.json()
        assert (t["number"], t["status"], t["group"]) == ("B-001", "waiting", "AM")
        assert t["status_url"].endswith(f"/t/{t['id']}")
        assert c.post("/api/v1/counters/2/issue", json={"service": "A"}).status_code == 403
        assert c.post("/api/v1/counters/1/issue", json={"service": "Z"}).status_code == 422
        history = c.get(f"/api/v1/tickets/{t['id']}/history").json()
        # It waits like any other: the preferential ticket goes first.
        assert next_at(c).json()["id"] == t["id"]
    assert history[0]["type"] == "ticket.issued" and history[0]["counter"] == 1
    assert history[0]["detail"]["issued_at_counter"] == 1 and history[0]["actor"] == "clerk1"


def test_signing_in_at_another_counter_returns_the_ticket_in_hand_to_the_line(
        live_server: LiveServer) -> None:
    a = live_server.issue("A")
    with live_server.client(live_server.login("clerk1", counter=1)) as c:
        next_at(c)
        c.post(f"/api/v1/tickets/{a['id']}/start")
    live_server.login("clerk1", counter=2)  # the same clerk moves to counter 2
    with live_server.client(live_server.login("super")) as s:
        assert s.get("/api/v1/counters/1").json()["state"] == "closed"
        assert status_of(s, a["id"]) == "waiting"
        returned = s.get(f"/api/v1/tickets/{a['id']}/history").json()[-1]
    assert returned["type"] == "ticket.returned"
    assert returned["detail"]["why"] == "ingreso en la ventanilla 2"
