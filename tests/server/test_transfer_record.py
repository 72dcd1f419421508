"""A transfer keeps the first counter's work: who called the ticket and where, before it
moved on, stays in its record, its history and the exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.server.appclient import running_app


def test_transfer_keeps_the_first_counter_in_record_and_export(tmp_path: Path) -> None:
    with running_app(tmp_path) as app:
        clerk, sup = app.headers("clerk"), app.headers("supervisor")
        t = app.client.post("/api/v1/tickets", json={"service": "A"},
                            headers=app.headers("kiosk")).json()
        assert app.client.post("/api/v1/counters/1/next", headers=clerk).json()["id"] == t["id"]
        app.client.post(f"/api/v1/tickets/{t['id']}/start", headers=clerk)
        moved = app.client.post(f"/api/v1/tickets/{t['id']}/transfer", json={"service": "C"},
                                headers=clerk).json()
        assert moved["counter"] is None and moved["first_counter"] == 1
        assert app.client.post("/api/v1/counters/3/next", headers=sup).json()["id"] == t["id"]
        done = app.client.post(f"/api/v1/tickets/{t['id']}/finish", headers=sup).json()
        assert (done["counter"], done["first_counter"], done["first_clerk"],
                done["first_service"]) == (3, 1, "clerk1", "A")

        today = datetime.now(ZoneInfo("America/Bogota")).date().isoformat()
        r = app.client.get("/api/v1/stats/export", headers=sup,
                           params={"from": today, "to": today, "format": "csv",
                                   "kind": "tickets"})
        assert r.status_code == 200, r.text
    row = next(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert row["Turno"] == "A-001" and row["Traslados"] == "1"
    assert row["Ventanilla"] == "Ventanilla 3"
    assert row["Servicio antes del traslado"] == "Radicación de PQRSD"
    assert row["Ventanilla antes del traslado"] == "Ventanilla 1"
    assert row["Funcionario antes del traslado"] == "Clerk1"
