"""What the supervisor's "Ahora" and audit view read, over real HTTP against a real server:
alerts for a line nobody can call, a ticket's history found by its printed number, and the
close of the day recorded."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets

from tests.conftest import LiveServer


def test_the_queue_says_when_a_line_has_no_open_counter(live_server: LiveServer) -> None:
    live_server.issue("C")
    with live_server.client(live_server.login("super")) as s:
        queue = s.get("/api/v1/queue").json()
        assert queue["opening"]["open"] is True
        assert [(a["kind"], a["service"]) for a in queue["alerts"]] == [("no_open_counter", "C")]
        assert "1 persona espera y no hay ninguna ventanilla abierta" in \
            queue["alerts"][0]["message"]
    live_server.login("clerk3", counter=3)
    with live_server.client(live_server.login("super")) as s:
        assert s.get("/api/v1/queue").json()["alerts"] == []


def test_a_tickets_history_is_found_by_number_and_told_in_spanish(
        live_server: LiveServer) -> None:
    live_server.issue("A")
    pref = live_server.issue("A", "AM")
    with live_server.client(live_server.login("clerk1", counter=1)) as c:
        c.post("/api/v1/counters/1/next")
        c.post(f"/api/v1/tickets/{pref['id']}/start")
        c.post(f"/api/v1/tickets/{pref['id']}/finish")
    with live_server.client(live_server.login("super")) as s:
        for number in ("A-002", "a2", "A002"):
            found = s.get("/api/v1/audit/tickets", params={"number": number})
            assert found.status_code == 200, found.text
        audit = found.json()
        assert audit["ticket"]["id"] == pref["id"]
        texts = [h["text"] for h in audit["history"]]
        assert texts[0] == ("Emitido por el quiosco «quiosco-prueba» para A · Radicación de "
                            "PQRSD, preferencial (Persona mayor).")
        assert texts[1].startswith("Llamado en la ventanilla 1 por Clerk1 (clerk1). Por qué: ")
        assert texts[-1] == "Atendido en la ventanilla 1; finalizó Clerk1 (clerk1)."
        missing = s.get("/api/v1/audit/tickets", params={"number": "A-099", "day": "2026-01-05"})
        assert missing.status_code == 404
        assert missing.json()["detail"] == "No hay un turno A-099 el 2026-01-05."
        bad = s.get("/api/v1/audit/tickets", params={"number": "¿quién?"})
        assert bad.status_code == 422 and "A-006" in bad.json()["detail"]


def test_closing_the_day_is_recorded_even_with_nobody_waiting(live_server: LiveServer) -> None:
    supervisor = live_server.login("super")

    async def scenario() -> dict[str, Any]:
        url = f"{live_server.ws_url}/api/v1/events?token={supervisor}"
        async with websockets.connect(url) as ws:
            assert json.loads(await ws.recv())["type"] == "snapshot"
            with live_server.client(supervisor) as s:
                answer = await asyncio.to_thread(s.post, "/api/v1/queue/close-day")
            assert answer.json() == {"closed": 0}
            while True:
                m: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if m["type"] != "heartbeat":
                    return m

    event = asyncio.run(scenario())
    assert (event["type"], event["closed"]) == ("day.closed", 0)
