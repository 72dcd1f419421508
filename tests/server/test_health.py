"""GET /api/v1/health on a real server, and `turnero doctor` on the command line."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path

import httpx
from websockets.sync.client import connect

from server.health import StorageWatch
from tests.conftest import LiveServer, prepare_database
from tests.server.test_cli import turnero


def bridge_reports(server: LiveServer, connected: bool = True) -> None:
    """The test bridge (token "puente-prueba") reports one counter display."""
    port = {"name": "ventanilla-1", "port": "/dev/ttyUSB0", "counter": 1,
            "connected": connected}
    with server.client(server.tokens["hardware"]) as hw:
        r = hw.post("/api/v1/hardware/status", json={"displays": [port], "buttons": []})
        assert r.status_code == 200, r.text


def test_health_names_parts_and_devices_without_personal_data(live_server: LiveServer
                                                              ) -> None:
    url = f"{live_server.base_url}/api/v1/health"
    bridge_reports(live_server)
    r = httpx.get(url)  # no credentials
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["status"] == "ok" and report["failing"] == []
    assert set(report["checks"]) == {"database", "disk", "backup", "printers", "bridges"}
    assert report["checks"]["database"]["writable"] is True
    assert report["checks"]["disk"]["free_bytes"] > 0
    assert report["checks"]["backup"] == {"ok": True, "scheduled": False, "last_at": None,
                                          "last_tickets": None}
    assert set(report["devices"]) == {"kiosks", "printers", "boards", "bridges"}
    (kiosk,) = report["devices"]["kiosks"]
    assert kiosk == {"name": "quiosco-prueba", "last_seen_at": None}

    ticket = live_server.issue("A")
    with live_server.client(live_server.kiosk_token) as c:
        assert c.post(f"/api/v1/tickets/{ticket['id']}/print-status",
                      json={"ok": False, "message": "sin papel"}).status_code == 200
    with connect(f"{live_server.ws_url}/api/v1/events?token={live_server.display_token}") as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "snapshot"
        r = httpx.get(url)
        assert r.status_code == 503
        report = r.json()
        assert report["status"] == "falla" and report["failing"] == ["printers"]
        assert report["checks"]["printers"]["failing"] == ["quiosco-prueba"]
        (printer,) = report["devices"]["printers"]
        assert printer["ok"] is False and printer["message"] == "sin papel"
        (board,) = report["devices"]["boards"]
        assert board["name"] == "pantalla-prueba" and board["connected"] == 1
        assert board["last_seen_at"] is not None
        assert report["devices"]["kiosks"][0]["last_seen_at"] is not None
    for private in (ticket["id"], ticket["number"], "clerk1", "Super", live_server.kiosk_token):
        assert private not in r.text

    second = live_server.issue("A")
    with live_server.client(live_server.kiosk_token) as c:
        c.post(f"/api/v1/tickets/{second['id']}/print-status", json={"ok": True, "message": ""})
    assert httpx.get(url).status_code == 200  # the printer works again
    assert httpx.get(f"{live_server.base_url}/healthz").json() == {"status": "ok"}


def test_doctor_prints_health_config_and_permissions(live_server: LiveServer,
                                                     tmp_path: Path) -> None:
    out = turnero("doctor", "--db", str(live_server.db), "--url", live_server.base_url,
                  "--printer", f"file:{tmp_path / 'no-existe'}")
    lines = out.stdout.splitlines()
    assert any(ln.startswith("OK") and "Configuración" in ln for ln in lines), out.stdout
    assert any(ln.startswith("OK") and "Base de datos: acepta escrituras" in ln for ln in lines)
    assert any(ln.startswith("OK") and "Disco:" in ln for ln in lines)
    assert live_server.process is not None
    assert any(f"proceso {live_server.process.pid}" in ln for ln in lines)
    assert any(ln.startswith("FALLA") and "no-existe: no existe" in ln for ln in lines)
    assert out.returncode == 1  # the missing printer fails the run

    offline = tmp_path / "apagada.db"
    prepare_database(offline)
    bad_config = tmp_path / "mal.toml"
    bad_config.write_text('[office]\nname = 3\n', encoding="utf-8")
    out = turnero("doctor", "--db", str(offline), "--config", str(bad_config))
    assert out.returncode == 1
    assert "FALLA  Configuración:" in out.stdout and "office.name" in out.stdout
    assert "No hay un servidor en ejecución" in out.stdout


def test_health_shows_hardware_bridges(live_server: LiveServer) -> None:
    url = f"{live_server.base_url}/api/v1/health"
    r = httpx.get(url)
    (bridge,) = r.json()["devices"]["bridges"]
    assert r.status_code == 503 and r.json()["failing"] == ["bridges"]  # never reported
    assert bridge == {"name": "puente-prueba", "last_seen_at": None, "ok": False,
                      "message": "El puente no reporta."}
    bridge_reports(live_server)
    report = httpx.get(url).json()
    assert report["status"] == "ok"
    assert report["devices"]["bridges"][0]["last_seen_at"] is not None
    bridge_reports(live_server, connected=False)
    r = httpx.get(url)
    assert r.status_code == 503 and r.json()["failing"] == ["bridges"]
    assert r.json()["devices"]["bridges"][0]["message"] == "No responden: ventanilla-1."


def test_the_storage_alert_clears_even_when_a_disk_check_failed_meanwhile() -> None:
    """After a full disk the probe also asks whether the disk has room again. That check
    can fail itself (the data disk unplugged and plugged back: an I/O error): it ended the
    probing, and the alert stayed on after the disk had come back, until a restart."""
    answers = iter([OSError(5, "Error de entrada/salida"), True])
    room_again = asyncio.Event()

    def room() -> bool:
        answer = next(answers, True)
        if isinstance(answer, Exception):
            raise answer
        room_again.set()  # the probe settles in this same step
        return answer

    async def probe() -> None:
        return None  # the disk accepts writes again

    async def main() -> StorageWatch:
        watch = StorageWatch(probe, room)
        watch.failed("full", sqlite3.OperationalError("database or disk is full"), time.time())
        await asyncio.wait_for(room_again.wait(), 20)  # the second probe, 2 × PROBE_INTERVAL_S
        watch.stop()
        return watch

    watch = asyncio.run(main())
    assert watch.failing_since is None and watch.kind is None
    assert watch.incidents[-1]["until"] is not None
