"""Hardware bridges (serial call buttons and LED displays): the counters each bridge token may
act for, and the last status each bridge reported (table ``hardware_devices``, migration
``007_hardware_devices``)."""

from __future__ import annotations

import json
from typing import Any

from server.storage.base import Queries
from server.storage.rows import BridgeRow


class HardwareReads(Queries):
    def device_counters(self, token_id: int) -> frozenset[int]:
        """The counters a hardware token may act for (empty for any other token)."""
        row = self._one("SELECT counters FROM hardware_devices WHERE token_id = ?", (token_id,))
        return frozenset(json.loads(row[0])) if row else frozenset()

    def bridge_status(self, token_id: int) -> dict[str, Any]:
        """The last status a bridge reported ({} before its first report)."""
        row = self._one("SELECT status FROM hardware_devices WHERE token_id = ?", (token_id,))
        return dict(json.loads(row[0])) if row else {}

    def bridges(self) -> list[BridgeRow]:
        """Every hardware bridge, by name (the supervisor's live view)."""
        rows = self._all(
            """SELECT h.token_id, t.name, t.revoked_at IS NOT NULL, h.counters, h.last_seen,
                      h.status
               FROM hardware_devices h JOIN tokens t ON t.id = h.token_id
               ORDER BY t.name""")
        return [BridgeRow(int(r[0]), str(r[1]), bool(r[2]), tuple(json.loads(r[3])), r[4],
                          dict(json.loads(r[5] or "{}"))) for r in rows]


class HardwareWrites(Queries):
    def add_hardware_device(self, token_id: int, counters: list[int]) -> None:
        self.conn.execute("INSERT INTO hardware_devices (token_id, counters) VALUES (?, ?)",
                          (token_id, json.dumps(sorted(set(counters)))))

    def save_bridge_status(self, token_id: int, status: dict[str, Any], now: float) -> None:
        self.conn.execute(
            "UPDATE hardware_devices SET status = ?, last_seen = ? WHERE token_id = ?",
            (json.dumps(status, ensure_ascii=False), now, token_id))
