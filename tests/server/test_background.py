"""The server's background loops run for its whole life: one that stops is logged at once
and started again (before, its error waited in the task until shutdown, and its work, such
as the daily backups, stopped with nothing in the log)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from server import background


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
