"""Backups: a verified copy of the live database, on demand (`turnero backup`) or daily.

A backup is written to ``<name>.part``, checked (``PRAGMA integrity_check`` and a ticket count
at least the one the source held when the copy began) and only then renamed into place, so a
folder of backups never holds a half-written file under a real name. The last result is kept
in ``<db>.backup.json`` next to the database (the health check reads it; no write to the
database itself, so a backup still records itself when the database is read-only).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time as _time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from server import background
from server.config import BackupSchedule
from server.storage.backup import check_copy, copy_database

log = logging.getLogger("turnero.backup")

PREFIX = "turnero-"
SUFFIX = ".db"


class BackupFailed(Exception):
    """A backup that could not be made or did not verify; the message is for the user."""


@dataclass(frozen=True)
class BackupReport:
    path: str
    at: float
    seconds: float
    tickets_at_start: int
    tickets_in_copy: int
    integrity: str
    size_bytes: int

    def describe(self) -> str:
        return (f"Copia en {self.path}: {self.tickets_in_copy} turnos (la base tenía "
                f"{self.tickets_at_start} al empezar), verificación de integridad: "
                f"{self.integrity}, {self.size_bytes / 1e6:.1f} MB en {self.seconds:.1f} s.")


def status_path(db: Path) -> Path:
    return db.with_name(db.name + ".backup.json")


def backup_file_name(now: datetime) -> str:
    return f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"


def make_backup(db: Path, dest: Path, clock: Callable[[], float] = _time.time) -> BackupReport:
    """Copy ``db`` to ``dest`` (a file, or a folder that gets a dated file) and verify it."""
    if not db.exists():
        raise BackupFailed(f"No existe la base de datos {db}.")
    if dest.is_dir():
        dest = dest / backup_file_name(datetime.fromtimestamp(clock()))
    elif dest.exists():
        raise BackupFailed(f"{dest} ya existe; elija otro nombre o una carpeta.")
    if not dest.parent.is_dir():
        raise BackupFailed(f"La carpeta {dest.parent} no existe.")
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    started = clock()
    t0 = _time.monotonic()
    try:
        held = copy_database(db, part)
        check = check_copy(part)
        if not check.ok:
            raise BackupFailed(f"La copia no pasó la verificación de integridad: "
                               f"{check.integrity}")
        if check.tickets < held:
            raise BackupFailed(f"La copia tiene {check.tickets} turnos y la base tenía {held}.")
        with open(part, "rb") as f:
            os.fsync(f.fileno())
        os.replace(part, dest)
    except OSError as e:
        part.unlink(missing_ok=True)
        raise BackupFailed(f"No se pudo escribir la copia en {dest}: {e.strerror or e}") from e
    except Exception as e:
        part.unlink(missing_ok=True)
        if isinstance(e, BackupFailed):
            raise
        raise BackupFailed(f"No se pudo copiar la base de datos: {e}") from e
    report = BackupReport(str(dest), started, _time.monotonic() - t0, held, check.tickets,
                          check.integrity, dest.stat().st_size)
    _write_status(db, {"last_ok": asdict(report)})
    return report


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` dated backups in ``folder``; returns the deleted.
    A copy the system refuses to delete is logged and left, and the others are deleted
    still: one stuck copy must not make the folder grow every day until the disk is full."""
    backups = sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())
    doomed = backups[:-keep] if keep > 0 else []
    removed = []
    for p in doomed:
        try:
            p.unlink(missing_ok=True)
        except OSError as e:
            log.error("No se pudo borrar la copia antigua %s: %s", p.name, e)
            continue
        removed.append(p)
    return removed


def last_status(db: Path) -> dict[str, dict[str, Any]]:
    """``{"last_ok": {...report...}, "last_error": {"at", "message"}}``, each optional. An
    entry that is not an object with a number ``at`` (a file edited by hand or cut short) is
    left out, so every reader (the schedule, the health check) can trust what it gets."""
    try:
        data = json.loads(status_path(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: entry for key, entry in data.items() if isinstance(entry, dict)
            and isinstance(entry.get("at"), (int, float)) and not isinstance(entry["at"], bool)}


def last_ok_at(db: Path) -> float | None:
    """When the last good copy was made, if the status file says so."""
    last = last_status(db).get("last_ok")
    return float(last["at"]) if last else None


def record_failure(db: Path, message: str, at: float) -> None:
    _write_status(db, {"last_error": {"at": at, "message": message}})


def _write_status(db: Path, change: dict[str, dict[str, Any]]) -> None:
    data = last_status(db)
    if "last_ok" in change:
        data.pop("last_error", None)  # a good copy settles an earlier failure
    data.update(change)
    path = status_path(db)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        log.warning("no se pudo guardar el estado de la copia en %s", path)


# --------------------------------------------------------------------------- schedule


def scheduled_folder(db: Path, schedule: BackupSchedule) -> Path:
    return schedule.folder if schedule.folder.is_absolute() else db.parent / schedule.folder


def next_run(schedule: BackupSchedule, now: float, tz: ZoneInfo, last_ok: float | None
             ) -> float:
    """When the next daily backup is due: today's time if it is still ahead; at once when the
    latest due time passed without a good backup (the server was off, or it failed)."""
    local = datetime.fromtimestamp(now, tz)
    today = datetime.combine(local.date(), schedule.at, tz)
    latest_due = today if today <= local else today - timedelta(days=1)
    if last_ok is None or last_ok < latest_due.timestamp():
        return now
    return (latest_due + timedelta(days=1)).timestamp()


class BackupScheduler:
    """The server's daily backup: an asyncio task that sleeps until the time, then copies in a
    worker thread (never on the event loop; the copy is a read snapshot, so it never holds the
    writer) and prunes the folder. A failure is logged, recorded for the health check, and
    retried after ``RETRY_S``; an old copy that cannot be deleted is logged and left by
    ``prune`` (it must not end the schedule)."""

    RETRY_S = 600.0

    def __init__(self, db: Path, schedule: BackupSchedule, tz: ZoneInfo,
                 clock: Callable[[], float] = _time.time) -> None:
        self.db = db
        self.schedule = schedule
        self.tz = tz
        self.clock = clock
        self.folder = scheduled_folder(db, schedule)

    def start(self) -> asyncio.Task[None]:
        return background.start("copias-de-seguridad", self._loop)

    async def _loop(self) -> None:
        while True:
            last_at = await asyncio.to_thread(last_ok_at, self.db)
            due = next_run(self.schedule, self.clock(), self.tz, last_at)
            await asyncio.sleep(max(0.0, due - self.clock()))
            if not await self.run_once():
                await asyncio.sleep(self.RETRY_S)

    async def run_once(self) -> bool:
        try:
            report = await asyncio.to_thread(self._copy)
        except (BackupFailed, OSError) as e:
            log.error("copia de seguridad programada falló: %s", e)
            await asyncio.to_thread(record_failure, self.db, str(e), self.clock())
            return False
        removed = await asyncio.to_thread(prune, self.folder, self.schedule.keep)
        log.info("%s (%d copias antiguas borradas)", report.describe(), len(removed))
        return True

    def _copy(self) -> BackupReport:
        """Today's copy into the folder (a worker thread's job: it is all file system)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return make_backup(self.db, self.folder, self.clock)
