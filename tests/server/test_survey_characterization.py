"""Satisfaction survey and characterization answers through the real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer
from tests.server import stats_history as h


def serve_one(server: LiveServer, clerk_token: str, counter: int = 1,
              service: str = "A") -> dict[str, Any]:
    """Issue a ticket, call it at the counter and start the attention (not finished)."""
    ticket = server.issue(service)
    with server.client(clerk_token) as c:
        called = c.post(f"/api/v1/counters/{counter}/next")
        assert called.status_code == 200 and called.json()["id"] == ticket["id"]
        assert c.post(f"/api/v1/tickets/{ticket['id']}/start").status_code == 200
    return ticket


def get(server: LiveServer, token: str | None, path: str) -> httpx.Response:
    with server.client(token) as c:
        return c.get(path)


def post(server: LiveServer, path: str, body: dict[str, Any]) -> httpx.Response:
    with server.client() as c:
        return c.post(path, json=body)


def key_of(ticket: dict[str, Any]) -> str:
    """The survey key the printed QR code carries (fragment of status_url)."""
    return str(ticket["status_url"].split("#k=", 1)[1])


def test_one_answer_per_ticket_only_after_it_was_served(live_server: LiveServer) -> None:
    clerk = live_server.login("clerk1", counter=1)
    ticket = serve_one(live_server, clerk)
    url = f"/api/v1/tickets/{ticket['id']}/survey"
    assert get(live_server, None, url).json()["state"] == "not_ready"
    key = key_of(ticket)
    early = post(live_server, url, {"rating": 5, "key": key})
    assert early.status_code == 409 and "aún no ha terminado" in early.json()["detail"]
    with live_server.client(clerk) as c:
        assert c.post(f"/api/v1/tickets/{ticket['id']}/finish").status_code == 200
    state = get(live_server, None, url).json()
    assert state["state"] == "open" and state["number"] == ticket["number"]
    assert [r["value"] for r in state["ratings"]] == [1, 2, 3, 4, 5]
    assert "tiempo_espera" in [r["code"] for r in state["reasons"]]
    assert post(live_server, url, {"rating": 6, "key": key}).status_code == 422
    assert post(live_server, url, {"rating": 0, "key": key}).status_code == 422
    bad_reason = post(live_server, url, {"rating": 4, "reason": "precio", "key": key})
    assert bad_reason.status_code == 422 and "Motivo" in bad_reason.json()["detail"]
    ok = post(live_server, url, {"rating": 4, "reason": "amabilidad", "key": key})
    assert ok.status_code == 201, ok.text
    assert ok.json() == {"ticket": ticket["id"], "number": ticket["number"],
                         "state": "answered", "rating": 4, "reason": "amabilidad"}
    again = post(live_server, url, {"rating": 1, "key": key})
    assert again.status_code == 409 and "ya fue calificado" in again.json()["detail"]
    assert get(live_server, None, url).json()["state"] == "answered"
    assert post(live_server, "/api/v1/tickets/no-existe/survey", {"rating": 3}).status_code \
        == 403  # no key, no answer (exists or not)
    # stored with the ticket: it shows in the statistics and the export
    with live_server.client(live_server.login("super")) as s:
        day = s.get("/api/v1/stats/today").json()["day"]
        total = s.get("/api/v1/stats/summary", params={"from": day, "to": day}).json()["total"]
        assert total["satisfaction"]["answers"] == 1
        assert total["satisfaction"]["distribution"]["4"] == 1
        assert s.get("/api/v1/stats/today").json()["satisfaction_average"] == 4.0
        csv_text = s.get("/api/v1/stats/export", params={"from": day, "to": day}).text
        assert "La amabilidad del funcionario" in csv_text


def test_no_show_cannot_be_rated(live_server: LiveServer) -> None:
    clerk = live_server.login("clerk1", counter=1)
    ticket = live_server.issue("A")
    with live_server.client(clerk) as c:
        c.post("/api/v1/counters/1/next")
        assert c.post(f"/api/v1/tickets/{ticket['id']}/no-show").status_code == 200
    assert post(live_server, f"/api/v1/tickets/{ticket['id']}/survey",
                {"rating": 1, "key": key_of(ticket)}).status_code == 409


def test_counter_tablet_gets_the_ticket_just_finished_there(live_server: LiveServer) -> None:
    clerk = live_server.login("clerk1", counter=1)
    kiosk = live_server.survey_token
    assert get(live_server, kiosk, "/api/v1/counters/1/survey-ticket").status_code == 204
    ticket = serve_one(live_server, clerk)
    # not finished yet
    assert get(live_server, kiosk, "/api/v1/counters/1/survey-ticket").status_code == 204
    with live_server.client(clerk) as c:
        c.post(f"/api/v1/tickets/{ticket['id']}/finish")
    found = get(live_server, kiosk, "/api/v1/counters/1/survey-ticket")
    assert found.status_code == 200 and found.json()["ticket"] == ticket["id"]
    assert found.json()["state"] == "open" and found.json()["key"] == key_of(ticket)
    assert get(live_server, kiosk, "/api/v1/counters/2/survey-ticket").status_code == 204
    assert get(live_server, kiosk, "/api/v1/counters/99/survey-ticket").status_code == 404
    assert post(live_server, f"/api/v1/tickets/{ticket['id']}/survey",
                {"rating": 5, "key": found.json()["key"]}).status_code == 201
    # answered: nothing more to ask
    assert get(live_server, kiosk, "/api/v1/counters/1/survey-ticket").status_code == 204


def test_counter_tablet_roles(live_server: LiveServer) -> None:
    url = "/api/v1/counters/1/survey-ticket"
    assert get(live_server, None, url).status_code == 401
    assert get(live_server, live_server.display_token, url).status_code == 403
    # a kiosk token issues tickets: it is not the tablet's
    assert get(live_server, live_server.kiosk_token, url).status_code == 403
    assert get(live_server, live_server.survey_token, url).status_code == 204
    assert get(live_server, live_server.login("clerk2", counter=2), url).status_code == 403
    assert get(live_server, live_server.login("super"), url).status_code == 204


@pytest.fixture
def char_server(make_server: Any, tmp_path: Path) -> LiveServer:
    server: LiveServer = make_server(config=h.characterization_config(tmp_path))
    return server


def issue(server: LiveServer, body: dict[str, Any]) -> httpx.Response:
    with server.client(server.kiosk_token) as k:
        return k.post("/api/v1/tickets", json=body)


def test_characterization_is_offered_validated_stored_and_filterable(char_server: LiveServer
                                                                     ) -> None:
    office = get(char_server, char_server.kiosk_token, "/api/v1/office").json()
    questions = office["characterization"]["questions"]
    assert office["characterization"]["enabled"] is True
    age = next(q for q in questions if q["code"] == "age_band")
    assert age["options"][-1] == {"code": "no_responde", "label": "Prefiero no responder"}
    ok = issue(char_server, {"service": "A", "characterization": {"age_band": "60+",
                                                                  "sex": "no_responde"}})
    assert ok.status_code == 201, ok.text
    assert "characterization" not in ok.json(), "answers never come back in the ticket view"
    assert issue(char_server, {"service": "B", "characterization": {"age_band": "29-59",
                                                                    "sex": None}}).status_code \
        == 201
    assert issue(char_server, {"service": "B"}).status_code == 201  # never mandatory
    unknown_q = issue(char_server, {"service": "A", "characterization": {"cedula": "123"}})
    assert unknown_q.status_code == 422 and "desconocida" in unknown_q.json()["detail"]
    unknown_o = issue(char_server, {"service": "A", "characterization": {"age_band": "40"}})
    assert unknown_o.status_code == 422 and "no válida" in unknown_o.json()["detail"]
    with char_server.client(char_server.login("super")) as s:
        day = s.get("/api/v1/stats/today").json()["day"]
        assert day and s.get("/api/v1/stats/today").json()["issued"] == 3

        def issued(**params: Any) -> int:
            r = s.get("/api/v1/stats/summary", params={"from": day, "to": day, **params})
            assert r.status_code == 200, r.text
            return int(r.json()["total"]["issued"])

        assert issued(char="age_band:60+") == 1
        assert issued(char="sex:no_responde") == 1
        assert issued(char="age_band:18-28") == 0
        bands = s.get("/api/v1/stats/summary",
                      params={"from": day, "to": day, "by": "char:age_band"}).json()
        assert [(r["label"], r["issued"]) for r in bands["rows"]] == [
            ("29 a 59 años", 1), ("60 años o más", 1), ("Sin respuesta", 1)]
        options = s.get("/api/v1/stats/options").json()["characterization"]
        assert options["enabled"] and [q["code"] for q in options["questions"]] == [
            "age_band", "sex", "ethnic_group"]


def test_characterization_is_off_by_default(live_server: LiveServer) -> None:
    office = get(live_server, live_server.kiosk_token, "/api/v1/office").json()
    assert office["characterization"] == {"enabled": False, "questions": []}
    r = issue(live_server, {"service": "A", "characterization": {"age_band": "60+"}})
    assert r.status_code == 422 and "no hace preguntas" in r.json()["detail"]
    assert issue(live_server, {"service": "A", "characterization": {}}).status_code == 201
