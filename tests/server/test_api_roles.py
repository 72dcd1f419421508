"""Every API route refuses the wrong role (403) and the anonymous caller (401).

The table below must cover every route the app has: adding an endpoint without saying who may
call it fails ``test_every_route_is_in_the_table``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.server.appclient import App, running_app

ROLES = ["kiosk", "display", "clerk", "supervisor", "admin", "hardware", "survey"]
ANY = set(ROLES)
STAFF = {"clerk", "supervisor", "admin"}
MANAGERS = {"supervisor", "admin"}
#: Staff, and a hardware bridge for the counters its token names (1 and 2 here).
AT_COUNTER = STAFF | {"hardware"}
PUBLIC = None
BOGUS = "no-such-ticket"

#: (method, path, roles allowed; None = public)
TABLE: list[tuple[str, str, set[str] | None]] = [
    ("POST", "/api/v1/tickets", {"kiosk", "supervisor", "admin"}),
    ("GET", "/api/v1/tickets/{ticket_id}", PUBLIC),
    ("GET", "/api/v1/tickets/{ticket_id}/qr.svg", PUBLIC),
    ("GET", "/api/v1/tickets/{ticket_id}/history", STAFF),
    *[("POST", f"/api/v1/tickets/{{ticket_id}}/{a}", AT_COUNTER)
      for a in ("recall", "start", "finish", "no-show")],
    *[("POST", f"/api/v1/tickets/{{ticket_id}}/{a}", STAFF)
      for a in ("reactivate", "cancel", "transfer")],
    ("POST", "/api/v1/tickets/{ticket_id}/print-status", {"kiosk", "admin"}),
    ("GET", "/api/v1/counters", ANY),
    ("GET", "/api/v1/counters/{number}", ANY),
    *[("POST", f"/api/v1/counters/{{number}}/{a}", AT_COUNTER)
      for a in ("next", "pause", "resume")],
    ("POST", "/api/v1/counters/{number}/call", STAFF),
    ("POST", "/api/v1/counters/{number}/issue", STAFF),
    ("POST", "/api/v1/counters/{number}/free", MANAGERS),
    ("GET", "/api/v1/services", ANY),
    ("GET", "/api/v1/groups", ANY),
    ("GET", "/api/v1/office", ANY),
    ("GET", "/api/v1/labels", PUBLIC),
    ("GET", "/api/v1/queue", ANY),
    ("POST", "/api/v1/queue/close-day", MANAGERS),
    ("POST", "/api/v1/auth/login", PUBLIC),
    ("POST", "/api/v1/auth/logout", ANY),
    ("GET", "/api/v1/auth/me", ANY),
    ("GET", "/api/v1/auth/ended", PUBLIC),
    ("POST", "/api/v1/auth/unlock", MANAGERS),
    ("WS", "/api/v1/events", {"display", "clerk", "supervisor", "admin", "hardware"}),
    ("GET", "/api/v1/announcements/{ticket_number}/{counter}.wav",
     {"display", "clerk", "supervisor", "admin"}),
    ("WS", "/api/v1/tickets/{ticket_id}/live", PUBLIC),
    # clerk panel
    ("GET", "/api/v1/counters/public", PUBLIC),
    ("GET", "/api/v1/tickets", STAFF),
    # administration
    ("GET", "/api/v1/admin/config", {"admin"}),
    ("PUT", "/api/v1/admin/config", {"admin"}),
    ("GET", "/api/v1/admin/holidays", {"admin"}),
    ("GET", "/api/v1/admin/users", {"admin"}),
    ("POST", "/api/v1/admin/users", {"admin"}),
    ("PATCH", "/api/v1/admin/users/{user_id}", {"admin"}),
    ("GET", "/api/v1/admin/tokens", {"admin"}),
    ("POST", "/api/v1/admin/tokens", {"admin"}),
    ("POST", "/api/v1/admin/tokens/{token_id}/revoke", {"admin"}),
    # statistics and the satisfaction survey
    ("GET", "/api/v1/stats/summary", MANAGERS),
    ("GET", "/api/v1/central/status", MANAGERS),
    ("GET", "/api/v1/stats/export", MANAGERS),
    ("GET", "/api/v1/stats/today", MANAGERS),
    ("GET", "/api/v1/stats/options", MANAGERS),
    ("GET", "/api/v1/tickets/{ticket_id}/survey", PUBLIC),
    ("POST", "/api/v1/tickets/{ticket_id}/survey", PUBLIC),
    ("GET", "/api/v1/counters/{number}/survey-ticket", {"survey", "supervisor", "admin"}),
    # hardware bridges
    ("POST", "/api/v1/hardware/status", {"hardware"}),
    ("GET", "/api/v1/hardware/bridges", MANAGERS),
    # the supervisor's audit view
    ("GET", "/api/v1/audit/tickets", MANAGERS),
    # operations: the health check is public (no personal data)
    ("GET", "/api/v1/health", PUBLIC),
]

BODIES = {
    "/api/v1/tickets": {"service": "A"},
    "transfer": {"service": "B"},
    "print-status": {"ok": False, "message": "sin papel"},
    "call": {"ticket": BOGUS},
    "issue": {"service": "A"},
    "pause": {"reason": "break"},
    "login": {"username": "nadie", "password": "x"},
    "unlock": {"username": "nadie"},
    "hardware/status": {"displays": [], "buttons": []},
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    with running_app(tmp_path_factory.mktemp("roles")) as a:
        yield a


def concrete(path: str) -> str:
    if path.endswith("/free"):  # free a counter nobody holds: the clerk's sessions live on
        path = path.replace("{number}", "6")
    path = (path.replace("{ticket_id}", BOGUS).replace("{number}", "1")
            .replace("{user_id}", "999999").replace("{token_id}", "999999"))
    if path.endswith("/audit/tickets"):
        path += "?number=A-001"
    if "/stats/" in path:
        path += "?from=2026-11-01&to=2026-11-30&by=service&format=csv&kind=summary"
    return path


def body_for(path: str) -> dict[str, object] | None:
    for key, body in BODIES.items():
        if path.endswith(key):
            return body
    return None


def test_every_route_is_in_the_table(app: App) -> None:
    """HTTP routes as the OpenAPI schema lists them (what clients see)."""
    schema = app.client.get("/api/v1/openapi.json").json()
    routes = {(method.upper(), path) for path, item in schema["paths"].items()
              for method in item if path.startswith("/api/v1")}
    assert routes == {(m, p) for m, p, _ in TABLE if m != "WS"}


HTTP_ROWS = [row for row in TABLE if row[0] != "WS" and row[2] is not None]


@pytest.mark.parametrize(("method", "path", "allowed"), HTTP_ROWS,
                         ids=[f"{m} {p}" for m, p, _ in HTTP_ROWS])
def test_anonymous_gets_401(app: App, method: str, path: str, allowed: set[str]) -> None:
    r = app.client.request(method, concrete(path), json=body_for(path))
    assert r.status_code == 401, r.text
    assert r.json()["detail"]


CASES = [(m, p, role, role in allowed) for m, p, allowed in HTTP_ROWS for role in ROLES
         if not p.endswith("/logout")]


@pytest.mark.parametrize(("method", "path", "role", "ok"), CASES,
                         ids=[f"{m} {p} as {r}" for m, p, r, _ in CASES])
def test_role_is_enforced(app: App, method: str, path: str, role: str, ok: bool) -> None:
    r = app.client.request(method, concrete(path), json=body_for(path),
                           headers=app.headers(role))
    if ok:
        assert r.status_code not in (401, 403), r.text
        assert r.status_code < 500
    else:
        assert r.status_code == 403, r.text
        assert r.json()["detail"] == "Su rol no permite esta acción."


@pytest.mark.parametrize("role", ROLES)
def test_events_websocket_roles(app: App, role: str) -> None:
    allowed = role in {"display", "clerk", "supervisor", "admin", "hardware"}
    url = f"/api/v1/events?token={app.tokens[role]}"
    with app.client.websocket_connect(url) as ws:
        if allowed:
            assert ws.receive_json()["type"] == "snapshot"
        else:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 4403


def test_events_websocket_refuses_a_bad_token(app: App) -> None:
    with app.client.websocket_connect("/api/v1/events?token=nope") as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401


def test_public_ticket_page_data_needs_the_exact_id(app: App) -> None:
    t = app.client.post("/api/v1/tickets", json={"service": "A"}, headers=app.headers("kiosk"))
    assert app.client.get(f"/api/v1/tickets/{t.json()['id']}").status_code == 200
    assert app.client.get("/api/v1/tickets/1").status_code == 404
    assert len(t.json()["id"]) >= 16  # ~96 bits of randomness, not the row number


def test_logout_ends_the_session(app: App) -> None:
    token = app.login("clerk2", counter=2)
    h = {"Authorization": f"Bearer {token}"}
    assert app.client.post("/api/v1/auth/logout", headers=h).status_code == 200
    assert app.client.get("/api/v1/auth/me", headers=h).status_code == 401
    assert app.client.get("/api/v1/counters/2", headers=app.headers("kiosk")).json()[
        "state"] == "closed"


def test_clerk_cannot_act_on_another_counter(app: App) -> None:
    h = app.headers("clerk")  # signed in at counter 1
    for action, body in (("next", None), ("pause", {"reason": "break"}), ("resume", None)):
        r = app.client.post(f"/api/v1/counters/2/{action}", json=body, headers=h)
        assert r.status_code == 403
        assert "ventanilla 1" in r.json()["detail"]


def test_revoking_a_token_closes_its_open_websocket(tmp_path_factory: pytest.TempPathFactory
                                                    ) -> None:
    with running_app(tmp_path_factory.mktemp("revoke")) as a:
        admin = a.headers("admin")
        url = f"/api/v1/events?token={a.tokens['display']}"
        with a.client.websocket_connect(url) as ws:
            assert ws.receive_json()["type"] == "snapshot"
            tokens = a.client.get("/api/v1/admin/tokens", headers=admin).json()
            display = next(t for t in tokens if t["name"] == "pantalla-prueba")
            r = a.client.post(f"/api/v1/admin/tokens/{display['id']}/revoke", headers=admin)
            assert r.status_code == 200
            with pytest.raises(WebSocketDisconnect) as closed:
                while True:
                    ws.receive_json()
            assert closed.value.code == 4401


def test_signing_out_closes_the_clerks_websocket(app: App) -> None:
    token = app.login("clerk4", counter=4)
    with app.client.websocket_connect(f"/api/v1/events?token={token}") as ws:
        assert ws.receive_json()["type"] == "snapshot"
        out = app.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
        assert out.status_code == 200
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                ws.receive_json()
        assert closed.value.code == 4401


def test_public_ticket_answer_names_no_staff_nor_kiosk(app: App) -> None:
    t = app.client.post("/api/v1/tickets", json={"service": "B"}, headers=app.headers("kiosk"))
    r = app.client.post("/api/v1/counters/1/call",
                        json={"ticket": t.json()["id"], "previous": "served"},
                        headers=app.headers("clerk"))
    assert r.status_code == 200, r.text
    seen = app.client.get(f"/api/v1/tickets/{t.json()['id']}").json()
    assert seen["status"] == "called" and seen["counter"] == 1
    assert "clerk" not in seen and "kiosk" not in seen
