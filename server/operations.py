"""Wiring of the operations side (health check, device sightings, daily backups) into a
running app; called once from the app's lifespan, undone by the function it returns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from server.backup import BackupScheduler
from server.config import BackupSchedule
from server.health import HealthService


def start(app: FastAPI, db: Path, schedule: BackupSchedule | None, tz: ZoneInfo
          ) -> Callable[[], None]:
    """Needs ``app.state.accounts`` and ``app.state.hub``; sets ``app.state.health``."""
    health = HealthService(db, tz, schedule=schedule, connected=app.state.hub.connected_tokens)
    app.state.health = health
    app.state.accounts.on_resolve = health.sightings.seen
    backups = BackupScheduler(db, schedule, tz).start() if schedule else None

    def stop() -> None:
        if backups is not None:
            backups.cancel()
        health.storage.stop()

    return stop
