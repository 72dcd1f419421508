"""Reads for the health check: device tokens and each kiosk's latest printer report.

On a connection of its own (read-only), so the health check answers even while the writer is
stuck on a full disk.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DeviceToken:
    id: int
    role: str
    name: str


@dataclass(frozen=True)
class PrintReport:
    kiosk: str
    at: float
    status: str


@dataclass(frozen=True)
class DeviceFacts:
    tokens: list[DeviceToken]
    print_reports: list[PrintReport]


def device_facts(db: Path) -> DeviceFacts:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 2000")
        tokens = [DeviceToken(int(i), str(r), str(n)) for i, r, n in conn.execute(
            """SELECT id, role, name FROM tokens
               WHERE kind = 'device' AND revoked_at IS NULL ORDER BY role, name""")]
        # The latest ticket each kiosk reported a print result for (issued_at stands for the
        # report's time: the kiosk reports right after printing).
        reports = [PrintReport(str(k), float(at), str(st)) for k, at, st in conn.execute(
            """SELECT t.kiosk, t.issued_at, t.print_status FROM tickets t
               JOIN (SELECT kiosk, MAX(issued_at) AS at FROM tickets
                     WHERE print_status IS NOT NULL AND kiosk IS NOT NULL GROUP BY kiosk) m
                 ON m.kiosk = t.kiosk AND m.at = t.issued_at
               WHERE t.print_status IS NOT NULL""")]
        return DeviceFacts(tokens, reports)
    finally:
        conn.close()


def write_probe(tx) -> None:  # type: ignore[no-untyped-def]
    """A tiny real write (through the writer, like every write) to learn whether the
    database takes writes again after a failure."""
    import time

    tx.set_setting("health.write_probe", time.time(), time.time())
