"""Queries the clerk panel needs beyond the live queue: today's tickets in one status (e.g. the
no-shows a clerk may bring back to the line)."""

from __future__ import annotations

from server.queue.model import Status, Ticket
from server.storage.store import Tx, _ticket_from_row


def tickets_of_day(tx: Tx, day: str, status: Status, services: tuple[str, ...] | None = None,
                   limit: int = 200) -> list[Ticket]:
    """Tickets of ``day`` in ``status``, most recently finished (or issued) first, optionally
    only of some services."""
    sql = "SELECT * FROM tickets WHERE day = ? AND status = ?"
    params: list[object] = [day, str(status)]
    if services is not None:
        if not services:
            return []
        sql += f" AND service IN ({', '.join('?' for _ in services)})"
        params.extend(services)
    sql += " ORDER BY COALESCE(finished_at, called_at, issued_at) DESC LIMIT ?"
    params.append(limit)
    return [_ticket_from_row(r) for r in tx.conn.execute(sql, params).fetchall()]
