"""Kiosk test helpers: an office that is closed right now, the server's record of a ticket, and
a real kiosk window run in a subprocess (see driver.py)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from kiosk.texts import ES
from tests.conftest import (
    DEMO_CONFIG,
    ROOT,
    LiveServer,
    need,
    prepare_database,
    subprocess_env,
)

#: The buttons drawn above every screen ("Escuchar", "Letra grande", "Alto contraste" and
#: their "off" titles): not answers to the screen's question.
ACCESS = tuple(ES[key] for key in ("listen", "large_text", "large_text_off", "high_contrast",
                                   "high_contrast_off"))
#: The screen sizes the kiosk is laid out for, with a typical density for each.
SIZES = {"1080x1920": 96.0, "1920x1080": 96.0, "800x480": 133.0}


def closed_office_config(tmp_path: Path) -> Path:
    """The demo office, open only half an hour a day, three hours from now (so closed now)."""
    start = datetime.now(ZoneInfo("America/Bogota")) + timedelta(hours=3)
    period = f'["{start.hour:02d}:00-{start.hour:02d}:30"]'
    text = DEMO_CONFIG.read_text(encoding="utf-8")
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        text = re.sub(rf"^{day}\s*=.*$", f"{day} = {period}", text, flags=re.M)
    text = re.sub(r"^closed_dates\s*=.*$", "closed_dates = []", text, flags=re.M)
    text = re.sub(r"^national_holidays\s*=.*$", "national_holidays = false", text, flags=re.M)
    path = tmp_path / "closed-office.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def office_server(shared_server: LiveServer) -> LiveServer:
    """One demo-office server shared by a test module (starting one costs seconds); for tests
    that only issue and read tickets. Tests that stop the server use ``live_server``."""
    return shared_server


@pytest.fixture(scope="module")
def closed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose office is closed now (its real hours, no --open-all-hours)."""
    folder = tmp_path_factory.mktemp("closed")
    db = folder / "turnero.db"
    config = closed_office_config(folder)
    server = LiveServer(db=db, config=config, open_all_hours=False)
    server.tokens = prepare_database(db, config)
    server.start()
    yield server
    server.stop()


def history(server: LiveServer, ticket_id: str) -> list[dict[str, Any]]:
    with server.client(server.login("super")) as c:
        r = c.get(f"/api/v1/tickets/{ticket_id}/history")
        assert r.status_code == 200, r.text
        data: list[dict[str, Any]] = r.json()
        return data


def print_status(server: LiveServer, ticket_id: str) -> str | None:
    """What the server stored about printing (the column a supervisor report reads)."""
    with sqlite3.connect(server.db) as db:
        row = db.execute("SELECT print_status FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    assert row is not None
    value: str | None = row[0]
    return value


def waiting(server: LiveServer) -> dict[str, tuple[int, int]]:
    """GET /api/v1/queue: (general, preferential) tickets waiting per service."""
    with server.client(server.kiosk_token) as c:
        r = c.get("/api/v1/queue")
        assert r.status_code == 200, r.text
    return {s["code"]: (s["general"], s["preferential"]) for s in r.json()["services"]
            if s["waiting"]}


def distinct_colours(png: Path) -> int:
    with Image.open(png) as im:
        colours = im.convert("RGB").getcolors(1 << 24)
    return len(colours or [])


# --------------------------------------------------------------------------- kiosk window
@dataclass
class KioskRun:
    """One kiosk subprocess driven by driver.py; ``result`` once it ended."""

    spec_path: Path
    process: subprocess.Popen[bytes]
    log: Path
    result: dict[str, Any] = field(default_factory=dict)

    def wait_checkpoint(self, name: str, timeout: float = 60) -> None:
        marker = Path(f"{self.spec_path}.{name}.reached")
        deadline = time.monotonic() + timeout
        while not marker.exists():
            if self.process.poll() is not None:
                raise AssertionError(f"kiosk ended before {name}: {self.finish()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"kiosk did not reach {name}")
            time.sleep(0.05)

    def release(self, name: str) -> None:
        Path(f"{self.spec_path}.{name}.go").write_text("1")

    def finish(self, timeout: float = 120) -> dict[str, Any]:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        out = self.spec_path.with_suffix(".result.json")
        self.result = json.loads(out.read_text()) if out.exists() else {"ok": False}
        if not self.result.get("ok"):
            tail = self.log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"kiosk run failed: {self.result.get('error')}\n{tail}")
        assert self.result["errors"] == [], self.result["errors"]
        return self.result


@pytest.fixture
def kiosk(tmp_path: Path, artifacts: Path) -> Iterator[Any]:
    """``kiosk(size, steps, server=..., token=..., printer=..., **settings)`` → KioskRun,
    started; screenshots go to ``artifacts`` as ``kiosk-<size>-<name>.png``."""
    runs: list[KioskRun] = []

    def start(size: str, steps: list[dict[str, Any]], *, server: str, token: str,
              printer: str = "dummy", **settings: Any) -> KioskRun:
        n = len(runs)
        spec_path = tmp_path / f"kiosk-{n}.json"
        spec = {
            "settings": {"server": server, "token": token, "printer": printer, "size": size,
                         "dpi": SIZES.get(size, 96.0), "retry_s": 0.5, "refresh_s": 30,
                         "ticket_timeout_s": 60, "idle_timeout_s": 60, **settings},
            "steps": steps, "shots": str(artifacts), "prefix": f"kiosk-{size}",
        }
        spec_path.write_text(json.dumps(spec))
        home = tmp_path / f"kivy-home-{n}"
        home.mkdir()
        env = subprocess_env(SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1",
                             KIVY_NO_CONSOLELOG="1", KIVY_HOME=str(home))
        env.pop("DISPLAY", None)
        log = tmp_path / f"kiosk-{n}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "tests.kiosk.driver",
                                        str(spec_path)], stdout=out, stderr=subprocess.STDOUT,
                                       env=env, cwd=ROOT)
        run = KioskRun(spec_path, process, log)
        runs.append(run)
        return run

    yield start
    for run in runs:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()


def have_offscreen_gl() -> bool:
    """Kivy's bundled SDL2 needs the system's OpenGL (libgl1, libegl1, libgl1-mesa-dri)."""
    libs = ("libGL.so.1", "libEGL.so.1")
    dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
    return all(any(os.path.exists(os.path.join(d, lib)) for d in dirs) for lib in libs)


@pytest.fixture
def needs_gl() -> None:
    """Use with ``pytestmark = pytest.mark.usefixtures("needs_gl")`` in a module whose tests
    open a real Kivy window."""
    need(have_offscreen_gl(), "OpenGL libraries for Kivy (apt: libgl1 libegl1 libgl1-mesa-dri)")
