"""Backups and restores against a real server: `turnero backup` while kiosks issue, the daily
backup of the config, `turnero restore` (asks first; refuses while a server runs), and the
single-instance lock of `turnero serve`."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import pty
import select
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import time as time_of_day
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from server.backup import BackupScheduler, last_ok_at, status_path
from server.config import BackupSchedule, ConfigError, parse_config
from server.health import backup_check
from server.storage import Store
from tests.conftest import DEMO_CONFIG, ROOT, LiveServer, need, subprocess_env
from tests.server.test_cli import turnero


def _kiosks(server: LiveServer, n: int, acknowledged: list[dict[str, Any]],
            stop: threading.Event) -> list[threading.Thread]:
    lock = threading.Lock()

    def kiosk(i: int) -> None:
        with server.client(server.kiosk_token) as c:
            while not stop.is_set():
                try:
                    r = c.post("/api/v1/tickets", json={"service": "ABCDE"[i % 5]})
                except httpx.HTTPError:
                    continue
                if r.status_code == 201:
                    with lock:
                        acknowledged.append(r.json())

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    return threads


def _wait_for(condition: Any, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _ids(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0]: r[1] for r in conn.execute("SELECT id, number FROM tickets")}
    finally:
        conn.close()


def test_backup_during_load_holds_every_ticket_acknowledged_before_it(
        live_server: LiveServer, tmp_path: Path) -> None:
    acknowledged: list[dict[str, Any]] = []
    stop = threading.Event()
    threads = _kiosks(live_server, 8, acknowledged, stop)
    try:
        _wait_for(lambda: len(acknowledged) >= 200, "200 tickets")
        before = list(acknowledged)  # every one of these got its 201 before the backup began
        out = turnero("backup", str(tmp_path / "copia.db"), "--db", str(live_server.db))
        during = len(acknowledged) - len(before)
        _wait_for(lambda: len(acknowledged) >= len(before) + during + 20,
                  "issuing to go on after the backup")
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    assert out.returncode == 0, out.stderr
    assert "verificación de integridad: ok" in out.stdout
    copy = tmp_path / "copia.db"
    assert not Path(f"{copy}-wal").exists()  # one self-contained file
    stored = _ids(copy)
    missing = [t["number"] for t in before if stored.get(t["id"]) != t["number"]]
    assert missing == []
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    print(f"\nbackup during load: {len(before)} acknowledged before it, {len(stored)} in the "
          f"copy, {during} acknowledged while it ran; {out.stdout.strip()}")


def test_backup_into_a_folder_and_refusals(live_server: LiveServer, tmp_path: Path) -> None:
    live_server.issue("A")
    folder = tmp_path / "copias"
    folder.mkdir()
    out = turnero("backup", str(folder), "--db", str(live_server.db))
    assert out.returncode == 0, out.stderr
    (made,) = folder.glob("turnero-*.db")
    assert str(made) in out.stdout
    again = turnero("backup", str(made), "--db", str(live_server.db))
    assert again.returncode == 1 and "ya existe" in again.stderr
    nowhere = turnero("backup", str(tmp_path / "no" / "hay.db"), "--db", str(live_server.db))
    assert nowhere.returncode == 1 and "no existe" in nowhere.stderr
    health = httpx.get(f"{live_server.base_url}/api/v1/health").json()
    assert health["checks"]["backup"]["last_at"] is not None
    assert health["checks"]["backup"]["last_tickets"] >= 1


def test_second_server_on_the_same_database_refuses_naming_the_first(
        live_server: LiveServer) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--db", str(live_server.db), "--port", "1"],
        capture_output=True, text=True, cwd=ROOT, env=subprocess_env(), timeout=60)
    assert second.returncode == 2
    assert live_server.process is not None
    assert f"el proceso {live_server.process.pid}" in second.stderr
    assert "ya está en uso" in second.stderr
    assert live_server.issue("A")["number"]  # the first one is untouched
    live_server.stop(kill=True)  # the kernel drops the lock even on kill -9
    live_server.start()
    assert live_server.issue("A")["number"]


def test_restore_asks_first_and_refuses_while_a_server_runs(live_server: LiveServer,
                                                             tmp_path: Path) -> None:
    kept = [live_server.issue("A") for _ in range(3)]
    copy = tmp_path / "copia.db"
    assert turnero("backup", str(copy), "--db", str(live_server.db)).returncode == 0
    later = [live_server.issue("B") for _ in range(2)]

    busy = turnero("restore", str(copy), "--yes", "--db", str(live_server.db))
    assert busy.returncode == 2
    assert live_server.process is not None
    assert f"el proceso {live_server.process.pid}" in busy.stderr
    assert "Detenga el servidor" in busy.stderr
    live_server.stop()

    unattended = turnero("restore", str(copy), "--db", str(live_server.db))
    assert unattended.returncode == 2 and "--yes" in unattended.stderr
    assert _answer_prompt(copy, live_server.db, "no") == (1, "Cancelado")
    assert set(_ids(live_server.db)) >= {t["id"] for t in kept + later}

    code, text = _answer_prompt(copy, live_server.db, "si")
    assert code == 0 and "Restaurada" in text
    restored = _ids(live_server.db)
    assert {t["id"] for t in kept} <= set(restored)
    assert not {t["id"] for t in later} & set(restored)
    (previous,) = live_server.db.parent.glob(f"{live_server.db.name}.antes-de-restaurar-*")
    assert {t["id"] for t in later} <= set(_ids(previous))
    live_server.start()
    assert live_server.issue("B")["number"] == "B-001"


def _answer_prompt(src: Path, db: Path, answer: str) -> tuple[int, str]:
    """Run `turnero restore` on a real terminal and type ``answer`` at its question."""
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "server", "restore", str(src), "--db",
                             str(db)], stdin=child, stdout=child, stderr=child, cwd=ROOT,
                            env=subprocess_env())
    os.close(child)
    text = b""
    deadline = time.monotonic() + 60
    while b"para continuar" not in text:
        assert time.monotonic() < deadline, text
        if select.select([main], [], [], 1)[0]:
            text += os.read(main, 4096)
    os.write(main, answer.encode() + b"\n")
    while True:
        if select.select([main], [], [], 1)[0]:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            text += chunk
        elif proc.poll() is not None:
            break
        assert time.monotonic() < deadline, text
    code = proc.wait(30)
    os.close(main)
    out = text.decode(errors="replace")
    return code, "Cancelado" if "Cancelado" in out else out


BACKUP_SECTION = """
[backup]
time = "00:00"
folder = "copias"
keep = 3
"""


def test_daily_backup_runs_in_the_server_and_keeps_the_newest(make_server: Any,
                                                              tmp_path: Path) -> None:
    config = tmp_path / "office.toml"
    config.write_text(DEMO_CONFIG.read_text(encoding="utf-8") + BACKUP_SECTION,
                      encoding="utf-8")
    folder = tmp_path / "copias"
    folder.mkdir()
    old = [folder / f"turnero-2026010{d}-190000.db" for d in range(1, 5)]
    for p in old:
        p.write_bytes(b"old")
    # 00:00 has passed today and there is no backup since: the server makes one at start.
    server = make_server(config=config)

    def made() -> bool:
        return httpx.get(f"{server.base_url}/api/v1/health").json()["checks"]["backup"][
            "last_at"] is not None

    _wait_for(made, "the scheduled backup")
    health = httpx.get(f"{server.base_url}/api/v1/health").json()["checks"]["backup"]
    assert health["ok"] and health["scheduled"] and health["daily_at"] == "00:00"
    left = sorted(folder.glob("turnero-*.db"))
    assert len(left) == 3 and old[0] not in left and old[1] not in left
    newest = left[-1]
    conn = sqlite3.connect(newest)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert not list(folder.glob("*.part"))


def test_backup_config_errors_name_the_key_and_the_line() -> None:
    text = DEMO_CONFIG.read_text(encoding="utf-8")
    bad = text + '\n[backup]\ntime = "25:99"\nfolder = ""\nkeep = 0\ncolor = "azul"\n'
    with pytest.raises(ConfigError) as e:
        parse_config(bad, source="oficina.toml")
    problems = "\n".join(e.value.problems)
    lines = text.count("\n") + 2
    assert f"oficina.toml:{lines + 1}: backup.time: hora imposible" in problems
    assert f"oficina.toml:{lines + 2}: backup.folder: la carpeta no puede estar vacía" \
        in problems
    assert f"oficina.toml:{lines + 3}: backup.keep: debe ser 1 o más" in problems
    assert f"oficina.toml:{lines + 4}: backup.color: dato desconocido" in problems
    with pytest.raises(ConfigError) as missing:
        parse_config(text + '\n[backup]\nkeep = 2\n', source="o.toml")
    assert any("backup.time: falta este dato" in p for p in missing.value.problems)
    assert any("backup.folder: falta este dato" in p for p in missing.value.problems)
    good = parse_config(text + BACKUP_SECTION)
    assert good.backup is not None and good.backup.keep == 3
    assert "backup" not in good.to_dict()  # a machine setting, never stored in the database


def test_daily_backup_is_due_at_its_time_or_at_once_when_missed() -> None:
    from datetime import datetime
    from datetime import time as clock
    from zoneinfo import ZoneInfo

    from server.backup import next_run
    from server.config import BackupSchedule

    tz = ZoneInfo("America/Bogota")
    plan = BackupSchedule(clock(19, 30), Path("copias"), 7)

    def at(day: int, hour: int, minute: int = 0) -> float:
        return datetime(2026, 12, day, hour, minute, tzinfo=tz).timestamp()

    # Made yesterday evening, now it is morning: tonight at 19:30.
    assert next_run(plan, at(2, 9), tz, at(1, 19, 31)) == at(2, 19, 30)
    # Made tonight already: tomorrow at 19:30.
    assert next_run(plan, at(2, 20), tz, at(2, 19, 30)) == at(3, 19, 30)
    # Last one two days ago (server was off at 19:30): at once.
    assert next_run(plan, at(2, 20), tz, at(1, 9)) == at(2, 20)
    assert next_run(plan, at(2, 9), tz, None) == at(2, 9)


def test_demo_is_not_wiped_while_its_server_runs(tmp_path: Path) -> None:
    from tests.conftest import free_port

    folder, port = tmp_path / "demo", free_port()
    demo = subprocess.Popen([sys.executable, "-m", "server", "demo", "--dir", str(folder),
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT, env=subprocess_env())
    try:
        def up() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
            except httpx.HTTPError:
                return False

        _wait_for(up, "the demo server", timeout=60)
        again = turnero("demo", "--dir", str(folder), "--no-serve")
        assert again.returncode == 2
        assert f"el proceso {demo.pid}" in again.stderr and "No se borró nada" in again.stderr
        assert (folder / "turnero.db").exists()
    finally:
        demo.terminate()
        demo.wait(30)


def test_every_backup_key_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key in ("time", "folder", "keep"):
        assert f"| `[backup] {key}` |" in readme


def test_an_old_copy_that_cannot_be_deleted_does_not_stop_the_daily_backups(
        tmp_path: Path) -> None:
    """Pruning used to be outside the scheduler's error handling, and stopped at the first
    copy it could not delete: one old copy the system refused to delete (a backup folder on a
    share or a stick that refuses deletes) ended the daily backups, or left every later copy
    in the folder until the disk was full. Here the kernel refuses the delete because the
    oldest copy is a mount point (needs root: CI runs as root)."""
    need(os.geteuid() == 0, "root (bind-mounts a file over an old copy, which then cannot "
                            "be deleted)")
    db = tmp_path / "turnero.db"
    Store.open(db).close()
    folder = tmp_path / "copias"
    folder.mkdir()
    pinned = folder / "turnero-20200101-000000.db"
    pinned.write_bytes(b"old")
    deletable = folder / "turnero-20200102-000000.db"
    deletable.write_bytes(b"old")
    (tmp_path / "over").write_bytes(b"old")
    days = itertools.count()
    start = time.time()

    def clock() -> float:  # a day passes at every look: every look finds a backup due
        return start + 86400 * next(days)

    scheduler = BackupScheduler(db, BackupSchedule(time_of_day(0, 0), folder, 1),
                                ZoneInfo("America/Bogota"), clock)

    async def three_days() -> list[tuple[bool, set[str]]]:
        """The scheduler's daily step three times (its loop ends only if a step raises): what
        each step answered and what it left in the folder."""
        days = []
        for _ in range(3):
            ok = await scheduler.run_once()
            days.append((ok, {p.name for p in folder.glob("turnero-2*.db")}))
        return days

    mounted = subprocess.run(["mount", "--bind", str(tmp_path / "over"), str(pinned)],
                             capture_output=True, text=True, check=False)
    need(mounted.returncode == 0, f"mount --bind (CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        days = asyncio.run(three_days())
    finally:
        subprocess.run(["umount", str(pinned)], check=False)
    newest: set[str] = set()
    for ok, left in days:
        # keep = 1: only that day's copy stays, with the stuck one the system refuses to
        # delete; the deletable old copy and the earlier daily ones are gone
        assert ok and pinned.name in left and deletable.name not in left and len(left) == 2
        newest |= left - {pinned.name}
    assert len(newest) == 3  # three daily copies were made, one by one


class CopyMade(logging.Handler):
    """Set once the scheduler logs a finished copy (after its status and pruning)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.event = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "copias antiguas borradas" in record.getMessage():
            self.event.set()  # logged on the event loop, by run_once


def test_a_status_file_edited_by_hand_does_not_end_the_daily_backups(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The scheduler read the last copy's time as ``float(...)`` outside its error handling:
    a status file whose time was not a number ended the backups for good (and the health
    check answered 500)."""
    db = tmp_path / "turnero.db"
    Store.open(db).close()
    status_path(db).write_text(json.dumps({"last_ok": {"at": "ayer"}}), encoding="utf-8")
    assert last_ok_at(db) is None
    folder = tmp_path / "copias"
    scheduler = BackupScheduler(db, BackupSchedule(time_of_day(0, 0), folder, 2),
                                ZoneInfo("America/Bogota"))

    async def first_copy() -> list[Path]:
        made = CopyMade()
        logging.getLogger("turnero.backup").addHandler(made)
        task = scheduler.start()
        try:
            await made.event.wait()
        finally:
            task.cancel()
            logging.getLogger("turnero.backup").removeHandler(made)
        return list(folder.glob("turnero-2*.db"))

    schedule = BackupSchedule(time_of_day(0, 0), folder, 2)
    tz = ZoneInfo("America/Bogota")
    assert backup_check(db, schedule, time.time(), tz)["message"] == \
        "No hay una copia de seguridad de las últimas 26 horas."  # not a 500
    with caplog.at_level(logging.INFO, logger="turnero.backup"):
        assert len(asyncio.run(asyncio.wait_for(first_copy(), 30))) == 1
    assert isinstance(last_ok_at(db), float)
    assert backup_check(db, schedule, time.time(), tz)["ok"]
