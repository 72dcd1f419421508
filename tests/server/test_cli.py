"""The `turnero` commands a technician scripts an office with, run as real subprocesses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import ROOT, LiveServer, subprocess_env


def turnero(*args: str, stdin: str | None = None, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=subprocess_env(**(env or {})))


def test_scripted_office_setup_then_serve(tmp_path: Path) -> None:
    db = tmp_path / "oficina.db"
    env = {"TURNERO_DB": str(db)}  # the env var instead of --db
    added = turnero("user", "add", "ana", "--role", "clerk", "--display-name", "Ana Gómez",
                    "--password-stdin", stdin="una-clave-larga\n", env=env)
    assert added.returncode == 0, added.stderr
    assert "ana" in added.stdout
    dup = turnero("user", "add", "ana", "--role", "clerk", "--password-stdin",
                  stdin="otra-clave-larga\n", env=env)
    assert dup.returncode == 2 and "ya existe" in dup.stderr
    short = turnero("user", "add", "luis", "--role", "clerk", "--password-stdin",
                    stdin="corta\n", env=env)
    assert short.returncode == 2 and "al menos" in short.stderr
    made = turnero("token", "create", "--role", "kiosk", "--name", "quiosco-1", "--db", str(db))
    assert made.returncode == 0
    token = made.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token)
    assert token not in db.read_bytes().decode("latin-1")  # stored hashed only
    tablet = turnero("token", "create", "--role", "survey", "--name", "tableta-1", "--db",
                     str(db))
    assert tablet.returncode == 0, tablet.stderr
    tablet_token = tablet.stdout.strip().splitlines()[-1]
    bound = turnero("token", "create", "--role", "survey", "--name", "tableta-2",
                    "--counters", "2", "--db", str(db))
    assert bound.returncode == 0, bound.stderr
    bound_token = bound.stdout.strip().splitlines()[-1]
    two = turnero("token", "create", "--role", "survey", "--name", "tableta-3",
                  "--counters", "1,2", "--db", str(db))
    assert two.returncode != 0 and "una sola ventanilla" in two.stderr

    server = LiveServer(db=db)
    server.start()
    try:
        r = httpx.post(f"{server.base_url}/api/v1/tickets", json={"service": "B"},
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201
        tablet_auth = {"Authorization": f"Bearer {tablet_token}"}
        refused = httpx.post(f"{server.base_url}/api/v1/tickets", json={"service": "B"},
                             headers=tablet_auth)
        assert refused.status_code == 403, "a survey tablet cannot issue tickets"
        assert httpx.get(f"{server.base_url}/api/v1/counters/1/survey-ticket",
                         headers=tablet_auth).status_code == 204
        # A tablet bound to counter 2 reads counter 2's survey only, through its link's
        # device session too: with it, nobody rates another counter's attentions.
        bound_auth = {"Authorization": f"Bearer {bound_token}"}
        assert httpx.get(f"{server.base_url}/api/v1/counters/2/survey-ticket",
                         headers=bound_auth).status_code == 204
        other = httpx.get(f"{server.base_url}/api/v1/counters/1/survey-ticket",
                          headers=bound_auth)
        assert other.status_code == 403
        assert other.json() == {"detail": "Esta tableta de encuesta es de la ventanilla 2.",
                                "counter": 2}
        with httpx.Client(base_url=server.base_url) as browser:
            page = browser.get(f"/survey?counter=2&token={bound_token}", follow_redirects=True)
            assert page.status_code == 200 and "token=" not in str(page.url)
            assert browser.get("/api/v1/counters/2/survey-ticket").status_code == 204
            assert browser.get("/api/v1/counters/1/survey-ticket").status_code == 403
        login = httpx.post(f"{server.base_url}/api/v1/auth/login", json={
            "username": "ana", "password": "una-clave-larga", "counter": 1})
        assert login.status_code == 200 and login.json()["display_name"] == "Ana Gómez"
    finally:
        server.stop()


def test_demo_prepares_users_tokens_and_tickets(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    out = turnero("demo", "--dir", str(folder), "--no-serve")
    assert out.returncode == 0, out.stderr
    assert "/panel" in out.stdout and "/display?token=" in out.stdout
    password = re.search(r"ventanilla1\s+contraseña: (\S+)", out.stdout)
    kiosk = re.search(r"Token de quiosco:\s+(\S+)", out.stdout)
    survey = re.search(r"Token de tableta de encuesta:\s+(\S+)", out.stdout)
    assert password and kiosk and survey
    assert f"/survey?counter=1&token={survey.group(1)}" in out.stdout
    server = LiveServer(db=folder / "turnero.db")
    server.start()
    try:
        queue = httpx.get(f"{server.base_url}/api/v1/queue",
                          headers={"Authorization": f"Bearer {kiosk.group(1)}"}).json()
        assert queue["waiting_total"] == 10
        tablet = {"Authorization": f"Bearer {survey.group(1)}"}
        # the printed token is a survey tablet's: it reads its counter, and cannot issue
        assert httpx.get(f"{server.base_url}/api/v1/counters/1/survey-ticket",
                         headers=tablet).status_code == 204
        assert httpx.get(f"{server.base_url}/api/v1/counters/2/survey-ticket",
                         headers=tablet).status_code == 403  # the demo tablet is counter 1's
        assert httpx.post(f"{server.base_url}/api/v1/tickets", headers=tablet,
                          json={"service": "A", "group": None}).status_code == 403
        login = httpx.post(f"{server.base_url}/api/v1/auth/login", json={
            "username": "ventanilla1", "password": password.group(1), "counter": 1})
        assert login.status_code == 200
    finally:
        server.stop()
    again = turnero("demo", "--dir", str(folder), "--no-serve")  # served again, as it was
    assert again.returncode == 0
    not_demo = tmp_path / "datos-reales"
    not_demo.mkdir()
    refused = turnero("demo", "--dir", str(not_demo), "--no-serve")
    assert refused.returncode == 2 and "no es una carpeta de demo" in refused.stderr


def test_bad_config_stops_serve_with_a_readable_message(tmp_path: Path) -> None:
    bad = tmp_path / "mala.toml"
    bad.write_text("[office]\nname = 3\n", encoding="utf-8")
    out = turnero("serve", "--config", str(bad), "--db", str(tmp_path / "x.db"))
    assert out.returncode == 2
    assert "mala.toml:2: office.name: se esperaba str" in out.stderr
