"""Tickets still active when the office's day changes end as 'not attended'."""

from __future__ import annotations

import asyncio
from pathlib import Path

from server import bootstrap
from server.auth import Passwords, Principal, Role
from server.config import DEMO_CONFIG, load_config
from server.services.office import OfficeSettings
from tests.server.factories import KIOSK

SUP = Principal(Role.SUPERVISOR, "s", "s", 2)


def test_stale_tickets_close_and_numbering_restarts_the_next_day(tmp_path: Path) -> None:
    now = [1_764_601_200.0]  # Monday 2025-12-01 10:00 in Bogotá
    services = bootstrap.build(tmp_path / "t.db", load_config(DEMO_CONFIG),
                               OfficeSettings(open_all_hours=True), passwords=Passwords.cheap(),
                               clock=lambda: now[0])
    ticketing, desk, reading = services.ticketing, services.desk, services.reading

    async def scenario() -> None:
        called = await ticketing.issue_ticket("A", None, KIOSK)
        waiting = await ticketing.issue_ticket("A", None, KIOSK)
        await desk.call_next(1, SUP)  # calls the first one; the second still waits
        assert called["number"] == "A-001" and waiting["number"] == "A-002"
        now[0] += 16 * 3600  # Tuesday 02:00
        closed = await ticketing.close_stale_days()
        assert closed == 2
        for t in (waiting, called):
            got = await reading.get_ticket(t["id"])
            assert got["status"] == "not_attended" and got["outcome"] == "not_attended"
        fresh = await ticketing.issue_ticket("A", None, KIOSK)
        assert fresh["number"] == "A-001"
        history = await reading.ticket_history(called["id"])
        assert history[-1]["type"] == "ticket.not_attended"
        assert await ticketing.close_stale_days() == 0

    try:
        asyncio.run(scenario())
    finally:
        services.close()
