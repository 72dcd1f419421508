"""``turnero setup``: a new office from nothing, and never over an existing one."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import httpx

from server.config import DEMO_CONFIG
from tests.conftest import ROOT, LiveServer, subprocess_env

ADMIN_PASSWORD = "clave-del-tecnico-1"


def setup(config: Path, db: Path, *extra: str, password: str = ADMIN_PASSWORD,
          ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", "setup", "--config", str(config), "--db", str(db),
         "--password-stdin", *extra],
        input=password + "\n", capture_output=True, text=True, timeout=60,
        env=subprocess_env(), cwd=ROOT)


def test_setup_makes_the_office_and_its_admin_signs_in(tmp_path: Path) -> None:
    config = tmp_path / "etc" / "oficina.toml"
    db = tmp_path / "var" / "lib" / "turnero" / "turnero.db"

    first = setup(config, db)  # no office file yet: an example to edit, nothing else
    assert first.returncode == 2 and "Edítelo" in first.stderr
    assert config.read_bytes() == DEMO_CONFIG.read_bytes()
    assert not db.parent.exists()

    done = setup(config, db, "--admin", "tecnico", "--public-url", "http://10.0.0.5:8000")
    assert done.returncode == 0, done.stderr
    assert "turnero token create --role kiosk" in done.stdout
    assert "turnero token create --role display" in done.stdout
    assert "systemctl enable --now turnero" in done.stdout
    assert "http://10.0.0.5:8000/admin" in done.stdout
    assert db.stat().st_mode & 0o777 == 0o640
    assert db.parent.stat().st_mode & 0o777 == 0o750

    server = LiveServer(db=db, config=config)
    server.start()
    try:
        r = httpx.post(f"{server.base_url}/api/v1/auth/login",
                       json={"username": "tecnico", "password": ADMIN_PASSWORD}, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["role"] == "admin"
    finally:
        server.stop()


def test_setup_refuses_to_touch_an_existing_office(tmp_path: Path) -> None:
    db = tmp_path / "turnero.db"
    assert setup(DEMO_CONFIG, db).returncode == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    again = setup(DEMO_CONFIG, db, "--admin", "otro")
    assert again.returncode == 2
    assert "Ya hay una oficina" in again.stderr and "Traceback" not in again.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_refused_password_or_name_leaves_nothing_behind(tmp_path: Path) -> None:
    db = tmp_path / "datos" / "turnero.db"
    weak = setup(DEMO_CONFIG, db, password="corta")
    assert weak.returncode == 2 and "al menos" in weak.stderr
    bad_name = setup(DEMO_CONFIG, db, "--admin", "con espacio")
    assert bad_name.returncode == 2 and "espacios" in bad_name.stderr
    assert "Traceback" not in weak.stderr + bad_name.stderr
    assert not list(db.parent.glob("turnero.db*"))
    assert setup(DEMO_CONFIG, db).returncode == 0  # and it can be run again, fixed


def test_a_data_folder_that_cannot_be_made_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "var"
    blocker.write_text("un archivo, no una carpeta")
    result = setup(DEMO_CONFIG, blocker / "turnero" / "turnero.db")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "No se pudo preparar la oficina" in result.stderr and "sudo -u turnero" in result.stderr
