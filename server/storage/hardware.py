"""Schema and queries for hardware bridges (serial call buttons and LED displays): the counters
each bridge token may act for, and the last status each bridge reported.

The migration is appended to ``store.MIGRATIONS`` as ``007_hardware_devices``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

if TYPE_CHECKING:
    from server.storage.store import Tx


def m_hardware_devices(db: sqlite_utils.Database) -> None:
    """One row per hardware token: the counters it may act for (JSON list of numbers), when it
    last reported and what (the status of each display and button port)."""
    db.execute(
        """CREATE TABLE hardware_devices (
            token_id INTEGER PRIMARY KEY REFERENCES tokens(id),
            counters TEXT NOT NULL,
            last_seen REAL,
            status TEXT NOT NULL DEFAULT '{}'
        )"""
    )


@dataclass(frozen=True)
class BridgeRow:
    token_id: int
    name: str
    revoked: bool
    counters: tuple[int, ...]
    last_seen: float | None
    status: dict[str, Any]


def add_device(tx: Tx, token_id: int, counters: list[int]) -> None:
    tx.conn.execute("INSERT INTO hardware_devices (token_id, counters) VALUES (?, ?)",
                    (token_id, json.dumps(sorted(set(counters)))))


def device_counters(tx: Tx, token_id: int) -> frozenset[int]:
    row = tx.conn.execute("SELECT counters FROM hardware_devices WHERE token_id = ?",
                          (token_id,)).fetchone()
    return frozenset(json.loads(row[0])) if row else frozenset()


def previous_status(tx: Tx, token_id: int) -> dict[str, Any]:
    row = tx.conn.execute("SELECT status FROM hardware_devices WHERE token_id = ?",
                          (token_id,)).fetchone()
    return dict(json.loads(row[0])) if row else {}


def save_status(tx: Tx, token_id: int, status: dict[str, Any], now: float) -> None:
    tx.conn.execute("UPDATE hardware_devices SET status = ?, last_seen = ? WHERE token_id = ?",
                    (json.dumps(status, ensure_ascii=False), now, token_id))


def clerk_at(tx: Tx, counter: int) -> str | None:
    """The clerk signed in at a counter now (None when closed): a device's action is
    attributed to them in the audit log."""
    row = tx.conn.execute("SELECT clerk FROM counters WHERE number = ? AND state != 'closed'",
                          (counter,)).fetchone()
    return str(row[0]) if row and row[0] else None


def bridges(tx: Tx) -> list[BridgeRow]:
    """Every hardware bridge, by name (the supervisor's live view)."""
    rows = tx.conn.execute(
        """SELECT h.token_id, t.name, t.revoked_at IS NOT NULL, h.counters, h.last_seen, h.status
           FROM hardware_devices h JOIN tokens t ON t.id = h.token_id
           ORDER BY t.name""").fetchall()
    return [BridgeRow(int(r[0]), str(r[1]), bool(r[2]), tuple(json.loads(r[3])), r[4],
                      dict(json.loads(r[5] or "{}"))) for r in rows]
