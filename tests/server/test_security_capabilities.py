"""Capabilities stay with their owner: devices see tickets by number only, the survey needs
the key only the QR code and the counter tablet have, device token names are unique, a clerk
reads only their counter's day, and taking over a counter is a supervisor's act."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from server.security.survey_keys import SurveyKeys
from server.storage import Store
from server.storage.migrations import MIGRATIONS
from tests.conftest import PASSWORD, LiveServer
from tests.server.appclient import App, running_app

DEVICE_ROLES = ("kiosk", "display")
DEVICE_READS = ("/api/v1/queue", "/api/v1/counters", "/api/v1/counters/1")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    with running_app(tmp_path) as a:
        yield a


def key_of(ticket: dict[str, Any]) -> str:
    return str(ticket["status_url"].split("#k=", 1)[1])


def busy_office(a: App) -> tuple[list[dict[str, Any]], list[str]]:
    """Tickets waiting, one called and one in attention; the secrets devices must not see:
    every ticket id, the clerk's user and name, the kiosk's name, every survey key."""
    h = a.headers("kiosk")
    tickets = [a.client.post("/api/v1/tickets", json={"service": s}, headers=h).json()
               for s in ("A", "A", "B", "C")]
    clerk = a.headers("clerk")
    called = a.client.post("/api/v1/counters/1/next", headers=clerk).json()
    a.client.post(f"/api/v1/tickets/{called['id']}/start", headers=clerk)
    secrets = [t["id"] for t in tickets] + [key_of(t) for t in tickets]
    secrets += ["clerk1", "Clerk1", "quiosco-prueba"]
    return tickets, secrets


@pytest.mark.parametrize("role", DEVICE_ROLES)
def test_devices_see_tickets_by_number_only(app: App, role: str) -> None:
    tickets, secrets = busy_office(app)
    for path in DEVICE_READS:
        r = app.client.get(path, headers=app.headers(role))
        assert r.status_code == 200
        leaked = [s for s in secrets if s in r.text]
        assert leaked == [], f"{path} as {role} shows {leaked}"
    queue = app.client.get("/api/v1/queue", headers=app.headers(role)).json()
    serving = next(c for c in queue["counters"] if c["number"] == 1)
    assert serving["ticket"]["number"] == tickets[0]["number"] and serving["state"] == "open"
    assert queue["waiting_total"] == 3


def test_staff_keep_the_ids_they_act_on_but_never_a_survey_key(app: App) -> None:
    tickets, _ = busy_office(app)
    for role in ("clerk", "supervisor"):
        text = app.client.get("/api/v1/queue", headers=app.headers(role)).text
        assert tickets[0]["id"] in text and "clerk1" in text
        assert not any(key_of(t) in text for t in tickets)
    public = app.client.get(f"/api/v1/tickets/{tickets[1]['id']}").json()
    assert "#k=" not in public["status_url"], "the id alone does not hand out the key"


def finish_first(a: App) -> dict[str, Any]:
    ticket = a.client.post("/api/v1/tickets", json={"service": "A"},
                           headers=a.headers("kiosk")).json()
    clerk = a.headers("clerk")
    assert a.client.post("/api/v1/counters/1/next", headers=clerk).json()["id"] == ticket["id"]
    a.client.post(f"/api/v1/tickets/{ticket['id']}/start", headers=clerk)
    a.client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=clerk)
    return ticket


def test_only_the_citizen_or_the_counter_tablet_can_answer(app: App) -> None:
    ticket = finish_first(app)
    url = f"/api/v1/tickets/{ticket['id']}/survey"
    other = finish_first(app)
    for who in ("clerk", "supervisor", "admin", None):  # the id is known to staff
        for key in (None, "", "x" * 22, key_of(other)):
            r = app.client.post(url, json={"rating": 5, "key": key}, headers=app.headers(who))
            assert r.status_code == 403, (who, key, r.text)
            assert "código QR" in r.json()["detail"]
    for manager in ("supervisor", "admin"):  # may open the tablet to test it, get no key
        tablet_for_manager = app.client.get("/api/v1/counters/1/survey-ticket",
                                            headers=app.headers(manager)).json()
        assert tablet_for_manager["ticket"] == other["id"]
        assert tablet_for_manager.get("key") is None
    tablet = app.client.get("/api/v1/counters/1/survey-ticket", headers=app.headers("survey"))
    assert tablet.json()["key"] == key_of(other), "the tablet asks about the last one"
    assert app.client.post(f"/api/v1/tickets/{other['id']}/survey",
                           json={"rating": 4, "key": tablet.json()["key"]}).status_code == 201
    assert app.client.post(url, json={"rating": 2, "key": key_of(ticket)}).status_code == 201


def test_the_key_survives_a_kiosk_retry_and_a_restart(tmp_path: Path) -> None:
    body = {"service": "A", "request_id": "reintento-0001"}
    with running_app(tmp_path) as a:
        first = a.client.post("/api/v1/tickets", json=body, headers=a.headers("kiosk")).json()
        again = a.client.post("/api/v1/tickets", json=body, headers=a.headers("kiosk")).json()
    assert again["replayed"] is True and again["status_url"] == first["status_url"]
    store = Store.open(tmp_path / "api.db")  # the secret is in the database, not in memory
    try:
        secret = store.run_sync(lambda tx: tx.setting("survey_secret"))
    finally:
        store.close()
    assert SurveyKeys(secret).key_for(first["id"]) == key_of(first)
    assert SurveyKeys("otro-secreto").key_for(first["id"]) != key_of(first)


def test_the_boards_events_carry_no_ids_nor_names(live_server: LiveServer) -> None:
    clerk = live_server.login("clerk1", counter=1)
    waiting = live_server.issue("A")

    async def watch(token: str) -> list[dict[str, Any]]:
        url = f"{live_server.ws_url}/api/v1/events?token={token}"
        async with websockets.connect(url) as ws:
            seen = [json.loads(await asyncio.wait_for(ws.recv(), 10))]
            with live_server.client(clerk) as c:
                await asyncio.to_thread(c.post, "/api/v1/counters/1/next")
                issued = await asyncio.to_thread(live_server.issue, "B")
            seen.append(issued)  # kept to know its id and key; removed below
            while not any(m.get("type") == "ticket.issued" for m in seen[2:]):
                seen.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        return seen

    board = asyncio.run(watch(live_server.display_token))
    issued = board.pop(1)
    snapshot, *events = board
    text = json.dumps(board, ensure_ascii=False)
    for secret in (waiting["id"], issued["id"], key_of(waiting), key_of(issued), "clerk1",
                   "Clerk1", "quiosco-prueba"):
        assert secret not in text, secret
    calls = [e for e in events if e["type"] == "ticket.called"]
    assert calls and calls[0]["ticket"]["number"] == waiting["number"]
    assert calls[0]["counter"]["name"] == "Ventanilla 1" and snapshot["type"] == "snapshot"
    staff = asyncio.run(watch(live_server.login("super")))
    staff_text = json.dumps([m for i, m in enumerate(staff) if i != 1], ensure_ascii=False)
    assert "clerk1" in staff_text and key_of(staff[1]) not in staff_text


# ----------------------------------------------------------------------------- device tokens


def test_device_token_names_are_unique_while_active(app: App) -> None:
    admin = app.headers("admin")
    made = app.client.post("/api/v1/admin/tokens", json={"role": "kiosk", "name": "Sala-2"},
                           headers=admin)
    assert made.status_code == 201
    twin = app.client.post("/api/v1/admin/tokens", json={"role": "display", "name": "sala-2"},
                           headers=admin)
    assert twin.status_code == 409 and "Ya hay un dispositivo" in twin.json()["detail"]
    app.client.post(f"/api/v1/admin/tokens/{made.json()['id']}/revoke", headers=admin)
    again = app.client.post("/api/v1/admin/tokens", json={"role": "kiosk", "name": "Sala-2"},
                            headers=admin)
    assert again.status_code == 201, "a replaced kiosk keeps its name"


def test_migration_renames_active_duplicate_device_names(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    import sqlite_utils

    old = sqlite_utils.Database(conn)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for index, (name, fn) in enumerate(MIGRATIONS[:5], start=1):
        fn(old)
        conn.execute("INSERT INTO _migrations VALUES (?, 'x')", (name,))
        conn.execute(f"PRAGMA user_version = {index}")
    for i, (name, revoked) in enumerate([("quiosco", None), ("Quiosco", None),
                                         ("quiosco", 1.0), ("tv", None)]):
        conn.execute("INSERT INTO tokens (token_hash, kind, role, name, created_at, revoked_at)"
                     " VALUES (?, 'device', 'kiosk', ?, ?, ?)", (f"h{i}", name, time.time(),
                                                                revoked))
    conn.close()
    store = Store.open(db)
    try:
        names = store.run_sync(lambda tx: [(t.name, t.revoked_at) for t in tx.tokens("device")])
        secret = store.run_sync(lambda tx: tx.setting("survey_secret"))
    finally:
        store.close()
    assert names == [("quiosco", None), ("Quiosco-2", None), ("quiosco", 1.0), ("tv", None)]
    assert isinstance(secret, str) and len(secret) >= 40


# ----------------------------------------------------------------------------- clerk scope


def test_a_clerk_reads_their_counters_day_only(app: App) -> None:
    clerk, sup = app.headers("clerk"), app.headers("supervisor")  # clerk1 at counter 1: A, B
    kiosk = app.headers("kiosk")
    mine = app.client.post("/api/v1/tickets", json={"service": "A"}, headers=kiosk).json()
    theirs = app.client.post("/api/v1/tickets", json={"service": "C"}, headers=kiosk).json()
    moved = app.client.post("/api/v1/tickets", json={"service": "B"}, headers=kiosk).json()
    for path in ("/api/v1/tickets?status=waiting&day=2026-01-05",
                 "/api/v1/tickets?status=waiting&counter=3"):
        r = app.client.get(path, headers=clerk)
        assert r.status_code == 403 and r.json()["detail"].startswith(("En la", "Solo"))
        assert app.client.get(path, headers=sup).status_code == 200
    listed = app.client.get("/api/v1/tickets?status=waiting", headers=clerk).json()
    assert {t["id"] for t in listed} == {mine["id"], moved["id"]}, "their counter's services"
    assert app.client.get(f"/api/v1/tickets/{mine['id']}/history",
                          headers=clerk).status_code == 200
    refused = app.client.get(f"/api/v1/tickets/{theirs['id']}/history", headers=clerk)
    assert refused.status_code == 403 and theirs["number"] in refused.json()["detail"]
    assert app.client.get(f"/api/v1/tickets/{theirs['id']}/history",
                          headers=sup).status_code == 200
    # a ticket the clerk transferred away stays readable to them
    assert app.client.post(f"/api/v1/tickets/{moved['id']}/transfer", json={"service": "C"},
                           headers=clerk).status_code == 200
    assert app.client.get(f"/api/v1/tickets/{moved['id']}/history",
                          headers=clerk).status_code == 200
    assert app.client.get(f"/api/v1/tickets/{moved['id']}/history",
                          headers={"Authorization": f"Bearer {app.login('clerk2', 2)}"}
                          ).status_code == 403, "another clerk of A/B did not touch it"


# ----------------------------------------------------------------------------- take-over


def test_taking_a_held_counter_is_a_supervisors_act(app: App) -> None:
    body = {"username": "clerk2", "password": PASSWORD, "counter": 1, "force": True}
    r = app.client.post("/api/v1/auth/login", json=body)
    app.client.cookies.clear()
    assert r.status_code == 403 and "pida al supervisor que la libere" in r.json()["detail"]
    second_device = app.client.post("/api/v1/auth/login", json={
        "username": "CLERK1", "password": PASSWORD, "counter": 1})
    app.client.cookies.clear()
    assert second_device.status_code == 200, "the same clerk's second device"
    sup = app.client.post("/api/v1/auth/login", json={
        "username": "super", "password": PASSWORD, "counter": 1, "force": True})
    app.client.cookies.clear()
    assert sup.status_code == 200
