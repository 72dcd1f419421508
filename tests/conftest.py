"""Shared fixtures: they start real things.

- ``live_server``: a real ``turnero serve`` (uvicorn) subprocess on 127.0.0.1 and a free port,
  with a real SQLite file in tmp_path, the demo office, open all hours, and ready users and
  device tokens.
- ``browser``: Debian's real headless Chromium through Playwright (no browser download).
  Locally it skips when Chromium is missing; with TURNERO_REQUIRE_ALL=1 (set by .ci/run) a
  missing browser is a failure, never a skip.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "server" / "demo" / "office.toml"
ARTIFACTS = Path(os.environ.get("TURNERO_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM = os.environ.get("TURNERO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
REQUIRE_ALL = os.environ.get("TURNERO_REQUIRE_ALL") == "1"

PASSWORD = "clave-de-prueba-1"
USERS = {
    "admin": "admin",
    "super": "supervisor",
    "clerk1": "clerk",
    "clerk2": "clerk",
    "clerk3": "clerk",
    "clerk4": "clerk",
}


def need(condition: bool, what: str) -> None:
    """Skip locally when a real part is missing; fail in CI (TURNERO_REQUIRE_ALL=1)."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{what} is required in CI but missing")
    pytest.skip(f"{what} missing")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def prepare_database(db: Path, config: Path = DEMO_CONFIG, seed: Any = None) -> dict[str, str]:
    """Users (password PASSWORD) and one kiosk, one display and one hardware token (counters 1
    and 2), made in-process.
    ``seed`` (an OfficeConfig) replaces the TOML file as the new database's configuration."""
    from server import bootstrap
    from server.auth import Passwords
    from server.config import load_config

    services = bootstrap.build(db, seed or load_config(config), passwords=Passwords.cheap())
    try:
        store, accounts = services.store, services.accounts
        pw_hash = _password_hash()

        def add_users(tx: Any) -> None:
            existing = {u.username for u in tx.users()}
            for name, role in USERS.items():
                if name not in existing:
                    tx.insert_user(name, name.capitalize(), role, pw_hash, time.time())

        store.run_sync(add_users)
        kiosk, _ = accounts.create_device_token_sync("kiosk", "quiosco-prueba")
        display, _ = accounts.create_device_token_sync("display", "pantalla-prueba")
        hardware, _ = accounts.create_device_token_sync("hardware", "puente-prueba", [1, 2])
    finally:
        services.close()
    return {"kiosk": kiosk, "display": display, "hardware": hardware}


@functools.cache
def _password_hash() -> str:
    """Hashed once per test session, with the cheap test-only argon2 parameters: verifying a
    hash costs what its own parameters say, so every test sign-in is fast too."""
    from server.auth import Passwords

    return Passwords.cheap().hash(PASSWORD)


def start_server_process(cmd: list[str], log_path: Path, health_url: str, timeout: float,
                         verify: Any = True) -> subprocess.Popen[bytes]:
    """Start a server subprocess (output appended to ``log_path``) and return once
    ``health_url`` answers 200; RuntimeError with the log if it exits or never answers."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=subprocess_env(),
                               cwd=ROOT)
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

    def start(self, timeout: float = 20.0) -> None:
        cmd = [sys.executable, "-m", "server", "serve", "--db", str(self.db), "--config",
               str(self.config), "--port", str(self.port), *self.extra_args]
        if self.open_all_hours:
            cmd.append("--open-all-hours")
        self.log_path = self.db.with_suffix(f".{self.port}.log")
        self.process = start_server_process(cmd, self.log_path, f"{self.base_url}/healthz",
                                            timeout, verify=self.verify)

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


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Any]:
    """Factory: ``make_server(config=..., extra_args=[...], open_all_hours=True)`` → started
    LiveServer (``open_all_hours=False`` keeps the office's real hours)."""
    servers: list[LiveServer] = []

    def make(config: Path = DEMO_CONFIG, extra_args: list[str] | None = None,
             db: Path | None = None, open_all_hours: bool = True) -> LiveServer:
        db = db or tmp_path / f"turnero-{len(servers)}.db"
        server = LiveServer(db=db, config=config, extra_args=extra_args or [],
                            open_all_hours=open_all_hours)
        server.tokens = prepare_database(db, config)
        server.start()
        servers.append(server)
        return server

    yield make
    for s in servers:
        s.stop()


@pytest.fixture
def live_server(make_server: Any) -> LiveServer:
    server: LiveServer = make_server()
    return server


# Module scope, not session: Playwright's sync API keeps an asyncio loop marked as running in
# this thread while it lives, which would break every later test that calls asyncio.run().
@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Any]:
    need(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_instance: Any) -> Iterator[Any]:
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                            headless=True)
    yield b
    b.close()


@pytest.fixture(autouse=True)
def _free_event_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Playwright's sync API keeps its event loop marked as running in the main thread for the
    whole session, which makes ``asyncio.run`` fail in every later test. Tests that do not use
    the browser get the thread's running-loop slot cleared for their duration."""
    import asyncio

    loop = asyncio.events._get_running_loop()
    if loop is None or {"browser", "playwright_instance"} & set(request.fixturenames):
        yield
        return
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)


# ----------------------------------------------------------------------- accessibility
AXE_DIR = Path(os.environ.get("TURNERO_AXE_DIR", Path.home() / ".cache" / "turnero-axe"))
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into a cache folder (never committed)."""
    if not AXE_JS.exists():
        need(shutil.which("npm") is not None, "npm (to install axe-core)")
        subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "axe-core@4", "--no-audit",
                        "--no-fund", "--silent"], check=False, timeout=300,
                       capture_output=True)
    need(AXE_JS.exists(), "axe-core")
    return AXE_JS.read_text(encoding="utf-8")


def serious_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return serious and critical violations.
    The page's CSP forbids injected scripts, so the context must be made with bypass_csp."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots and other test artifacts (kept after the run)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI (TURNERO_REQUIRE_ALL=1) a skipped test is a failed test: nothing goes untested."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed: {report.longrepr}"
