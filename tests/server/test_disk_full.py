"""A real full disk under a running server.

The database lives on a small tmpfs mounted for the test (needs root: CI runs as root; a
missing permission is a failure there, never a skip). The disk is filled with a plain file
until the kernel says ENOSPC (and the server is killed and restarted while it is full), then
freed. Writes must answer 503 with a Spanish message on the same keep-alive connection,
raise a supervisor alert, fail the health check, and recover by themselves. (A read-only
filesystem cannot be made under a live server: the kernel refuses to remount read-only while
the database is open for writing; the same handler covers SQLite's "readonly" and "disk I/O"
errors, see server/health.py; the last test checks the messages SQLite really gives.)
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.soak_day import fill
from tests.conftest import LiveServer, need, prepare_database
from tests.server.test_health import bridge_reports

SIZE = "6m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    need(os.geteuid() == 0, "root (mounts a small tmpfs as a real disk that fills up)")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)],
                   check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def server_on_disk(small_disk: Path) -> Iterator[LiveServer]:
    server = LiveServer(db=small_disk / "turnero.db")
    server.tokens = prepare_database(server.db)
    server.start()
    yield server
    server.stop()


class KeepAlive:
    """One HTTP/1.1 connection kept open across requests (as a kiosk's client does)."""

    def __init__(self, server: LiveServer, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any],
                                                                          dict[str, str]]:
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                          headers=self.headers)
        r = self.conn.getresponse()
        data = json.loads(r.read() or b"{}")
        return r.status, data, {k.lower(): v for k, v in r.getheaders()}


def issue_until_refused(client: KeepAlive, acknowledged: list[dict[str, Any]], limit: int = 5000
                        ) -> tuple[dict[str, Any], dict[str, str]]:
    for _ in range(limit):
        status, body, headers = client.request("POST", "/api/v1/tickets", {"service": "A"})
        if status == 201:
            acknowledged.append(body)
            continue
        assert status == 503, (status, body)
        return body, headers
    raise AssertionError("the full disk never refused a write")


def wait_health(server: LiveServer, status: int, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        r = httpx.get(f"{server.base_url}/api/v1/health", timeout=5)
        if r.status_code == status:
            data: dict[str, Any] = r.json()
            return data
        assert time.monotonic() < deadline, r.text
        time.sleep(0.1)


def test_full_disk_answers_503_alerts_and_recovers_by_itself(server_on_disk: LiveServer
                                                            ) -> None:
    server = server_on_disk
    kiosk = KeepAlive(server, server.kiosk_token)
    acknowledged: list[dict[str, Any]] = []
    for _ in range(20):
        status, body, _ = kiosk.request("POST", "/api/v1/tickets", {"service": "A"})
        assert status == 201
        acknowledged.append(body)
    supervisor = {"Authorization": f"Bearer {server.login('super')}"}
    bridge_reports(server)  # the test bridge is up: only storage may fail below
    assert wait_health(server, 200)["checks"]["database"]["writable"]

    reserve = server.db.parent / "reserva.bin"
    reserve.write_bytes(b"\0" * 16384)
    filler = fill(server.db.parent)
    refused, headers = issue_until_refused(kiosk, acknowledged)
    assert "disco" in refused["detail"] and "lleno" in refused["detail"]
    assert headers.get("connection", "").lower() != "close"
    sock = kiosk.conn.sock
    assert sock is not None
    status, _, _ = kiosk.request("GET", "/api/v1/services")
    assert status == 200 and kiosk.conn.sock is sock  # same keep-alive connection

    health = wait_health(server, 503)
    assert set(health["failing"]) == {"database", "disk"}
    assert "lleno" in health["checks"]["database"]["message"]
    alerts = httpx.get(f"{server.base_url}/api/v1/stats/today", headers=supervisor).json()[
        "alerts"]
    assert alerts[0]["kind"] == "storage.full" and "lleno" in alerts[0]["message"]

    # A crash while the disk is full: the server starts again, and still refuses cleanly.
    # (16 KB freed first, for the test server's log, which shares the small disk.)
    kiosk.conn.close()
    reserve.unlink()
    server.stop(kill=True)
    server.start()
    kiosk = KeepAlive(server, server.kiosk_token)
    refused, _ = issue_until_refused(kiosk, acknowledged)
    assert "lleno" in refused["detail"]

    filler.unlink()
    health = wait_health(server, 200)
    assert health["checks"]["database"]["writable"]
    status, body, _ = kiosk.request("POST", "/api/v1/tickets", {"service": "A"})
    assert status == 201
    acknowledged.append(body)
    alerts = httpx.get(f"{server.base_url}/api/v1/stats/today", headers=supervisor).json()[
        "alerts"]
    assert alerts[0]["kind"] == "storage.full" and "ya se recuperó" in alerts[0]["message"]

    kiosk.conn.close()
    server.stop(kill=True)
    conn = sqlite3.connect(server.db)
    stored = {r[0]: r[1] for r in conn.execute("SELECT id, number FROM tickets")}
    conn.close()
    assert [t["number"] for t in acknowledged if stored.get(t["id"]) != t["number"]] == []
    numbers = [int(t["number"].split("-")[1]) for t in acknowledged]
    assert numbers == sorted(set(numbers))  # no number given twice, none skipped back
    print(f"\nfull disk: {len(acknowledged)} acknowledged, all stored; refused with "
          f"{refused['detail']!r}")


def test_sqlite_write_failures_are_told_apart(tmp_path: Path) -> None:
    """The errors SQLite really raises for a read-only database and a database that cannot
    grow (``max_page_count``) map to the right Spanish message; other errors are not storage
    failures (they answer "ocupada")."""
    from server.health import storage_failure

    db = tmp_path / "x.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.commit()
    conn.close()
    ro = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as readonly:
            ro.execute("INSERT INTO t VALUES ('x')")
    finally:
        ro.close()
    assert storage_failure(readonly.value) == "readonly"
    full = sqlite3.connect(db)
    try:
        pages = full.execute("PRAGMA page_count").fetchone()[0]
        full.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlite3.OperationalError) as no_room:
            full.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    finally:
        full.close()
    assert storage_failure(no_room.value) == "full"
    assert storage_failure(sqlite3.OperationalError("database is locked")) is None
    assert storage_failure(ValueError("disk full")) is None
