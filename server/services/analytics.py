"""Long statistics in a process of their own, so they never hold the server's GIL.

A year summary is ~1 s of Python over a few hundred thousand rows (the percentiles need every
duration). On a read-pool thread it still holds the interpreter lock: while it runs the event
loop, and so every kiosk and board, waits. In a separate process it competes only for a core.
The process reads the same SQLite file through its own read-only connection (WAL: a
consistent snapshot beside the writer) and computes with the same code, so the figures are
identical. The pool starts its process on first use and keeps it for the next report. The
export files (every XLSX, a long range's tickets CSV: seconds of work for a year) are
written there too, one report at a time. When the process dies
(the system killed it: out of memory, an operator), a new one is started and the report asked
again once: a dead process must not leave every later long report failing until a restart.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from server.storage import Reader
from server.storage.reader import snapshot

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Ranges at least this long go to the analytics process; shorter ones (a day, a week, a
#: month: tens of milliseconds) are cheaper on the read pool than a trip to another process.
MIN_DAYS = 62


def read_in_process(path: str, fn: Callable[[Reader], T]) -> T:
    """Run ``fn`` in one read transaction on a connection of this process."""
    with snapshot(path) as reader:
        return fn(reader)


class Analytics:
    """One worker process for the long reports of one database."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:  # an export's worker thread and the event loop may both start it
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        """Forget a pool whose process died, so the next report starts a new one."""
        log.warning("el proceso de estadísticas terminó inesperadamente; se inicia otro")
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[[Reader], T]) -> T:
        """``fn`` must be picklable (a module-level function or a ``functools.partial``)."""
        loop = asyncio.get_running_loop()
        pool = self._executor()
        try:
            return await loop.run_in_executor(pool, read_in_process, self.path, fn)
        except BrokenProcessPool:
            self._discard(pool)
        return await loop.run_in_executor(self._executor(), read_in_process, self.path, fn)

    def run_sync(self, fn: Callable[[Reader], T]) -> T:
        """``run`` from a worker thread (an export file being written)."""
        pool = self._executor()
        try:
            return pool.submit(read_in_process, self.path, fn).result()
        except BrokenProcessPool:
            self._discard(pool)
        return self._executor().submit(read_in_process, self.path, fn).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
