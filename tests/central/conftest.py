"""Fixtures for the central reporting tests: one real PostgreSQL cluster for the whole
session (Debian's server, a temporary folder, the unprivileged ``postgres`` user), a fresh
database per test (``CREATE DATABASE … TEMPLATE``), and real ``turnero central serve``
subprocesses."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.central import pgcluster
from tests.conftest import (
    ROOT,
    free_port,
    need,
    start_server_process,
    stop_server_process,
    subprocess_env,
)

CENTRAL_PASSWORD = "clave-central-1"
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg() -> Iterator[pgcluster.Cluster]:
    need(pgcluster.available(), "PostgreSQL server (Debian package postgresql)")
    cluster = pgcluster.Cluster.start()
    try:
        import psycopg

        from central.storage import migrate

        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE central_template")
        with psycopg.connect(cluster.dsn("central_template")) as conn:
            migrate(conn)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def central_dsn(pg: pgcluster.Cluster) -> str:
    """A fresh, migrated database for this test."""
    import psycopg

    name = f"central_{next(_numbers)}"
    with psycopg.connect(pg.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE central_template")
    return pg.dsn(name)


def turnero(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server", *args], input=stdin,
                          capture_output=True, text=True, env=subprocess_env(), cwd=ROOT,
                          timeout=60)


@dataclass
class CentralServer:
    dsn: str
    folder: Path
    port: int = field(default_factory=free_port)
    extra_args: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        self.process = start_server_process(
            [sys.executable, "-m", "server", "central", "serve", "--database", self.dsn,
             "--port", str(self.port), *self.extra_args],
            self.folder / f"central-{self.port}.log", f"{self.base_url}/healthz", timeout)

    def stop(self) -> None:
        if self.process is not None:
            stop_server_process(self.process)
        self.process = None

    def log(self) -> str:
        path = self.folder / f"central-{self.port}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def add_office(self, code: str, name: str) -> str:
        done = turnero("central", "office", "add", code, "--name", name, "--database", self.dsn)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def add_user(self, name: str, role: str = "supervisor") -> None:
        done = turnero("central", "user", "add", name, "--role", role, "--password-stdin",
                       "--database", self.dsn, stdin=CENTRAL_PASSWORD + "\n")
        assert done.returncode == 0, done.stderr

    def login(self, name: str) -> httpx.Client:
        r = httpx.post(f"{self.base_url}/api/v1/central/auth/login",
                       json={"username": name, "password": CENTRAL_PASSWORD}, timeout=10)
        assert r.status_code == 200, r.text
        return httpx.Client(base_url=self.base_url, timeout=30,
                            headers={"Authorization": f"Bearer {r.json()['token']}"})


@pytest.fixture
def make_central(central_dsn: str, tmp_path: Path) -> Iterator[Any]:
    servers: list[CentralServer] = []

    def make(start: bool = True, extra_args: list[str] | None = None) -> CentralServer:
        server = CentralServer(central_dsn, tmp_path, extra_args=extra_args or [])
        if start:
            server.start()
        servers.append(server)
        return server

    yield make
    for s in servers:
        s.stop()


def wait_until_sent(office: Any, token: str, timeout: float = 60.0) -> dict[str, Any]:
    """Poll the office's own status until nothing waits (the sender reports no event)."""
    deadline = time.monotonic() + timeout
    status: dict[str, Any] = {}
    with office.client(token) as c:
        while time.monotonic() < deadline:
            status = c.get("/api/v1/central/status").json()
            if status["pending"] == 0 and status["last_success_at"]:
                return status
            time.sleep(0.2)
    raise AssertionError(f"the office did not catch up: {status}\n{office.log()}")
