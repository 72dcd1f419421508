"""The server's background loops run for its whole life: one that stops is logged at once
and started again (before, its error waited in the task until shutdown, and its work, such
as the daily backups, stopped with nothing in the log)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server import background
from server.backup import BackupScheduler, last_ok_at, status_path
from server.config import BackupSchedule
from server.storage import Store


def test_a_loop_that_stops_is_logged_at_once_and_started_again(
        caplog: pytest.LogCaptureFixture) -> None:
    runs: list[int] = []
    third = asyncio.Event()

    async def fails_then_runs() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise OSError(28, "No queda espacio en el dispositivo")
        if len(runs) == 2:
            return
        third.set()
        await asyncio.Event().wait()  # the third start keeps running

    async def main() -> None:
        task = asyncio.create_task(background.keep_running("copias", fails_then_runs, 0.01))
        await asyncio.wait_for(third.wait(), 10)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with caplog.at_level(logging.ERROR, logger="turnero.background"):
        asyncio.run(main())
    assert runs == [0, 1, 2]
    failed, ended = caplog.records
    assert "«copias» se detuvo por un error" in failed.getMessage()
    assert failed.exc_info is not None and "No queda espacio" in str(failed.exc_info[1])
    assert "«copias» terminó" in ended.getMessage()


def test_a_status_file_edited_by_hand_does_not_end_the_daily_backups(tmp_path: Path) -> None:
    """The scheduler read the last copy's time as ``float(...)`` outside its error handling:
    a status file whose time was not a number ended the backups for good."""
    db = tmp_path / "turnero.db"
    Store.open(db).close()
    status_path(db).write_text(json.dumps({"last_ok": {"at": "ayer"}}), encoding="utf-8")
    assert last_ok_at(db) is None
    folder = tmp_path / "copias"
    scheduler = BackupScheduler(db, BackupSchedule(time_of_day(0, 0), folder, 2),
                                ZoneInfo("America/Bogota"))

    async def first_copy() -> list[Path]:
        task = scheduler.start()
        try:
            while not list(folder.glob("turnero-2*.db")):
                assert not task.done()
                await asyncio.sleep(0.02)
        finally:
            task.cancel()
        return list(folder.glob("turnero-2*.db"))

    assert len(asyncio.run(asyncio.wait_for(first_copy(), 30))) == 1
    assert isinstance(last_ok_at(db), float)
