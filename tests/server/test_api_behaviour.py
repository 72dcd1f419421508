"""What clients see from the API: answers, refusals in plain Spanish, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from server.config import DEMO_CONFIG, load_config
from server.queue.hours import OpeningHours
from tests.conftest import PASSWORD
from tests.server.appclient import App, running_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    with running_app(tmp_path) as a:
        yield a


def issue(app: App, service: str = "A", group: str | None = None) -> dict:
    r = app.client.post("/api/v1/tickets", json={"service": service, "group": group},
                        headers=app.headers("kiosk"))
    assert r.status_code == 201, r.text
    return r.json()


def test_issue_answers_the_contract_fields(app: App) -> None:
    t = issue(app, "A", "AM")
    for field in ("id", "number", "service", "group", "preferential", "issued_at", "ahead",
                  "estimated_wait_min", "status_url"):
        assert field in t
    assert t["number"] == "A-001" and t["preferential"] is True and t["ahead"] == 0
    assert t["status_url"].split("#k=")[0].endswith(f"/t/{t['id']}")  # + survey key
    second = issue(app, "A")
    assert second["number"] == "A-002" and second["ahead"] == 1
    # 1 ahead × 8 min (demo default for A, no history yet) ÷ 1 open counter serving A
    assert second["estimated_wait_min"] == 8


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"service": "Z"}, 422, "no existe"),
        ({"service": "A", "group": "XX"}, 422, "no existe"),
        ({}, 422, ""),
        ({"service": ""}, 422, ""),
        ({"service": "A" * 100}, 422, ""),
    ],
)
def test_bad_ticket_requests_get_a_clear_4xx(app: App, body: dict, status: int,
                                             fragment: str) -> None:
    r = app.client.post("/api/v1/tickets", json=body, headers=app.headers("kiosk"))
    assert r.status_code == status
    assert fragment in str(r.json()["detail"])


def test_malformed_json_is_a_422_not_a_500(app: App) -> None:
    r = app.client.post("/api/v1/tickets", content=b"{not json",
                        headers={**app.headers("kiosk"), "Content-Type": "application/json"})
    assert r.status_code == 422


def test_call_next_never_closes_a_called_ticket_as_absent_unless_told(app: App) -> None:
    a, b, c = issue(app), issue(app), issue(app)
    h = app.headers("clerk")
    first = app.client.post("/api/v1/counters/1/next", headers=h).json()
    assert first["id"] == a["id"] and first["closed_previous"] is None
    refused = app.client.post("/api/v1/counters/1/next", headers=h)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("A-001 fue llamado y no ha iniciado atención")
    assert refused.json()["ticket"] == {"id": a["id"], "number": "A-001", "status": "called"}
    still = app.client.get(f"/api/v1/tickets/{a['id']}").json()
    assert still["status"] == "called"
    second = app.client.post("/api/v1/counters/1/next", headers=h, json={"previous": "no_show"})
    assert second.json()["closed_previous"] == {"id": a["id"], "number": "A-001",
                                                "outcome": "no_show"}
    assert second.headers["X-Closed-Previous"] == "A-001=no_show"
    app.client.post(f"/api/v1/tickets/{b['id']}/start", headers=h)
    third = app.client.post("/api/v1/counters/1/next", headers=h).json()
    assert third["closed_previous"]["outcome"] == "served" and third["id"] == c["id"]
    fourth = app.client.post("/api/v1/counters/1/next", headers=h, json={"previous": "served"})
    assert fourth.status_code == 204
    assert app.client.get(f"/api/v1/tickets/{c['id']}").json()["status"] == "done"


def test_history_answers_why_a_ticket_was_called_first(app: App) -> None:
    general = issue(app, "A")
    pref = issue(app, "A", "DIS")
    called = app.client.post("/api/v1/counters/1/next", headers=app.headers("clerk")).json()
    assert called["id"] == pref["id"]
    assert called["call_reason"]["rule"] == "preferential_first"
    history = app.client.get(f"/api/v1/tickets/{pref['id']}/history",
                             headers=app.headers("supervisor")).json()
    assert [h["type"] for h in history] == ["ticket.issued", "ticket.called"]
    assert history[1]["actor"] == "clerk1" and history[1]["counter"] == 1
    assert "preferencial" in history[1]["detail"]["reason"]
    assert general["id"] != pref["id"]


def test_transfer_keeps_the_place_and_no_show_can_return(app: App) -> None:
    h = app.headers("clerk")
    t = issue(app, "A")
    app.client.post("/api/v1/counters/1/next", headers=h)
    moved = app.client.post(f"/api/v1/tickets/{t['id']}/transfer", json={"service": "C"},
                            headers=h).json()
    assert moved["status"] == "waiting" and moved["service"] == "C"
    assert moved["number"] == "A-001" and moved["queued_at"] == t["queued_at"]
    assert (moved["first_service"], moved["first_counter"], moved["first_clerk"]) == \
        ("A", 1, "clerk1")
    assert moved["first_called_at"] is not None
    # counter 1 does not serve C: the clerk there cannot call it out of order
    r = app.client.post("/api/v1/counters/1/call", json={"ticket": t["id"]}, headers=h)
    assert r.status_code == 409
    sup = app.headers("supervisor")
    assert app.client.post("/api/v1/counters/3/next", headers=sup).json()["id"] == t["id"]
    gone = app.client.post(f"/api/v1/tickets/{t['id']}/no-show", headers=sup).json()
    assert gone["status"] == "no_show"
    back = app.client.post(f"/api/v1/tickets/{t['id']}/reactivate", headers=sup).json()
    assert back["status"] == "waiting" and back["ahead"] == 0


def test_clerk_cannot_touch_a_ticket_held_by_another_counter(app: App) -> None:
    t = issue(app, "A")
    app.client.post("/api/v1/counters/2/next", headers=app.headers("supervisor"))
    for action in ("recall", "start", "finish", "no-show"):
        r = app.client.post(f"/api/v1/tickets/{t['id']}/{action}", headers=app.headers("clerk"))
        assert r.status_code == 403, action
        assert "ventanilla 2" in r.json()["detail"]


def test_invalid_transition_is_409_with_a_reason(app: App) -> None:
    t = issue(app, "A")
    r = app.client.post(f"/api/v1/tickets/{t['id']}/finish", headers=app.headers("supervisor"))
    assert r.status_code == 409
    assert r.json()["detail"] == "No se puede finalizar el turno A-001: está en espera."


def test_pause_and_resume(app: App) -> None:
    h = app.headers("clerk")
    assert app.client.post("/api/v1/counters/1/pause", json={"reason": "siesta"},
                           headers=h).status_code == 422
    paused = app.client.post("/api/v1/counters/1/pause", json={"reason": "lunch"}, headers=h)
    assert paused.json()["state"] == "paused" and paused.json()["pause_reason"] == "lunch"
    assert app.client.post("/api/v1/counters/1/resume", headers=h).json()["state"] == "open"


def test_counter_taken_by_another_clerk_needs_a_supervisor(app: App) -> None:
    body = {"username": "clerk2", "password": PASSWORD, "counter": 1}
    r = app.client.post("/api/v1/auth/login", json=body)
    assert r.status_code == 409 and "ocupada" in r.json()["detail"]
    r = app.client.post("/api/v1/auth/login", json={**body, "force": True})
    assert r.status_code == 403 and "pida al supervisor que la libere" in r.json()["detail"]
    app.client.cookies.clear()


def test_clerk_must_choose_a_real_counter(app: App) -> None:
    for counter, status in ((None, 422), (99, 404)):
        r = app.client.post("/api/v1/auth/login",
                            json={"username": "clerk3", "password": PASSWORD, "counter": counter})
        assert r.status_code == status


def test_cookie_session_needs_the_csrf_header(app: App) -> None:
    r = app.client.post("/api/v1/auth/login",
                        json={"username": "super", "password": PASSWORD})
    csrf = r.json()["csrf"]
    assert "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    assert app.client.get("/api/v1/auth/me").status_code == 200  # cookie works for reads
    refused = app.client.post("/api/v1/queue/close-day")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = app.client.post("/api/v1/queue/close-day", headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    ok = app.client.post("/api/v1/queue/close-day", headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    app.client.cookies.clear()


def test_repeated_failed_sign_ins_are_locked_out(app: App) -> None:
    bad = {"username": "clerk4", "password": "equivocada", "counter": 4}
    codes = [app.client.post("/api/v1/auth/login", json=bad).status_code for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    good = app.client.post("/api/v1/auth/login",
                           json={**bad, "password": PASSWORD})
    assert good.status_code == 429  # locked even with the right password, for a while
    assert int(good.headers["Retry-After"]) > 0
    assert "intentos" in good.json()["detail"]


def test_security_headers_on_every_answer(app: App) -> None:
    r = app.client.get("/healthz")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_docs_are_served_without_a_cdn(app: App) -> None:
    page = app.client.get("/docs").text
    assert "cdn" not in page.lower() and "http" not in page.replace("http-equiv", "")
    assert app.client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_closed_office_refuses_with_the_next_opening(tmp_path: Path) -> None:
    cfg = load_config(DEMO_CONFIG)
    never = replace(cfg, hours=OpeningHours())
    with running_app(tmp_path, open_all_hours=False, seed=never) as a:
        r = a.client.post("/api/v1/tickets", json={"service": "A"}, headers=a.headers("kiosk"))
        assert r.status_code == 409
        assert r.json()["detail"] == "La oficina está cerrada."
        assert a.client.get("/api/v1/office", headers=a.headers("kiosk")).json()[
            "opening"]["open"] is False


def test_closed_office_message_names_the_next_opening(tmp_path: Path) -> None:
    cfg = load_config(DEMO_CONFIG)
    # open only on a date far away: the message must say when
    from datetime import date

    hours = OpeningHours(cfg.hours.weekly, frozenset(
        date.fromordinal(date.today().toordinal() + d) for d in range(-1, 3)))
    with running_app(tmp_path, open_all_hours=False, seed=replace(cfg, hours=hours)) as a:
        r = a.client.post("/api/v1/tickets", json={"service": "A"}, headers=a.headers("kiosk"))
        assert r.status_code == 409
        assert r.json()["detail"].startswith("La oficina está cerrada. Abre el ")
        assert r.json()["next_opening"]


def test_taking_over_a_counter_ends_the_previous_clerks_session(app: App) -> None:
    before = app.headers("clerk")  # clerk1 at counter 1
    r = app.client.post("/api/v1/auth/login", json={"username": "super", "password": PASSWORD,
                                                    "counter": 1, "force": True})
    app.client.cookies.clear()
    assert r.status_code == 200
    assert app.client.post("/api/v1/counters/1/next", headers=before).status_code == 401
    counter = app.client.get("/api/v1/counters/1", headers=app.headers("supervisor")).json()
    assert counter["clerk"] == "super"
    app.client.post("/api/v1/auth/logout",  # the supervisor leaves; clerk1 comes back
                    headers={"Authorization": f"Bearer {r.json()['token']}"})
    app.tokens["clerk"] = app.login("clerk1", counter=1)


def test_one_counter_per_clerk(app: App) -> None:
    app.login("clerk3", counter=3)
    app.login("clerk3", counter=4)
    staff = app.headers("supervisor")
    assert app.client.get("/api/v1/counters/3", headers=staff).json()["state"] == "closed"
    assert app.client.get("/api/v1/counters/4", headers=staff).json()["clerk"] == "clerk3"


def test_a_retried_issue_with_the_same_request_id_gets_the_same_ticket(app: App) -> None:
    body = {"service": "A", "group": "AM", "request_id": "kiosk-req-0001"}
    h = app.headers("kiosk")
    first = app.client.post("/api/v1/tickets", json=body, headers=h)
    again = app.client.post("/api/v1/tickets", json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert first.json()["replayed"] is False and again.json()["replayed"] is True
    assert again.json()["id"] == first.json()["id"]
    queue = app.client.get("/api/v1/queue", headers=h).json()
    assert queue["waiting_total"] == 1
    other = app.client.post("/api/v1/tickets", json={**body, "service": "B"}, headers=h)
    assert other.status_code == 409
    bad = app.client.post("/api/v1/tickets", json={**body, "request_id": "a b"}, headers=h)
    assert bad.status_code == 422
    fresh = app.client.post("/api/v1/tickets", json={**body, "request_id": "kiosk-req-0002"},
                            headers=h)
    assert fresh.json()["number"] == "A-002"
