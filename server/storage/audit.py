"""The append-only audit log; every record is also a live event published after commit."""

from __future__ import annotations

import json
from typing import Any

from server.storage.base import Queries
from server.storage.counters import CounterReads
from server.storage.rows import AuditRecord, CommittedEvent, audit_from_row


class AuditReads(Queries):
    def audit_for_ticket(self, ticket_id: str) -> list[AuditRecord]:
        rows = self._all("SELECT * FROM audit_log WHERE ticket_id = ? ORDER BY seq",
                         (ticket_id,))
        return [audit_from_row(r) for r in rows]

    def audit_since(self, since: float, kinds: tuple[str, ...], limit: int) -> list[AuditRecord]:
        marks = ", ".join("?" for _ in kinds)
        rows = self._all(
            f"""SELECT * FROM audit_log WHERE at >= ? AND kind IN ({marks})
                ORDER BY seq DESC LIMIT ?""",
            (since, *kinds, limit),
        )
        return [audit_from_row(r) for r in rows]

    def last_seq(self) -> int:
        row = self._one("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
        return int(row[0]) if row else 0


class AuditWrites(CounterReads):
    """Appends to the log (reads who is at a counter to attribute a bridge's action)."""

    events: list[CommittedEvent]

    def record(
        self,
        kind: str,
        at: float,
        payload: dict[str, Any],
        *,
        ticket_id: str | None = None,
        counter: int | None = None,
        actor: str | None = None,
        actor_role: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """Append to the audit log; the payload is published as a live event after commit.
        A hardware bridge acts for a counter: its records also name the clerk signed in there
        at that moment (``detail.clerk``, None if nobody), read in the same transaction."""
        detail = detail or {}
        if actor_role == "hardware" and counter is not None:
            detail = {**detail, "clerk": self.clerk_at(counter)}
        cur = self.conn.execute(
            """INSERT INTO audit_log (at, kind, ticket_id, counter, actor, actor_role, detail)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (at, kind, ticket_id, counter, actor, actor_role,
             json.dumps(detail, ensure_ascii=False)),
        )
        rec = AuditRecord(int(cur.lastrowid or 0), at, kind, ticket_id, counter, actor,
                          actor_role, detail)
        self.events.append((rec, payload))
        return rec
