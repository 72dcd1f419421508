"""Tickets still active when the office's day changes end as 'not attended'."""

from __future__ import annotations

import asyncio
from pathlib import Path

from server.auth import Principal, Role
from server.config import DEMO_CONFIG, load_config
from server.engine import Engine, EngineSettings
from server.storage import Store

KIOSK = Principal(Role.KIOSK, "k", "k", 1)
SUP = Principal(Role.SUPERVISOR, "s", "s", 2)


def test_stale_tickets_close_and_numbering_restarts_the_next_day(tmp_path: Path) -> None:
    now = [1_764_601_200.0]  # Monday 2025-12-01 10:00 in Bogotá
    store = Store.open(tmp_path / "t.db")
    engine = Engine.load(store, load_config(DEMO_CONFIG), EngineSettings(open_all_hours=True),
                         clock=lambda: now[0])

    async def scenario() -> None:
        called = await engine.issue_ticket("A", None, KIOSK)
        waiting = await engine.issue_ticket("A", None, KIOSK)
        await engine.call_next(1, SUP)  # calls the first one; the second still waits
        assert called["number"] == "A-001" and waiting["number"] == "A-002"
        now[0] += 16 * 3600  # Tuesday 02:00
        closed = await engine.close_stale_days()
        assert closed == 2
        for t in (waiting, called):
            got = await engine.get_ticket(t["id"])
            assert got["status"] == "not_attended" and got["outcome"] == "not_attended"
        fresh = await engine.issue_ticket("A", None, KIOSK)
        assert fresh["number"] == "A-001"
        history = await engine.ticket_history(called["id"])
        assert history[-1]["type"] == "ticket.not_attended"
        assert await engine.close_stale_days() == 0

    try:
        asyncio.run(scenario())
    finally:
        store.close()
