"""A real Turnero server in a subprocess, for the end-to-end tests and the benchmarks.

``LiveServer`` runs ``python -m server serve`` (uvicorn) on 127.0.0.1 and a free port with a
real SQLite file; ``prepare_database`` adds users (password ``PASSWORD``) and one token of each
device role. Test servers hash with the cheap test-only argon2 parameters
(``Passwords.cheap``, via ``TURNERO_TEST_CHEAP_ARGON2``); production never does.
Not a test module: ``tests/conftest.py`` and ``bench/`` both import it.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "server" / "demo" / "office.toml"

#: Debian's Chromium, for the browser tests and the board benchmark.
CHROMIUM = os.environ.get("TURNERO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]

PASSWORD = "clave-de-prueba-1"
USERS = {
    "admin": "admin",
    "super": "supervisor",
    "clerk1": "clerk",
    "clerk2": "clerk",
    "clerk3": "clerk",
    "clerk4": "clerk",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def subprocess_env(root: Path = ROOT, **extra: str) -> dict[str, str]:
    """The environment for a child Python that imports Turnero from ``root``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def prepare_database(db: Path, config: Path = DEMO_CONFIG, seed: Any = None) -> dict[str, str]:
    """Users (password PASSWORD) and one kiosk, one display, one hardware (counters 1 and 2)
    and one survey-tablet token, made in-process.
    ``seed`` (an OfficeConfig) replaces the TOML file as the new database's configuration."""
    from server import bootstrap
    from server.auth import Passwords
    from server.config import load_config

    services = bootstrap.build(db, seed or load_config(config), passwords=Passwords.cheap())
    try:
        store, accounts = services.store, services.accounts
        pw_hash = password_hash()

        def add_users(tx: Any) -> None:
            existing = {u.username for u in tx.users()}
            for name, role in USERS.items():
                if name not in existing:
                    tx.insert_user(name, name.capitalize(), role, pw_hash, time.time())

        store.run_sync(add_users)
        kiosk, _ = accounts.create_device_token_sync("kiosk", "quiosco-prueba")
        display, _ = accounts.create_device_token_sync("display", "pantalla-prueba")
        hardware, _ = accounts.create_device_token_sync("hardware", "puente-prueba", [1, 2])
        survey, _ = accounts.create_device_token_sync("survey", "tableta-prueba")
    finally:
        services.close()
    return {"kiosk": kiosk, "display": display, "hardware": hardware, "survey": survey}


@functools.cache
def password_hash() -> str:
    """Hashed once per test session, with the cheap test-only argon2 parameters: verifying a
    hash costs what its own parameters say, so every test sign-in is fast too."""
    from server.auth import Passwords

    return Passwords.cheap().hash(PASSWORD)


def start_server_process(cmd: list[str], log_path: Path, health_url: str, timeout: float,
                         verify: Any = True, root: Path = ROOT,
                         env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start a server subprocess (output appended to ``log_path``) and return once
    ``health_url`` answers 200; RuntimeError with the log if it exits or never answers."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                               env=env or subprocess_env(root), cwd=root)
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')}")
        try:
            if httpx.get(health_url, timeout=0.5, verify=verify).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise RuntimeError(f"server did not start: {log_path.read_text(errors='replace')}")


def stop_server_process(process: subprocess.Popen[bytes], kill: bool = False) -> None:
    """SIGTERM (or SIGKILL) and wait; killed if it has not ended after 15 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class LiveServer:
    db: Path
    config: Path = DEMO_CONFIG
    extra_args: list[str] = field(default_factory=list)
    open_all_hours: bool = True
    port: int = field(default_factory=free_port)
    tokens: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    #: "https" for a server started with --tls-cert; ``verify`` is then an SSLContext trusting it.
    scheme: str = "http"
    verify: Any = True
    #: Source tree the server runs from (a benchmark may compare an older checkout).
    root: Path = ROOT
    #: Cheap argon2 for passwords this server hashes (tests); False: production argon2.
    cheap_passwords: bool = True
    #: More environment for the server process (a ``TMPDIR`` of its own, say).
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"{self.scheme.replace('http', 'ws')}://127.0.0.1:{self.port}"

    @property
    def kiosk_token(self) -> str:
        return self.tokens["kiosk"]

    @property
    def display_token(self) -> str:
        return self.tokens["display"]

    @property
    def survey_token(self) -> str:
        return self.tokens["survey"]

    def start(self, timeout: float = 20.0) -> None:
        cmd = [sys.executable, "-m", "server", "serve", "--db", str(self.db), "--config",
               str(self.config), "--port", str(self.port), *self.extra_args]
        if self.open_all_hours:
            cmd.append("--open-all-hours")
        self.log_path = self.db.with_suffix(f".{self.port}.log")
        extra = {"TURNERO_TEST_CHEAP_ARGON2": "1"} if self.cheap_passwords else {}
        extra.update(self.env)
        self.process = start_server_process(cmd, self.log_path, f"{self.base_url}/healthz",
                                            timeout, verify=self.verify, root=self.root,
                                            env=subprocess_env(self.root, **extra))

    def stop(self, kill: bool = False) -> None:
        if self.process is None:
            return
        stop_server_process(self.process, kill)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    # -- clients -------------------------------------------------------------------------
    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=10)

    def login(self, username: str, counter: int | None = None, force: bool = False) -> str:
        body: dict[str, Any] = {"username": username, "password": PASSWORD}
        if counter is not None:
            body["counter"] = counter
        if force:
            body["force"] = True
        r = httpx.post(f"{self.base_url}/api/v1/auth/login", json=body, timeout=10)
        assert r.status_code == 200, r.text
        token: str = r.json()["token"]
        return token

    def issue(self, service: str = "A", group: str | None = None) -> dict[str, Any]:
        r = httpx.post(f"{self.base_url}/api/v1/tickets", json={"service": service,
                       "group": group}, headers={"Authorization": f"Bearer {self.kiosk_token}"},
                       timeout=10)
        assert r.status_code == 201, r.text
        data: dict[str, Any] = r.json()
        return data
