"""Key/value settings stored as JSON (e.g. the office configuration edited in the browser)."""

from __future__ import annotations

import json
from typing import Any

from server.storage.base import Queries


class SettingReads(Queries):
    def setting(self, key: str) -> Any:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None


class SettingWrites(Queries):
    def set_setting(self, key: str, value: Any, now: float) -> None:
        self.conn.execute(
            """INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
               ON CONFLICT(key) DO UPDATE SET value = excluded.value,
                                              updated_at = excluded.updated_at""",
            (key, json.dumps(value, ensure_ascii=False), now),
        )
