"""HTTPS on the LAN: ``turnero serve --tls-cert --tls-key`` serves TLS itself, so passwords and
session tokens never cross the office Wi-Fi in clear text, and its cookies are ``Secure``."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from tests.conftest import PASSWORD, ROOT, LiveServer, prepare_database, subprocess_env
from tests.tls_cert import self_signed, trusting


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[LiveServer]:
    cert, key = self_signed(tmp_path)
    db = tmp_path / "turnero.db"
    server = LiveServer(db=db, extra_args=["--tls-cert", str(cert), "--tls-key", str(key)],
                        scheme="https", verify=trusting(cert))
    server.tokens = prepare_database(db)
    server.start()
    yield server
    server.stop()


def test_sign_in_over_https_gets_a_secure_cookie_and_plain_http_gets_nothing(
        tls_server: LiveServer) -> None:
    with httpx.Client(base_url=tls_server.base_url, verify=tls_server.verify,
                      timeout=10) as client:
        assert client.get("/panel").status_code == 200
        r = client.post("/api/v1/auth/login",
                        json={"username": "clerk1", "password": PASSWORD, "counter": 1})
        assert r.status_code == 200, r.text
        cookies = r.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith("turnero_session="))
        assert "secure" in session.lower() and "httponly" in session.lower()
        board = client.get(f"/display?token={tls_server.display_token}",
                           follow_redirects=False)
        assert board.status_code == 303
        assert "secure" in board.headers["set-cookie"].lower()
    with pytest.raises(httpx.HTTPError):  # the same port never answers in clear text
        httpx.get(f"http://127.0.0.1:{tls_server.port}/panel", timeout=5)


def test_a_board_websocket_over_tls_gets_the_snapshot_and_a_new_ticket(
        tls_server: LiveServer) -> None:
    async def scenario() -> dict[str, object]:
        url = f"{tls_server.ws_url}/api/v1/events?token={tls_server.display_token}"
        async with websockets.connect(url, ssl=tls_server.verify) as ws:
            snapshot = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert snapshot["type"] == "snapshot"
            await asyncio.to_thread(issue, tls_server)
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if message["type"] == "ticket.issued":
                    return message

    event = asyncio.run(scenario())
    assert event["ticket"]["service"] == "A"  # type: ignore[index]


def issue(server: LiveServer) -> None:
    r = httpx.post(f"{server.base_url}/api/v1/tickets", json={"service": "A"},
                   headers={"Authorization": f"Bearer {server.kiosk_token}"},
                   verify=server.verify, timeout=10)
    assert r.status_code == 201, r.text
    assert r.json()["status_url"].startswith(server.base_url)  # the QR says https://


def test_a_key_that_does_not_match_the_certificate_is_refused_before_starting(
        tmp_path: Path) -> None:
    cert, _key = self_signed(tmp_path, "uno")
    _other_cert, other_key = self_signed(tmp_path, "otro")
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--db", str(tmp_path / "t.db"),
         "--tls-cert", str(cert), "--tls-key", str(other_key)],
        capture_output=True, text=True, timeout=30, env=subprocess_env(), cwd=ROOT)
    assert result.returncode == 2
    assert "no sirven juntos" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "t.db").exists()
    missing = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--db", str(tmp_path / "t.db"),
         "--tls-cert", str(cert)],
        capture_output=True, text=True, timeout=30, env=subprocess_env(), cwd=ROOT)
    assert missing.returncode == 2 and "--tls-key" in missing.stderr


def test_a_kiosk_trusts_the_office_certificate_through_ssl_cert_file(
        tls_server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/deploy.md: a kiosk talks HTTPS once SSL_CERT_FILE names the office certificate."""
    from kiosk.api import KioskApi, ServerError
    from kiosk.flow import Fault

    cert = next(tmp_path.glob("turnero.crt"))
    untrusting = KioskApi(tls_server.base_url, tls_server.kiosk_token)
    try:
        with pytest.raises(ServerError, match="CERTIFICATE_VERIFY_FAILED") as refused:
            untrusting.catalog()
        assert refused.value.fault is Fault.UNREACHABLE
    finally:
        untrusting.close()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    api = KioskApi(tls_server.base_url, tls_server.kiosk_token)
    try:
        assert api.catalog().services
    finally:
        api.close()
