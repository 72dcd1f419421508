"""Shared fixtures: they start real things.

- ``live_server``: a real ``turnero serve`` (uvicorn) subprocess on 127.0.0.1 and a free port,
  with a real SQLite file in tmp_path, the demo office, open all hours, and ready users and
  device tokens.
- ``browser``: Debian's real headless Chromium through Playwright (no browser download).
  Locally it skips when Chromium is missing; with TURNERO_REQUIRE_ALL=1 (set by .ci/run) a
  missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from server.harness import (  # noqa: F401 - re-exported for the test modules
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_CONFIG,
    PASSWORD,
    ROOT,
    USERS,
    LiveServer,
    free_port,
    password_hash,
    prepare_database,
    start_server_process,
    stop_server_process,
    subprocess_env,
)

ARTIFACTS = Path(os.environ.get("TURNERO_ARTIFACTS", ROOT / "test-artifacts"))
REQUIRE_ALL = os.environ.get("TURNERO_REQUIRE_ALL") == "1"


T = TypeVar("T")

def need(condition: bool, what: str) -> None:
    """Skip locally when a real part is missing; fail in CI (TURNERO_REQUIRE_ALL=1)."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{what} is required in CI but missing")
    pytest.skip(f"{what} missing")


def eventually(probe: Callable[[], T], done: Callable[[T], bool], what: str,
               timeout: float = 30.0) -> T:
    """``probe()`` again every 0.2 s until ``done`` of its value, which it returns; for
    another process's state (a server's sender, seen over HTTP): there is no event of ours
    to await there. Fails with ``what`` and the last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not done(value := probe()):
        assert time.monotonic() < deadline, f"{what}: {value}"
        time.sleep(0.2)
    return value


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


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for all the tests of a module that neither restart it nor change what the
    others look at (role checks, refused requests, pages): a server start costs seconds."""
    db = tmp_path_factory.mktemp("shared") / "turnero.db"
    server = LiveServer(db=db)
    server.tokens = prepare_database(db)
    server.start()
    yield server
    server.stop()


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
