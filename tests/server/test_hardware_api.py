"""Hardware bridges on the server: tokens scoped to counters, actions attributed to the clerk at
the counter, status reports that become supervisor alerts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, prepare_database, subprocess_env
from tests.server.appclient import App, running_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    with running_app(tmp_path_factory.mktemp("hardware")) as a:
        yield a


def test_a_hardware_token_acts_only_at_its_counters(app: App) -> None:
    hw = app.headers("hardware")  # counters 1 and 2
    app.client.post("/api/v1/tickets", json={"service": "C"}, headers=app.headers("kiosk"))
    r = app.client.post("/api/v1/counters/3/next", json={"in_hand": None}, headers=hw)
    assert r.status_code == 403
    assert r.json()["detail"] == ("El dispositivo «puente-prueba» no está autorizado para la "
                                  "ventanilla 3.")
    for action, body in (("pause", {"reason": "break"}), ("resume", None)):
        assert app.client.post(f"/api/v1/counters/3/{action}", json=body,
                               headers=hw).status_code == 403
    # a ticket in hand at counter 3 (called by a supervisor) is out of reach too
    called = app.client.post("/api/v1/counters/3/next", json={"in_hand": None},
                             headers=app.headers("supervisor")).json()
    for action in ("recall", "start", "finish", "no-show"):
        r = app.client.post(f"/api/v1/tickets/{called['id']}/{action}", headers=hw)
        assert r.status_code == 403, r.text
    # and a waiting ticket is not the bridge's to handle (only the one in hand)
    waiting = app.client.post("/api/v1/tickets", json={"service": "A"},
                              headers=app.headers("kiosk")).json()
    r = app.client.post(f"/api/v1/tickets/{waiting['id']}/no-show", headers=hw)
    assert r.status_code == 403


def test_actions_name_the_device_and_the_clerk_signed_in(app: App) -> None:
    hw = app.headers("hardware")
    app.client.post("/api/v1/tickets", json={"service": "B"}, headers=app.headers("kiosk"))
    held = app.client.get("/api/v1/counters/1", headers=hw).json()["ticket"]
    r = app.client.post("/api/v1/counters/1/next",
                        json={"in_hand": held["id"] if held else None}, headers=hw)
    assert r.status_code == 200, r.text
    ticket = r.json()
    assert app.client.post(f"/api/v1/tickets/{ticket['id']}/start", headers=hw).status_code == 200
    history = app.client.get(f"/api/v1/tickets/{ticket['id']}/history",
                             headers=app.headers("supervisor")).json()
    acts = [h for h in history if h["type"] in ("ticket.called", "ticket.started")]
    assert [(h["actor"], h["actor_role"], h["detail"]["clerk"]) for h in acts] == [
        ("puente-prueba", "hardware", "clerk1")] * 2
    # counter 2 has nobody signed in: recorded as such
    app.client.post("/api/v1/tickets", json={"service": "A"}, headers=app.headers("kiosk"))
    r = app.client.post("/api/v1/counters/2/next", json={"in_hand": None}, headers=hw)
    assert r.status_code == 200, r.text
    history = app.client.get(f"/api/v1/tickets/{r.json()['id']}/history",
                             headers=app.headers("supervisor")).json()
    assert history[-1]["actor"] == "puente-prueba" and history[-1]["detail"]["clerk"] is None


def test_status_reports_become_alerts_only_when_a_port_goes_down(app: App) -> None:
    hw, sup = app.headers("hardware"), app.headers("supervisor")
    up = {"displays": [{"name": "ventanilla-1", "port": "/dev/ttyUSB0", "connected": True,
                        "counter": 1}], "buttons": []}
    assert app.client.post("/api/v1/hardware/status", json=up, headers=hw).json()[
        "changes"] == 0
    (bridge,) = app.client.get("/api/v1/hardware/bridges", headers=sup).json()
    assert (bridge["name"], bridge["silent"], bridge["alert"]) == ("puente-prueba", False,
                                                                   False)
    down = {"displays": [{**up["displays"][0], "connected": False,
                          "error": "el dispositivo desapareció"}], "buttons": []}
    assert app.client.post("/api/v1/hardware/status", json=down, headers=hw).json()[
        "changes"] == 1
    assert app.client.post("/api/v1/hardware/status", json=down, headers=hw).json()[
        "changes"] == 0  # still down: no second alert
    (bridge,) = app.client.get("/api/v1/hardware/bridges", headers=sup).json()
    assert bridge["alert"] and bridge["displays"][0]["connected"] is False
    alerts = app.client.get("/api/v1/stats/today", headers=sup).json()["alerts"]
    lost = [a for a in alerts if a["kind"] == "hardware.display_lost"]
    assert len(lost) == 1 and lost[0]["device"] == "puente-prueba"
    assert "ventanilla-1 (/dev/ttyUSB0) no responde" in lost[0]["message"]
    assert app.client.post("/api/v1/hardware/status", json=up, headers=hw).json()[
        "changes"] == 1
    (bridge,) = app.client.get("/api/v1/hardware/bridges", headers=sup).json()
    assert not bridge["alert"]


def test_bad_status_reports_get_a_clear_422(app: App) -> None:
    r = app.client.post("/api/v1/hardware/status", json={"displays": [{"name": ""}]},
                        headers=app.headers("hardware"))
    assert r.status_code == 422


def test_admin_api_creates_a_hardware_token_with_its_counters(app: App) -> None:
    admin = app.headers("admin")
    r = app.client.post("/api/v1/admin/tokens", json={"role": "hardware", "name": "puente-2",
                                                      "counters": [3, 4]}, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["counters"] == [3, 4]
    for body, message in (({"role": "hardware", "name": "x"}, "necesita las ventanillas"),
                          ({"role": "hardware", "name": "x", "counters": [99]},
                           "La ventanilla 99 no existe."),
                          ({"role": "kiosk", "name": "x", "counters": [1]}, "Solo un token")):
        r = app.client.post("/api/v1/admin/tokens", json=body, headers=admin)
        assert r.status_code == 422 and message in r.json()["detail"], r.text


def test_cli_creates_a_hardware_token(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    prepare_database(db)

    def create(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "server", "token", "create", "--role", "hardware", "--name",
             "puente-sala", "--db", str(db), *extra], capture_output=True, text=True,
            cwd=ROOT, env=subprocess_env(), timeout=60)

    ok = create("--counters", "1,2,3")
    assert ok.returncode == 0, ok.stderr
    assert len(ok.stdout.strip().splitlines()[-1]) >= 40  # the token, alone on the last line
    missing = create()
    assert missing.returncode == 2 and "--counters" in missing.stderr
    bad = create("--counters", "1,x")
    assert bad.returncode == 2 and "lista de ventanillas inválida" in bad.stderr
