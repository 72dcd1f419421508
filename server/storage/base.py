"""What every query class shares: the connection and two small helpers."""

from __future__ import annotations

import sqlite3
from typing import Any


class Queries:
    """Base of the query classes (one per concern). ``Reader`` and ``Tx`` combine them, so a
    read connection and the write transaction offer the same read methods."""

    conn: sqlite3.Connection

    def _one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def _all(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params).fetchall())
