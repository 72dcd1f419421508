"""`turnero demo --history-days N`: past tickets for the demo, so the charts have data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from server.config import OfficeConfig
from server.stats.history import HistoryPlan, generate
from server.storage.history_bulk import insert_history

DEMO_TICKETS_PER_DAY = 250


def fill_demo_history(db: Path, cfg: OfficeConfig, days: int, today: date | None = None) -> int:
    """Tickets for the ``days`` days before today (today stays live), served by the demo
    clerks ventanilla1…; returns how many were written."""
    today = today or datetime.now(cfg.tz).date()
    clerks = {c.number: f"ventanilla{c.number}" for c in cfg.counters}
    plan = HistoryPlan(today - timedelta(days=days), today - timedelta(days=1),
                       DEMO_TICKETS_PER_DAY, seed=days, clerks=clerks)
    return insert_history(db, generate(cfg, plan))
