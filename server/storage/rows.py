"""Row types the storage hands out, and the mapping between ticket rows and ``Ticket``."""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from server.queue.model import Outcome, Status, Ticket
from server.queue.survey import SurveyTicket


@dataclass
class AuditRecord:
    seq: int
    at: float
    kind: str
    ticket_id: str | None
    counter: int | None
    actor: str | None
    actor_role: str | None
    detail: dict[str, Any]


@dataclass
class CounterRow:
    number: int
    state: str = "closed"
    clerk: str | None = None
    clerk_name: str | None = None
    pause_reason: str | None = None
    since: float | None = None
    preferential_streak: int = 0


@dataclass(frozen=True)
class BridgeRow:
    """A hardware bridge: its token, the counters it acts for, its last report."""

    token_id: int
    name: str
    revoked: bool
    counters: tuple[int, ...]
    last_seen: float | None
    status: dict[str, Any]


@dataclass
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    password_hash: str
    active: bool
    created_at: float


@dataclass
class TokenRow:
    id: int
    token_hash: str
    kind: str
    role: str
    name: str
    user_id: int | None
    counter: int | None
    csrf: str | None
    created_at: float
    expires_at: float | None
    revoked_at: float | None
    parent_id: int | None = None


#: A recorded event and the live message payload to publish after commit.
CommittedEvent = tuple[AuditRecord, dict[str, Any]]

TICKET_COLUMNS = (
    "id", "number", "letter", "seq", "day", "service", "group_code", "status", "outcome",
    "issued_at", "queued_at", "first_called_at", "called_at", "started_at", "finished_at",
    "counter", "clerk", "call_count", "transfers", "kiosk", "first_service", "first_counter",
    "first_clerk",
)


def ticket_select(alias: str = "") -> str:
    """``TICKET_COLUMNS`` for a SELECT, in order (``alias``: a table prefix such as ``t.``)."""
    return ", ".join(alias + c for c in TICKET_COLUMNS)


@functools.lru_cache(maxsize=2048)
def ticket_from_values(values: tuple[Any, ...]) -> Ticket:
    """A ticket from its ``TICKET_COLUMNS`` values, in that order, kept by content.

    Every ticket issued reads the front of the line (60 tickets) for the estimate; building
    60 frozen dataclasses from named row lookups cost more than the query itself, and those
    rows are the same from one issue to the next. A row that changed is another key, and a
    ``Ticket`` is immutable, so handing out the same object again is exact."""
    return _ticket(values)


def ticket_from_row(row: sqlite3.Row) -> Ticket:
    return _ticket(tuple(row[c] for c in TICKET_COLUMNS))


def _ticket(values: tuple[Any, ...]) -> Ticket:
    (id_, number, letter, seq, day, service, group, status, outcome, issued_at, queued_at,
     first_called_at, called_at, started_at, finished_at, counter, clerk, call_count,
     transfers, kiosk, first_service, first_counter, first_clerk) = values
    return Ticket(
        id=id_, number=number, letter=letter, seq=seq, day=day, service=service, group=group,
        status=Status(status), outcome=Outcome(outcome) if outcome else None,
        issued_at=issued_at, queued_at=queued_at, first_called_at=first_called_at,
        called_at=called_at, started_at=started_at, finished_at=finished_at, counter=counter,
        clerk=clerk, call_count=call_count, transfers=transfers, kiosk=kiosk,
        first_service=first_service, first_counter=first_counter, first_clerk=first_clerk,
    )


def ticket_values(t: Ticket) -> tuple[Any, ...]:
    return (
        t.id, t.number, t.letter, t.seq, t.day, t.service, t.group, str(t.status),
        str(t.outcome) if t.outcome else None, t.issued_at, t.queued_at, t.first_called_at,
        t.called_at, t.started_at, t.finished_at, t.counter, t.clerk, t.call_count,
        t.transfers, t.kiosk, t.first_service, t.first_counter, t.first_clerk,
    )


def audit_from_row(row: sqlite3.Row) -> AuditRecord:
    return AuditRecord(row["seq"], row["at"], row["kind"], row["ticket_id"], row["counter"],
                       row["actor"], row["actor_role"], json.loads(row["detail"]))


def user_from_row(row: sqlite3.Row) -> UserRow:
    d = dict(row)
    d["active"] = bool(d["active"])
    return UserRow(**d)


def survey_ticket_from_row(row: sqlite3.Row | None) -> SurveyTicket | None:
    if row is None:
        return None
    return SurveyTicket(row["id"], row["number"], Status(row["status"]), row["finished_at"],
                        row["satisfaction"], row["counter"])
