"""Users, sign-in sessions and device tokens (only token hashes are stored)."""

from __future__ import annotations

from typing import Any

from server.storage.base import Queries
from server.storage.rows import TokenRow, UserRow, user_from_row


class AccountReads(Queries):
    def user_by_name(self, username: str) -> UserRow | None:
        row = self._one("SELECT * FROM users WHERE username = ?", (username,))
        return user_from_row(row) if row else None

    def user_by_id(self, user_id: int) -> UserRow | None:
        row = self._one("SELECT * FROM users WHERE id = ?", (user_id,))
        return user_from_row(row) if row else None

    def users(self) -> list[UserRow]:
        return [user_from_row(r) for r in self._all("SELECT * FROM users ORDER BY username")]

    def token_by_hash(self, token_hash: str) -> TokenRow | None:
        row = self._one("SELECT * FROM tokens WHERE token_hash = ?", (token_hash,))
        return TokenRow(**dict(row)) if row else None

    def token_by_id(self, token_id: int) -> TokenRow | None:
        row = self._one("SELECT * FROM tokens WHERE id = ?", (token_id,))
        return TokenRow(**dict(row)) if row else None

    def tokens(self, kind: str) -> list[TokenRow]:
        rows = self._all("SELECT * FROM tokens WHERE kind = ? ORDER BY id", (kind,))
        return [TokenRow(**dict(r)) for r in rows]

    def expired_counter_sessions(self, now: float) -> list[TokenRow]:
        """Sign-in sessions bound to a counter whose time ran out but that nobody ended."""
        rows = self._all(
            "SELECT * FROM tokens WHERE kind = 'session' AND counter IS NOT NULL "
            "AND revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY id",
            (now,))
        return [TokenRow(**dict(r)) for r in rows]

    def next_counter_session_expiry(self) -> float | None:
        """When the first open counter session runs out (None: no counter is signed in)."""
        row = self._one(
            "SELECT MIN(expires_at) AS at FROM tokens WHERE kind = 'session' "
            "AND counter IS NOT NULL AND revoked_at IS NULL AND expires_at IS NOT NULL")
        return float(row["at"]) if row and row["at"] is not None else None


class AccountWrites(Queries):
    def insert_user(self, username: str, display_name: str, role: str, password_hash: str,
                    now: float) -> int:
        cur = self.conn.execute(
            """INSERT INTO users (username, display_name, role, password_hash, active, created_at)
               VALUES (?, ?, ?, ?, 1, ?)""",
            (username, display_name, role, password_hash, now),
        )
        return int(cur.lastrowid or 0)

    def update_user(self, user_id: int, **fields: Any) -> None:
        allowed = {"display_name", "role", "password_hash", "active"}
        assert set(fields) <= allowed, fields
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.conn.execute(f"UPDATE users SET {sets} WHERE id = ?", (*fields.values(), user_id))

    def insert_token(self, token_hash: str, kind: str, role: str, name: str, now: float, *,
                     user_id: int | None = None, counter: int | None = None,
                     csrf: str | None = None, expires_at: float | None = None,
                     parent_id: int | None = None) -> int:
        cur = self.conn.execute(
            """INSERT INTO tokens (token_hash, kind, role, name, user_id, counter, csrf,
                                   created_at, expires_at, parent_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (token_hash, kind, role, name, user_id, counter, csrf, now, expires_at, parent_id),
        )
        return int(cur.lastrowid or 0)

    def revoke_child_tokens(self, parent_id: int, now: float) -> list[int]:
        """End the sessions opened with a device token (its boards' and tablets' cookies)."""
        ids = [r[0] for r in self._all(
            "SELECT id FROM tokens WHERE parent_id = ? AND revoked_at IS NULL", (parent_id,))]
        self.conn.execute("UPDATE tokens SET revoked_at = ? WHERE parent_id = ? "
                          "AND revoked_at IS NULL", (now, parent_id))
        return ids

    def revoke_token(self, token_id: int, now: float) -> None:
        self.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now, token_id)
        )

    def revoke_counter_sessions(self, counter: int, now: float) -> list[int]:
        """End every open session bound to a counter (someone else takes it over)."""
        ids = [r[0] for r in self._all(
            "SELECT id FROM tokens WHERE counter = ? AND kind = 'session' AND revoked_at IS NULL",
            (counter,))]
        self.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE counter = ? AND kind = 'session' "
            "AND revoked_at IS NULL", (now, counter))
        return ids

    def revoke_user_sessions(self, user_id: int, now: float) -> list[int]:
        ids = [r[0] for r in self._all(
            "SELECT id FROM tokens WHERE user_id = ? AND kind = 'session' AND revoked_at IS NULL",
            (user_id,))]
        self.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'session' "
            "AND revoked_at IS NULL", (now, user_id))
        return ids
