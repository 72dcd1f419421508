"""deploy/nginx-turnero.conf for real: nginx terminates HTTPS in front of a real Turnero
server; the sign-in cookie comes back ``Secure``, a board's websocket works through the proxy,
plain HTTP is redirected, and nginx's own log keeps no token."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import PASSWORD, free_port, need
from tests.tls_cert import self_signed, trusting

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx-turnero.conf"


def site_for_test(turnero_port: int, http_port: int, https_port: int, folder: Path,
                  cert: Path, key: Path) -> str:
    """The shipped file with only ports and paths moved into the test's folder."""
    text = SITE.read_text(encoding="utf-8")
    replacements = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{turnero_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen [::]:443 ssl;", ""),
        ("/etc/turnero/tls/turnero.crt", str(cert)),
        ("/etc/turnero/tls/turnero.key", str(key)),
        ("/var/log/nginx/turnero.log", str(folder / "access.log")),
    ]
    for old, new in replacements:
        assert old in text, f"{old!r} not in the shipped nginx file"
        text = text.replace(old, new)
    return text


@pytest.fixture
def proxy(make_server: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    need(Path(nginx).exists(), "nginx")
    server = make_server()
    cert, key = self_signed(tmp_path)
    http_port, https_port = free_port(), free_port()
    (tmp_path / "turnero.conf").write_text(
        site_for_test(server.port, http_port, https_port, tmp_path, cert, key), encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {tmp_path}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp}
    include {tmp_path}/turnero.conf;
}}
""", encoding="utf-8")
    check = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    with open(tmp_path / "nginx.out", "wb") as out:
        process = subprocess.Popen([nginx, "-p", str(tmp_path), "-c",
                                    str(tmp_path / "nginx.conf")], stdout=out, stderr=out)
    context = trusting(cert)
    deadline = time.monotonic() + 15
    while True:
        assert process.poll() is None, (tmp_path / "nginx.out").read_text()
        try:
            httpx.get(f"https://127.0.0.1:{https_port}/healthz", verify=context, timeout=1)
            break
        except httpx.HTTPError:
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield {"server": server, "https": f"https://127.0.0.1:{https_port}",
           "wss": f"wss://127.0.0.1:{https_port}", "http": f"http://127.0.0.1:{http_port}",
           "context": context, "log": tmp_path / "access.log"}
    process.terminate()
    process.wait(timeout=15)


def test_https_through_nginx_signs_in_with_a_secure_cookie(proxy: dict[str, Any]) -> None:
    with httpx.Client(base_url=proxy["https"], verify=proxy["context"], timeout=10) as client:
        assert client.get("/panel").status_code == 200
        r = client.post("/api/v1/auth/login",
                        json={"username": "clerk1", "password": PASSWORD, "counter": 1})
        assert r.status_code == 200, r.text
        session = next(c for c in r.headers.get_list("set-cookie")
                       if c.startswith("turnero_session="))
        assert "secure" in session.lower()  # Turnero saw X-Forwarded-Proto: https
    plain = httpx.get(f"{proxy['http']}/panel", timeout=10)
    assert plain.status_code == 301 and plain.headers["location"].startswith("https://")


def test_a_board_websocket_works_through_nginx_and_its_log_keeps_no_token(
        proxy: dict[str, Any]) -> None:
    server = proxy["server"]
    token = server.display_token
    board = httpx.get(f"{proxy['https']}/display?token={token}", verify=proxy["context"],
                      follow_redirects=False, timeout=10)
    assert board.status_code == 303 and "secure" in board.headers["set-cookie"].lower()

    async def scenario() -> dict[str, Any]:
        url = f"{proxy['wss']}/api/v1/events?token={token}"
        async with websockets.connect(url, ssl=proxy["context"]) as ws:
            snapshot = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert snapshot["type"] == "snapshot"
            await asyncio.to_thread(server.issue, "B")
            while True:
                message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if message["type"] == "ticket.issued":
                    return message

    assert asyncio.run(scenario())["ticket"]["service"] == "B"
    log = proxy["log"].read_text(encoding="utf-8")
    assert re.search(r'"GET /display" 303', log) and "/api/v1/events" in log
    assert token not in log
