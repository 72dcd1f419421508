"""JSON shapes of tickets and counters, as the API, events and pages show them.

These field names are a contract with kiosks, boards, the panel and the hardware bridge:
extend, never rename.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from server.config import OfficeConfig
from server.queue.model import Ticket
from server.storage import CounterRow


def iso(ts: float | None, tz: ZoneInfo) -> str | None:
    """Local office time with its UTC offset, to the millisecond."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz).isoformat(timespec="milliseconds")


def ticket_view(
    t: Ticket,
    cfg: OfficeConfig,
    public_url: str,
    *,
    ahead: int | None = None,
    estimated_wait_min: int | None = None,
    counters_open: int | None = None,
    wait_note: str | None = None,
) -> dict[str, Any]:
    tz = cfg.tz
    service = cfg.service(t.service)
    group = cfg.group(t.group) if t.group else None
    counter = cfg.counter(t.counter) if t.counter is not None else None
    return {
        "id": t.id,
        "number": t.number,
        "service": t.service,
        "service_name": service.name if service else t.service,
        "group": t.group,
        "group_name": group.name if group else None,
        "preferential": t.preferential,
        "status": str(t.status),
        "outcome": str(t.outcome) if t.outcome else None,
        "issued_at": iso(t.issued_at, tz),
        "queued_at": iso(t.queued_at, tz),
        "called_at": iso(t.called_at, tz),
        "first_called_at": iso(t.first_called_at, tz),
        "started_at": iso(t.started_at, tz),
        "finished_at": iso(t.finished_at, tz),
        "counter": t.counter,
        "counter_name": counter.name if counter else None,
        "clerk": t.clerk,
        "call_count": t.call_count,
        "transfers": t.transfers,
        "kiosk": t.kiosk,
        "first_service": t.first_service,
        "first_counter": t.first_counter,
        "first_clerk": t.first_clerk,
        "ahead": ahead,
        "estimated_wait_min": estimated_wait_min,
        "counters_open": counters_open,
        "wait_note": wait_note,
        "status_url": f"{public_url.rstrip('/')}/t/{t.id}",
    }


#: Fields of the ticket view a citizen's phone may see: nothing about who served them or which
#: kiosk printed it (GET /tickets/{id} and the /t/<id> live feed are public by capability).
PUBLIC_FIELDS = ("id", "number", "service", "service_name", "group", "group_name",
                 "preferential", "status", "outcome", "issued_at", "called_at", "counter",
                 "counter_name", "call_count", "transfers", "ahead", "estimated_wait_min",
                 "counters_open", "wait_note", "status_url")


def public_ticket(view: dict[str, Any]) -> dict[str, Any]:
    return {k: view.get(k) for k in PUBLIC_FIELDS}


def counter_view(
    row: CounterRow, cfg: OfficeConfig, ticket: dict[str, Any] | None
) -> dict[str, Any]:
    counter = cfg.counter(row.number)
    return {
        "number": row.number,
        "name": counter.name if counter else f"Ventanilla {row.number}",
        "services": list(counter.services) if counter else [],
        "state": row.state,
        "clerk": row.clerk,
        "clerk_name": row.clerk_name,
        "pause_reason": row.pause_reason,
        "since": iso(row.since, cfg.tz),
        "ticket": ticket,
    }
