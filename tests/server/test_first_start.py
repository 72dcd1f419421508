"""First start: the demo never wipes a live database, its printed commands work, and a LAN
server without --public-url says where its QR codes point. Real `turnero` subprocesses."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from server.first_start import own_command
from server.queue.public_address import points_to_this_machine, qr_warning
from tests.conftest import ROOT, LiveServer, free_port, subprocess_env
from tests.server.test_cli import turnero
from tests.web.conftest import sign_in


def start_demo(folder: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    """``turnero demo`` serving ``folder`` on 127.0.0.1:``port``, once it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "demo", "--dir", str(folder), "--port", str(port),
         *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        env=subprocess_env())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("the demo server did not start")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    out, _ = process.communicate(timeout=20)
    return out


def kiosk_token(text: str) -> str:
    found = re.search(r"Token de quiosco:\s+(\S+)", text)
    assert found, text
    return found.group(1)


def waiting(port: int, token: str) -> int:
    r = httpx.get(f"http://127.0.0.1:{port}/api/v1/queue",
                  headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 200, r.text
    count: int = r.json()["waiting_total"]
    return count


def test_a_second_demo_on_a_live_folder_refuses_and_keeps_the_data(tmp_path: Path) -> None:
    folder, port = tmp_path / "demo", free_port()
    demo = start_demo(folder, port)
    try:
        token = kiosk_token((folder / "LEAME-demo.txt").read_text(encoding="utf-8"))
        assert waiting(port, token) == 10
        for extra in ([], ["--reset"]):
            again = turnero("demo", "--dir", str(folder), "--no-serve", *extra)
            assert again.returncode == 2, again.stdout
            assert "ya está en uso" in again.stderr and "Es una demo en marcha" in again.stderr
            assert "No se borró nada" in again.stderr
            assert waiting(port, token) == 10  # the live server still has its database
    finally:
        stop(demo)

    resumed = turnero("demo", "--dir", str(folder), "--no-serve")  # no server now: served again
    assert resumed.returncode == 0, resumed.stderr
    assert "se sirve tal como quedó" in resumed.stdout
    assert kiosk_token(resumed.stdout) == token  # same data, same tokens
    reset = turnero("demo", "--dir", str(folder), "--no-serve", "--reset")
    assert reset.returncode == 0, reset.stderr
    assert kiosk_token(reset.stdout) != token  # started over


def test_the_printed_kiosk_command_runs_as_printed(tmp_path: Path) -> None:
    """After `make demo` the `turnero` script is in .venv/bin, not on PATH: the demo prints a
    path that exists, and that command answers."""
    script = Path(sys.executable).with_name("turnero")
    assert script.exists()
    out = subprocess.run([str(script), "demo", "--dir", str(tmp_path / "d"), "--no-serve"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env=subprocess_env(PATH="/usr/bin:/bin"))
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.strip().startswith("Quiosco:"))
    command = line.split("Quiosco:", 1)[1].split()
    assert command[1] == "kiosk" and "--token" in command
    program = ROOT / command[0]
    assert program.exists(), command[0]
    help_run = subprocess.run([command[0], "kiosk", "--help"], capture_output=True, text=True,
                              cwd=ROOT, timeout=60, env=subprocess_env(PATH="/usr/bin:/bin"))
    assert help_run.returncode == 0 and "--printer" in help_run.stdout
    assert "--reset" in out.stdout  # and it says how to start over


def test_own_command_is_a_path_that_exists(tmp_path: Path) -> None:
    script = tmp_path / "venv" / "bin" / "turnero"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    assert own_command(str(script), cwd=tmp_path) == "venv/bin/turnero"
    assert own_command("/nonexistent/python-script", cwd=tmp_path) in (
        "turnero", f"{sys.executable} -m server")


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8000", True), ("http://localhost:8000", True), ("http://[::1]:80", True),
    ("http://192.168.1.10:8000", False), ("https://turnos.gobernacion.gov.co", False),
])
def test_qr_addresses_that_only_work_on_the_server(url: str, local: bool) -> None:
    assert points_to_this_machine(url) is local
    assert (qr_warning(url) is not None) is local


def test_serve_on_all_interfaces_without_public_url_warns(tmp_path: Path) -> None:
    """The warning comes before the server starts (here it cannot: the database path is a
    folder, so nothing listens on the LAN during the test)."""
    folder = tmp_path / "no-es-un-archivo.db"
    folder.mkdir()
    out = turnero("serve", "--host", "0.0.0.0", "--db", str(folder))
    assert "Los códigos QR de los tiquetes apuntan a http://127.0.0.1:8000" in out.stderr
    assert "--public-url" in out.stderr
    quiet = turnero("serve", "--host", "0.0.0.0", "--public-url", "http://192.168.1.10:8000",
                    "--db", str(folder))
    assert "códigos QR" not in quiet.stderr


def test_demo_takes_a_public_url(tmp_path: Path) -> None:
    out = turnero("demo", "--dir", str(tmp_path / "d"), "--no-serve",
                  "--public-url", "http://192.168.1.10:8000")
    assert out.returncode == 0, out.stderr
    assert "http://192.168.1.10:8000/display?token=" in out.stdout


@pytest.mark.browser
def test_the_admin_page_shows_where_the_qr_codes_point(browser: Any,
                                                       live_server: LiveServer) -> None:
    facts = httpx.get(f"{live_server.base_url}/api/v1/office",
                      headers={"Authorization": f"Bearer {live_server.kiosk_token}"}).json()
    assert facts["qr_warning"] and "127.0.0.1" in facts["qr_warning"]
    page = browser.new_page()
    sign_in(page, live_server, "admin", path="/admin")
    expect(page.locator("#qr-warning")).to_contain_text("Los códigos QR de los tiquetes apuntan")
    page.close()
