"""Is the office's server well? Database writable, disk space, backups, devices last seen.

One report, three readers: ``GET /api/v1/health`` (no auth, no personal data: device names
only, never users or tickets), the admin page, and ``turnero doctor``. The report names every
failing part, so a monitor (or the technician on the phone) knows what to fix.

Write failures (full disk, read-only file, I/O error) reach the API as
``sqlite3.OperationalError``; the API answers them with a 503 and a Spanish message (see
server/api/health.py) and tells ``StorageWatch``, which raises a supervisor alert and probes
the database every few seconds until it takes writes again. Nothing needs restarting when
space frees.

Bridges (hardware peripherals) and other device kinds plug in through ``DeviceSource``: a
callable that returns rows for ``devices[<kind>]``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from server.auth import Principal, Role
from server.backup import last_status, scheduled_folder
from server.config import BackupSchedule
from server.storage.health_queries import DeviceFacts, device_facts

log = logging.getLogger("turnero.health")

#: Free space below min(LOW_DISK_BYTES, LOW_DISK_SHARE of the disk) fails the check.
LOW_DISK_BYTES = 100_000_000
LOW_DISK_SHARE = 0.05
#: A scheduled backup older than this fails the check.
BACKUP_MAX_AGE_S = 26 * 3600
PROBE_INTERVAL_S = 2.0
PROBE_TIMEOUT_S = 5.0

FAILURES = {
    "full": "El disco del servidor está lleno: no se pueden guardar cambios. Libere espacio; "
            "el servicio se recupera solo.",
    "readonly": "La base de datos está en modo de solo lectura: no se pueden guardar cambios. "
                "Revise los permisos del archivo.",
    "io": "Error de lectura o escritura en el disco del servidor: no se pueden guardar "
          "cambios. Revise el disco.",
}
BUSY = "La base de datos está ocupada. Intente de nuevo en unos segundos."


def storage_failure(exc: BaseException) -> str | None:
    """The kind of write failure an sqlite3 error is ("full", "readonly", "io"), or None."""
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    text = str(exc).lower()
    if "full" in text:
        return "full"
    if "readonly" in text or "read-only" in text:
        return "readonly"
    if "disk i/o" in text or "unable to open" in text:
        return "io"
    return None


@dataclass
class StorageWatch:
    """Whether writes fail now, since when and why; today's incidents for the alerts.
    ``probe`` makes one tiny real write (raises ``sqlite3.Error`` while writes fail);
    ``room`` says whether the data disk has free space again."""

    probe: Callable[[], Awaitable[Any]] | None = None
    room: Callable[[], bool] = lambda: True
    failing_since: float | None = None
    kind: str | None = None
    error: str | None = None
    incidents: list[dict[str, Any]] = field(default_factory=list)
    _probe: asyncio.Task[None] | None = None

    @property
    def message(self) -> str | None:
        return FAILURES.get(self.kind or "")

    def failed(self, kind: str, exc: BaseException, now: float) -> None:
        """Called from the event loop; starts probing until a write succeeds again."""
        if self.failing_since is None:
            log.error("la base de datos no acepta escrituras: %s", exc)
            self.failing_since, self.kind = now, kind
            self.incidents.append({"at": now, "kind": kind, "until": None})
            del self.incidents[:-20]
        self.error = str(exc)
        if self.probe is not None and (self._probe is None or self._probe.done()):
            self._probe = asyncio.get_running_loop().create_task(self._probing(self.probe))

    def recovered(self, now: float) -> None:
        if self.failing_since is not None:
            log.warning("la base de datos acepta escrituras de nuevo")
            if self.incidents:
                self.incidents[-1]["until"] = now
        self.failing_since = self.kind = self.error = None

    def alerts(self, tz: ZoneInfo, now: float) -> list[dict[str, Any]]:
        """Today's supervisor alerts in the shape of ``/stats/today`` alerts, newest first."""
        local = datetime.fromtimestamp(now, tz)
        since = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        out = []
        for inc in reversed(self.incidents):
            if inc["at"] < since and (inc["until"] or time.time()) < since:
                continue
            until = inc["until"]
            message = FAILURES[inc["kind"]] if until is None else (
                f"{FAILURES[inc['kind']].split(':')[0]} entre "
                f"{_clock(inc['at'], tz)} y {_clock(until, tz)}; ya se recuperó.")
            out.append({"at": _iso(inc["at"], tz), "kind": f"storage.{inc['kind']}",
                        "device": "servidor", "ticket": None, "message": message})
        return out

    async def _probing(self, run_probe: Callable[[], Any]) -> None:
        """Probe until a write works again. Whatever a probe raises, probing goes on: if this
        task ended, the alert would stay on after the disk came back."""
        while self.failing_since is not None:
            await asyncio.sleep(PROBE_INTERVAL_S)
            try:
                await run_probe()
                self._settled()
            except Exception as e:  # noqa: BLE001 - still failing; probed again
                if not isinstance(e, sqlite3.Error):  # a storage error is the expected one
                    log.warning("la prueba de escritura falló: %s", e)
                self.error = str(e)

    def _settled(self) -> None:
        """A probe worked. After a full disk that is not enough: a one-row update can fit in
        the pages SQLite already has while a new ticket cannot, so the disk must have room
        again too."""
        if self.kind != "full" or self.room():
            self.recovered(time.time())

    async def check(self) -> None:
        """One probe now (the health route's "database writable" is a real write); while
        writes fail, the background probe is the one that decides."""
        if self.probe is None or self.failing_since is not None:
            return
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_S):
                await self.probe()
        except sqlite3.Error as e:
            kind = storage_failure(e)
            if kind is not None:  # "database is locked" and the like are not failures
                self.failed(kind, e, time.time())
        except TimeoutError:
            # A busy writer is not a broken disk: no alert (a real failure raises).
            log.warning("health: the write probe took over %g s", PROBE_TIMEOUT_S)
        else:
            self._settled()

    def stop(self) -> None:
        if self._probe is not None:
            self._probe.cancel()


@dataclass
class DeviceSightings:
    """When each device token was last used (since this server started)."""

    last_seen: dict[int, float] = field(default_factory=dict)

    def seen(self, p: Principal) -> None:
        if p.role in (Role.KIOSK, Role.DISPLAY):
            self.last_seen[p.token_id] = time.time()


#: An extension point: an async callable returning rows (dicts) for one device kind, each
#: with a ``name``; a row with ``"ok": False`` fails the check named after the kind.
DeviceSource = Callable[[], Awaitable[list[dict[str, Any]]]]


@dataclass
class HealthService:
    db: Path
    tz: ZoneInfo
    storage: StorageWatch = field(default_factory=StorageWatch)
    sightings: DeviceSightings = field(default_factory=DeviceSightings)
    schedule: BackupSchedule | None = None
    connected: Callable[[], dict[int, int]] = dict
    #: Other device kinds (e.g. "bridges", the hardware bridges): kind → source.
    sources: dict[str, DeviceSource] = field(default_factory=dict)

    async def source_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Every extra source's rows (a failing source becomes one failing row)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for kind, source in self.sources.items():
            try:
                out[kind] = await source()
            except Exception as e:  # noqa: BLE001 - one broken source must not hide the rest
                out[kind] = [{"name": kind, "ok": False, "message": str(e)}]
        return out

    def report(self, now: float | None = None,
               extra: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
        """The whole report; ``status`` is "ok" or "falla" and ``failing`` names the parts.
        ``extra`` holds ``source_rows()``. Blocking (disk and database reads): call it from a
        worker thread."""
        now = time.time() if now is None else now
        checks = {
            "database": self._database(),
            "disk": disk_check(self.db),
            "backup": backup_check(self.db, self.schedule, now, self.tz),
        }
        devices, device_checks = self._devices(extra or {})
        checks.update(device_checks)
        failing = [name for name, c in checks.items() if not c["ok"]]
        return {"status": "falla" if failing else "ok", "failing": failing,
                "checked_at": _iso(now, self.tz), "checks": checks, "devices": devices}

    def _database(self) -> dict[str, Any]:
        writable = self.storage.failing_since is None and _writable(self.db)
        out: dict[str, Any] = {"ok": writable, "writable": writable}
        if self.storage.failing_since is not None:
            out["failing_since"] = _iso(self.storage.failing_since, self.tz)
            out["message"] = self.storage.message
        elif not writable:
            out["message"] = FAILURES["readonly"]
        return out

    def _devices(self, extra: dict[str, list[dict[str, Any]]]
                 ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
        try:
            facts = device_facts(self.db)
        except sqlite3.Error as e:
            log.warning("health: cannot read devices: %s", e)
            facts = DeviceFacts([], [])
        connected = self.connected()
        reports = {r.kiosk: r for r in facts.print_reports}
        kiosks, boards, printers = [], [], []
        for t in facts.tokens:
            seen = self.sightings.last_seen.get(t.id)
            row: dict[str, Any] = {"name": t.name, "last_seen_at": _iso(seen, self.tz)}
            if t.role == "display":
                boards.append({**row, "connected": connected.get(t.id, 0)})
                continue
            if t.role != "kiosk":
                continue  # e.g. hardware bridges: their own source reports them
            kiosks.append(row)
            report = reports.get(t.name)
            if report is not None:
                ok = report.status == "ok"
                printers.append({"name": t.name, "last_report_at": _iso(report.at, self.tz),
                                 "ok": ok, **({} if ok else {"message": report.status[8:]})})
        devices: dict[str, list[dict[str, Any]]] = {
            "kiosks": kiosks, "printers": printers, "boards": boards, "bridges": []}
        checks: dict[str, Any] = {}
        bad = [p["name"] for p in printers if not p["ok"]]
        checks["printers"] = {"ok": not bad, **({"failing": bad} if bad else {})}
        for kind, rows in extra.items():
            devices[kind] = rows
            bad = [str(r.get("name")) for r in rows if r.get("ok") is False]
            checks[kind] = {"ok": not bad, **({"failing": bad} if bad else {})}
        return devices, checks


def disk_check(db: Path) -> dict[str, Any]:
    folder = db.parent if db.parent.exists() else Path(".")
    usage = shutil.disk_usage(folder)
    low = min(LOW_DISK_BYTES, LOW_DISK_SHARE * usage.total)
    ok = usage.free >= low
    out: dict[str, Any] = {"ok": ok, "free_bytes": usage.free, "total_bytes": usage.total,
                           "free_share": round(usage.free / usage.total, 4) if usage.total else 0}
    if not ok:
        out["message"] = (f"Queda poco espacio en el disco de datos: {usage.free / 1e6:.1f} MB "
                          "libres.")
    return out


def backup_check(db: Path, schedule: BackupSchedule | None, now: float, tz: ZoneInfo
                 ) -> dict[str, Any]:
    status = last_status(db)
    last_ok, last_error = status.get("last_ok"), status.get("last_error")
    out: dict[str, Any] = {
        "ok": True, "scheduled": schedule is not None,
        "last_at": _iso(float(last_ok["at"]), tz) if last_ok else None,
        "last_tickets": last_ok.get("tickets_in_copy") if last_ok else None,
    }
    if schedule is not None:
        out["daily_at"] = schedule.at.strftime("%H:%M")
        out["keep"] = schedule.keep
        out["folder"] = str(scheduled_folder(db, schedule))
        if last_error is not None:
            out["ok"] = False
            out["message"] = f"La última copia falló: {last_error.get('message')}"
        elif last_ok is None or now - float(last_ok["at"]) > BACKUP_MAX_AGE_S:
            out["ok"] = False
            out["message"] = "No hay una copia de seguridad de las últimas 26 horas."
    return out


def _writable(db: Path) -> bool:
    return os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)


def _iso(at: float | None, tz: ZoneInfo) -> str | None:
    return None if at is None else datetime.fromtimestamp(at, tz).isoformat(timespec="seconds")


def _clock(at: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, tz).strftime("%H:%M")


def bridge_rows(view: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hardware bridges' view (``HardwareBridges.bridges_view``) as health rows."""
    rows = []
    for b in view:
        down = [str(p.get("name")) for p in [*b.get("displays", []), *b.get("buttons", [])]
                if not p.get("connected")]
        row: dict[str, Any] = {"name": b["name"], "last_seen_at": b.get("last_seen"),
                               "ok": not b.get("alert")}
        if b.get("silent"):
            row["message"] = "El puente no reporta."
        elif down:
            row["message"] = f"No responden: {', '.join(down)}."
        rows.append(row)
    return rows
