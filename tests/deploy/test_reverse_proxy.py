"""deploy/nginx-turnero.conf and deploy/Caddyfile for real: each proxy terminates HTTPS in
front of a real Turnero server; the sign-in cookie comes back ``Secure`` (Turnero trusts
X-Forwarded-Proto from 127.0.0.1), a board's websocket works through the proxy, plain HTTP is
redirected, and the proxy's own log keeps no token. Only ports and paths are changed in the
shipped files, and each change is asserted to apply."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import PASSWORD, ROOT, LiveServer, free_port, need
from tests.tls_cert import self_signed, trusting

DEPLOY = ROOT / "deploy"


def moved(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, f"{old!r} is no longer in the shipped file"
        text = text.replace(old, new, 1)
    return text


def nginx_config(folder: Path, turnero_port: int, http_port: int, https_port: int) -> Path:
    cert, key = self_signed(folder)
    site = moved((DEPLOY / "nginx-turnero.conf").read_text(encoding="utf-8"), [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{turnero_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen [::]:443 ssl;", ""),
        ("/etc/turnero/tls/turnero.crt", str(cert)),
        ("/etc/turnero/tls/turnero.key", str(key)),
        ("/var/log/nginx/turnero.log", str(folder / "proxy.log")),
    ])
    (folder / "turnero.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = folder / "nginx.conf"
    main.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp}
    include {folder}/turnero.conf;
}}
""", encoding="utf-8")
    return main


def caddy_config(folder: Path, turnero_port: int, http_port: int, https_port: int) -> Path:
    test_only = "\n".join([
        f"\thttp_port {http_port}", f"\thttps_port {https_port}", "\tskip_install_trust",
        "\tadmin off", f"\tstorage file_system {folder}/caddy-data", "\tdefault_sni 127.0.0.1",
        "\tservers {", "\t\tprotocols h1 h2", "\t}"])
    text = moved((DEPLOY / "Caddyfile").read_text(encoding="utf-8"), [
        ("\n{\n", f"\n{{\n{test_only}\n"),
        ("https://turnero.local, https://192.168.1.10 {", "https://127.0.0.1 {"),
        ("reverse_proxy 127.0.0.1:8000", f"reverse_proxy 127.0.0.1:{turnero_port}"),
    ])
    path = folder / "Caddyfile"
    path.write_text(text, encoding="utf-8")
    return path


class PortTaken(Exception):
    """A port ``free_port`` handed out was taken before the proxy bound it (the kernel may
    give it to any new outgoing connection meanwhile): start again on new ports."""


def start_proxy(kind: str, folder: Path, server: LiveServer) -> tuple[subprocess.Popen[bytes],
                                                                       dict[str, Any]]:
    for _ in range(4):
        try:
            return start_proxy_once(kind, folder, server)
        except PortTaken:
            continue
    raise AssertionError(f"{kind}: every port tried was taken")


def start_proxy_once(kind: str, folder: Path, server: LiveServer
                     ) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    http_port, https_port = free_port(), free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder),
           "XDG_DATA_HOME": str(folder), "XDG_CONFIG_HOME": str(folder)}
    if kind == "nginx":
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        need(Path(nginx).exists(), "nginx")
        config = nginx_config(folder, server.port, http_port, https_port)
        check = subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(config)],
                               capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        cmd = [nginx, "-p", str(folder), "-c", str(config)]
        root_cert = folder / "turnero.crt"
        output = folder / "nginx.out"  # its access log is proxy.log
    else:
        caddy = shutil.which("caddy")
        need(caddy is not None, "caddy")
        assert caddy is not None
        config = caddy_config(folder, server.port, http_port, https_port)
        cmd = [caddy, "run", "--adapter", "caddyfile", "--config", str(config)]
        root_cert = folder / "caddy-data" / "pki" / "authorities" / "local" / "root.crt"
        output = folder / "proxy.log"  # Caddy logs to standard error
    with open(output, "wb") as out:  # a fresh log per attempt
        process = subprocess.Popen(cmd, stdout=out, stderr=out, env=env)
    base = f"https://127.0.0.1:{https_port}"
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            if "address already in use" in output.read_text(errors="replace").lower():
                raise PortTaken(kind)
            raise AssertionError(f"{kind} stopped")
        try:
            if root_cert.exists():
                httpx.get(f"{base}/healthz", verify=trusting(root_cert), timeout=1)
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"{kind} did not start"
        time.sleep(0.05)
    return process, {"https": base, "wss": f"wss://127.0.0.1:{https_port}",
                     "http": f"http://127.0.0.1:{http_port}", "context": trusting(root_cert),
                     "log": folder / "proxy.log"}


@pytest.fixture(params=["nginx", "caddy"])
def proxy(request: pytest.FixtureRequest, make_server: Any, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    # As docs/deploy.md says: Turnero believes forwarded headers from the local proxy only.
    monkeypatch.setenv("TURNERO_TRUSTED_PROXIES", "127.0.0.1")
    server = make_server()
    process, info = start_proxy(request.param, tmp_path, server)
    yield {"kind": request.param, "server": server, **info}
    process.terminate()
    process.wait(timeout=15)


def test_https_through_the_proxy_signs_in_with_a_secure_cookie(proxy: dict[str, Any]) -> None:
    with httpx.Client(base_url=proxy["https"], verify=proxy["context"], timeout=10) as client:
        assert client.get("/panel").status_code == 200
        r = client.post("/api/v1/auth/login",
                        json={"username": "clerk1", "password": PASSWORD, "counter": 1})
        assert r.status_code == 200, r.text
        session = next(c for c in r.headers.get_list("set-cookie")
                       if c.startswith("turnero_session="))
        assert "secure" in session.lower()  # Turnero saw X-Forwarded-Proto: https
    plain = httpx.get(f"{proxy['http']}/panel", timeout=10)
    assert plain.status_code in (301, 308)
    assert plain.headers["location"].startswith("https://")


def test_a_board_websocket_works_through_the_proxy_and_its_log_keeps_no_token(
        proxy: dict[str, Any]) -> None:
    server: LiveServer = proxy["server"]
    token = server.display_token
    board = httpx.get(f"{proxy['https']}/display?token={token}", verify=proxy["context"],
                      follow_redirects=False, timeout=10)
    assert board.status_code == 303 and "secure" in board.headers["set-cookie"].lower()

    cookie = board.headers["set-cookie"].split(";", 1)[0]

    async def scenario() -> list[dict[str, Any]]:
        # as the bridge does (token in the address) and as the TV's Chromium does (the board
        # cookie, with the page's Origin)
        by_token = websockets.connect(f"{proxy['wss']}/api/v1/events?token={token}",
                                      ssl=proxy["context"])
        by_cookie = websockets.connect(f"{proxy['wss']}/api/v1/events", ssl=proxy["context"],
                                       origin=proxy["https"],  # type: ignore[arg-type]
                                       additional_headers={"Cookie": cookie})
        async with by_token as ws1, by_cookie as ws2:
            for ws in (ws1, ws2):
                snapshot = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert snapshot["type"] == "snapshot"
            await asyncio.to_thread(server.issue, "B")
            issued = []
            for ws in (ws1, ws2):
                while True:
                    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
                    if message["type"] == "ticket.issued":
                        issued.append(message)
                        break
            return issued

    assert [m["ticket"]["service"] for m in asyncio.run(scenario())] == ["B", "B"]

    # With Turnero down the proxy logs the failed request, address included: not the token.
    server.stop()
    down = httpx.get(f"{proxy['https']}/display?token={token}", verify=proxy["context"],
                     timeout=10)
    assert down.status_code == 502
    log = proxy["log"].read_text(encoding="utf-8")
    assert "/display" in log and token not in log
    if proxy["kind"] == "nginx":
        assert '"GET /display" 303' in log and "/api/v1/events" in log
    else:
        assert "token=%5Boculto%5D" in log
