"""``pip install turnero`` works: the package builds with ``python -m build`` from exactly the
files in git, the wheel holds every module and data file of the parts, and a fresh virtual
environment installed from it (dependencies from the package registry) runs the commands a
technician types and serves the pages, the vendored scripts and the API.

One test, about half a minute: copying, building (sdist, then the wheel from the sdist),
installing, then a real server from that environment.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import openpyxl

from tests.conftest import ROOT, free_port, need

PASSWORD = "clave-del-paquete-1"
#: Type declarations for the JavaScript checker: read by tsc, never served.
DEV_ONLY_SUFFIXES = (".d.ts",)


def parts() -> set[str]:
    """The top-level packages the distribution ships (``packages.find include``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    return {pattern.rstrip("*") for pattern in include}


def test_every_top_level_package_is_shipped() -> None:
    """A new part (a folder with an ``__init__.py``) must be added to ``include``."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages - parts() == set(), "add these to [tool.setuptools.packages.find]"


def tracked_files() -> list[str]:
    need(shutil.which("git") is not None and (ROOT / ".git").exists(), "git checkout")
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=30).stdout
    return [f for f in out.splitlines() if (ROOT / f).is_file()]


def clean_env() -> dict[str, str]:
    """The environment without this checkout on the path, so only the wheel can answer."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(cmd: list[str], cwd: Path, stdin: str | None = None, timeout: float = 120
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=clean_env())


def test_the_wheel_installs_into_a_fresh_venv_and_serves(tmp_path: Path) -> None:
    files = tracked_files()
    source = tmp_path / "src"
    for name in files:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)], tmp_path,
                timeout=300)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = next(dist.glob("turnero-*.whl"))
    sdist = next(dist.glob("turnero-*.tar.gz"))

    # every module and data file of the parts (html, js, css, kv, wav, toml, fonts, vendored
    # Chart.js, …) is in the wheel; the source archive also carries deploy/ and the guides
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    shipped_parts = parts()
    wanted = {f for f in files if f.split("/")[0] in shipped_parts and "__pycache__" not in f
              and not f.endswith(DEV_ONLY_SUFFIXES)}
    assert wanted - in_wheel == set(), "files of the parts missing from the wheel"
    with tarfile.open(sdist) as tar:
        in_sdist = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    shipped = {f for f in files if f.startswith(("deploy/", "docs/"))}
    assert shipped - in_sdist == set(), "deploy/ or docs/ files missing from the source archive"

    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], tmp_path).returncode == 0
    installed = run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], tmp_path,
                    timeout=300)
    assert installed.returncode == 0, installed.stderr[-3000:]
    turnero, python = str(venv / "bin" / "turnero"), str(venv / "bin" / "python")
    work = tmp_path / "oficina"
    work.mkdir()

    where = run([python, "-c", "import server.config as c; print(c.DEMO_CONFIG)"], work)
    example = Path(where.stdout.strip())
    assert example.is_relative_to(venv), "the code must come from the wheel"

    helped = run([turnero, "--help"], work)
    assert helped.returncode == 0 and "serve" in helped.stdout and "setup" in helped.stdout
    checked = run([turnero, "check-config", str(example)], work)
    assert checked.returncode == 0 and checked.stdout.startswith("OK:"), checked.stderr
    no_kivy = run([turnero, "kiosk", "--server", "http://127.0.0.1:9", "--token", "x",
                   "--printer", "dummy"], work)
    assert no_kivy.returncode == 2
    assert no_kivy.stderr.strip().splitlines() == [
        "El quiosco necesita Kivy, que no está instalado: pip install 'turnero[kiosk]'"]

    config, db = work / "oficina.toml", work / "datos" / "turnero.db"
    shutil.copyfile(example, config)
    where_args = ["--config", str(config), "--db", str(db)]
    made = run([turnero, "setup", *where_args, "--password-stdin"], work, stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    kiosk = run([turnero, "token", "create", "--role", "kiosk", "--name", "q", *where_args],
                work)
    display = run([turnero, "token", "create", "--role", "display", "--name", "tv",
                   *where_args], work)
    kiosk_token = kiosk.stdout.strip().splitlines()[-1]
    display_token = display.stdout.strip().splitlines()[-1]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen([turnero, "serve", *where_args, "--port", str(port),
                                   "--open-all-hours"], cwd=work, env=clean_env(),
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=10) as client:
            panel = client.get("/panel")
            assert panel.status_code == 200 and "<html" in panel.text.lower()
            for asset in ("/static/vendor/chart.umd.min.js", "/static/common/live.js",
                          "/static/common/staff.css", "/static/display/board.js",
                          "/static/swagger/swagger-ui-bundle.js"):
                assert client.get(asset).status_code == 200, asset
            assert client.get("/docs").status_code == 200
            board = client.get(f"/display?token={display_token}", follow_redirects=True)
            assert board.status_code == 200 and "/static/display/board.js" in board.text
            office = client.get("/api/v1/office",
                                headers={"Authorization": f"Bearer {kiosk_token}"})
            assert office.status_code == 200 and office.json()["name"]
            signed = client.post("/api/v1/auth/login",
                                 json={"username": "admin", "password": PASSWORD})
            assert signed.status_code == 200 and signed.json()["role"] == "admin"
            # the tickets workbook comes from a compiled dependency (rustpy-xlsxwriter)
            issued = client.post("/api/v1/tickets", json={"service": "A"},
                                 headers={"Authorization": f"Bearer {kiosk_token}"})
            assert issued.status_code == 201, issued.text
            today = datetime.now(ZoneInfo("America/Bogota")).date()
            workbook = client.get("/api/v1/stats/export", params={
                "from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat(),
                "format": "xlsx", "kind": "tickets"})
            assert workbook.status_code == 200, workbook.text
            with closing(openpyxl.load_workbook(io.BytesIO(workbook.content))) as book:
                assert book["Turnos"]["A2"].value == issued.json()["number"]
    finally:
        server.terminate()
        server.wait(timeout=20)
