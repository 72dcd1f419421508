"""/api/v1/admin over real HTTP: only admins get in; configuration edits are validated like the
TOML file, refuse to strand tickets, take effect without restarting and survive a restart;
users and device tokens are managed from here."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import PASSWORD, LiveServer

ENDPOINTS = [
    ("GET", "/api/v1/admin/config", None),
    ("PUT", "/api/v1/admin/config", {}),
    ("GET", "/api/v1/admin/users", None),
    ("POST", "/api/v1/admin/users", {"username": "x", "password": "12345678", "role": "clerk"}),
    ("PATCH", "/api/v1/admin/users/1", {"active": False}),
    ("GET", "/api/v1/admin/tokens", None),
    ("POST", "/api/v1/admin/tokens", {"role": "kiosk", "name": "x"}),
    ("POST", "/api/v1/admin/tokens/1/revoke", None),
]


def admin(server: LiveServer) -> httpx.Client:
    return server.client(server.login("admin"))


def config(c: httpx.Client) -> dict[str, Any]:
    r = c.get("/api/v1/admin/config")
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def test_only_admins_reach_the_admin_api(shared_server: LiveServer) -> None:
    tokens = {
        "clerk": shared_server.login("clerk1", counter=1),
        "supervisor": shared_server.login("super"),
        "kiosk": shared_server.kiosk_token,
        "display": shared_server.display_token,
    }
    for method, path, body in ENDPOINTS:
        with shared_server.client() as anon:
            assert anon.request(method, path, json=body).status_code == 401, path
        for role, token in tokens.items():
            with shared_server.client(token) as c:
                r = c.request(method, path, json=body)
                assert r.status_code == 403, (role, method, path, r.text)


def test_an_invalid_configuration_is_refused_with_readable_problems(
        shared_server: LiveServer) -> None:
    with admin(shared_server) as c:
        data = config(c)
        data["services"][1]["code"] = "A"            # duplicated letter
        del data["services"][2]["name"]              # missing name
        data["hours"]["monday"] = ["8-11"]
        data["priority"]["mode"] = "lottery"
        r = c.put("/api/v1/admin/config", json=data)
        assert r.status_code == 422
        body = r.json()
        problems = body["problems"]
        assert "Servicio «A» › código: el código 'A' está repetido" in problems
        assert "Servicio «C» › nombre: falta este dato (obligatorio)" in problems
        assert any(p.startswith("Horario del lunes: franja '8-11' inválida") for p in problems)
        assert any(p.startswith("Prioridad › modo: modo 'lottery' desconocido") for p in problems)
        assert body["detail"].startswith(f"La configuración tiene {len(problems)} problemas")
        assert c.put("/api/v1/admin/config", json=[1, 2]).status_code == 422
        assert config(c)["services"][1]["code"] == "B"  # nothing was stored


def test_an_edit_takes_effect_at_once_and_is_announced(live_server: LiveServer) -> None:
    async def scenario() -> dict[str, Any]:
        url = f"{live_server.ws_url}/api/v1/events?token={live_server.display_token}"
        async with websockets.connect(url) as ws:
            await asyncio.wait_for(ws.recv(), 5)  # snapshot
            with admin(live_server) as c:
                data = config(c)
                data["services"][0]["name"] = "PQRSD"
                data["services"][4]["active"] = False
                data["office"]["board_message"] = "Hoy atendemos hasta las 4"
                r = await asyncio.to_thread(c.put, "/api/v1/admin/config", json=data)
                assert r.status_code == 200, r.text
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 5))
                if message["type"] == "config.changed":
                    return message

    assert asyncio.run(scenario())["type"] == "config.changed"
    with live_server.client(live_server.kiosk_token) as kiosk:
        services = {s["code"]: s for s in kiosk.get("/api/v1/services").json()}
        assert services["A"]["name"] == "PQRSD"
        assert services["E"]["active"] is False
        assert kiosk.get("/api/v1/office").json()["board_message"] == "Hoy atendemos hasta las 4"
        r = kiosk.post("/api/v1/tickets", json={"service": "E"})
        assert r.status_code == 409 and "no está disponible" in r.json()["detail"]


def test_the_database_wins_over_the_toml_file_after_a_restart(live_server: LiveServer) -> None:
    with admin(live_server) as c:
        data = config(c)
        data["groups"].append({"code": "LAC", "name": "Madre lactante", "enabled": True})
        assert c.put("/api/v1/admin/config", json=data).status_code == 200
    live_server.stop()
    live_server.start()  # same TOML file, same database
    with live_server.client(live_server.kiosk_token) as kiosk:
        assert "LAC" in [g["code"] for g in kiosk.get("/api/v1/groups").json()]


def test_removing_what_people_are_waiting_for_is_refused(live_server: LiveServer) -> None:
    live_server.issue("E")
    live_server.issue("D", "AM")
    with live_server.client(live_server.login("clerk4", counter=4)) as clerk:
        assert clerk.post("/api/v1/counters/4/next").json()["number"] == "D-001"
    with admin(live_server) as c:
        data = config(c)
        data["services"] = [s for s in data["services"] if s["code"] != "E"]
        data["counters"] = [x for x in data["counters"] if x["number"] != 6]
        data["boards"] = [b for b in data["boards"] if b["code"] != "pasaportes"]
        r = c.put("/api/v1/admin/config", json=data)
        assert r.status_code == 409
        assert "No se puede eliminar el servicio «Pasaportes»: tiene 1 turno(s)" in \
            r.json()["detail"]

        data = config(c)
        data["counters"] = [x for x in data["counters"] if x["number"] != 4]
        r = c.put("/api/v1/admin/config", json=data)
        assert r.status_code == 409
        assert "No se puede eliminar la «Ventanilla 4»: tiene el turno D-001 en mano" in \
            r.json()["detail"]

        data = config(c)
        data["groups"] = [g for g in data["groups"] if g["code"] != "AM"]
        r = c.put("/api/v1/admin/config", json=data)
        assert r.status_code == 409 and "Deshabilítelo" in r.json()["detail"]

        data = config(c)  # deactivating is the way: the line is still served
        data["services"][4]["active"] = False
        assert c.put("/api/v1/admin/config", json=data).status_code == 200
        # a counter without a ticket in hand can go
        data = config(c)
        data["counters"] = [x for x in data["counters"] if x["number"] != 5]
        assert c.put("/api/v1/admin/config", json=data).status_code == 200


def test_users_are_created_changed_and_disabled(live_server: LiveServer) -> None:
    login = f"{live_server.base_url}/api/v1/auth/login"
    with admin(live_server) as c:
        r = c.post("/api/v1/admin/users", json={"username": "mlopez", "password": "segura-123",
                                                "role": "clerk", "display_name": "María López"})
        assert r.status_code == 201, r.text
        user = r.json()
        assert user["display_name"] == "María López" and "password" not in json.dumps(user)
        assert c.post("/api/v1/admin/users", json={"username": "mlopez", "password": "x" * 9,
                                                   "role": "clerk"}).status_code == 409
        assert c.post("/api/v1/admin/users", json={"username": "corta", "password": "123",
                                                   "role": "clerk"}).status_code == 422
        ok = httpx.post(login, json={"username": "mlopez", "password": "segura-123",
                                     "counter": 3}, timeout=10)
        assert ok.status_code == 200 and ok.json()["display_name"] == "María López"

        r = c.patch(f"/api/v1/admin/users/{user['id']}", json={"password": "otra-clave-9"})
        assert r.status_code == 200
        with live_server.client(ok.json()["token"]) as old:  # the old session is closed
            assert old.get("/api/v1/auth/me").status_code == 401
        r = c.patch(f"/api/v1/admin/users/{user['id']}", json={"role": "supervisor"})
        assert r.json()["role"] == "supervisor"
        r = c.patch(f"/api/v1/admin/users/{user['id']}", json={"active": False})
        assert r.json()["active"] is False
        refused = httpx.post(login, json={"username": "mlopez", "password": "otra-clave-9"},
                             timeout=10)
        assert refused.status_code == 401
        assert c.patch("/api/v1/admin/users/999", json={"active": False}).status_code == 404

        me = next(u for u in c.get("/api/v1/admin/users").json() if u["username"] == "admin")
        for change in ({"active": False}, {"role": "clerk"}):
            r = c.patch(f"/api/v1/admin/users/{me['id']}", json=change)
            assert r.status_code == 409 and "a sí mismo" in r.json()["detail"]


def test_device_tokens_are_shown_once_and_revoked_at_once(live_server: LiveServer) -> None:
    with admin(live_server) as c:
        r = c.post("/api/v1/admin/tokens", json={"role": "kiosk", "name": "quiosco-sala-2"})
        assert r.status_code == 201
        created = r.json()
        assert created["token"] and created["revoked"] is False
        listed = c.get("/api/v1/admin/tokens").json()
        assert created["token"] not in json.dumps(listed)  # never shown again
        assert c.post("/api/v1/admin/tokens", json={"role": "admin", "name": "x"}
                      ).status_code == 422
        with live_server.client(created["token"]) as kiosk:
            assert kiosk.get("/api/v1/services").status_code == 200
            r = c.post(f"/api/v1/admin/tokens/{created['id']}/revoke")
            assert r.status_code == 200
            assert kiosk.get("/api/v1/services").status_code == 401
        assert c.post("/api/v1/admin/tokens/999/revoke").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/admin/config"])
def test_admin_cookie_sessions_need_the_csrf_header(shared_server: LiveServer, path: str) -> None:
    with httpx.Client(base_url=shared_server.base_url, timeout=10) as c:
        assert c.post("/api/v1/auth/login", json={"username": "admin",
                                                  "password": PASSWORD}).status_code == 200
        data = c.get(path).json()
        assert c.put(path, json=data).status_code == 403
        assert c.put(path, json=data, headers={"X-CSRF-Token": c.cookies["turnero_csrf"]}
                     ).status_code == 200
