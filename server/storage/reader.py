"""The read path: a small pool of read-only connections beside the writer.

WAL lets readers run while the writer commits, each read seeing one consistent committed
snapshot, so reads never queue behind writes (and a slow report never holds up a kiosk).
Each pool thread owns one connection (``query_only``); ``run`` hands a function of a
``Reader`` to the pool and awaits it, so blocking SQLite calls never run on the event loop.
A caller is answered only after its write committed, so a read it starts next sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from server.storage.connection import Reader

T = TypeVar("T")

#: Read threads: enough for a few reports while phones and panels read; SQLite readers are
#: cheap, and the 2-core boxes offices use gain nothing from more.
POOL_SIZE = 4


def open_reader(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (``query_only``), usable from one thread at a time."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA query_only = ON")
    return conn


@contextlib.contextmanager
def snapshot(path: str | Path) -> Iterator[Reader]:
    """One read transaction on a new read-only connection, closed after it (a streamed
    export, or a report in the analytics process)."""
    conn = open_reader(path)
    try:
        conn.execute("BEGIN")
        try:
            yield Reader(conn)
        finally:
            conn.execute("COMMIT")
    finally:
        conn.close()


class ReadPool:
    """Read connections for one database file (already migrated: see ``prepare``)."""

    def __init__(self, path: str | Path, size: int = POOL_SIZE) -> None:
        self.path = Path(path)
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="turnero-read")
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_reader(self.path)
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _run(self, fn: Callable[[Reader], T]) -> T:
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            return fn(Reader(conn))
        finally:
            conn.execute("COMMIT")

    async def run(self, fn: Callable[[Reader], T]) -> T:
        """Run ``fn`` in one read transaction on a pool thread."""
        return await asyncio.wrap_future(self._executor.submit(self._run, fn))

    def run_sync(self, fn: Callable[[Reader], T]) -> T:
        return self._executor.submit(self._run, fn).result()

    def snapshot(self) -> contextlib.AbstractContextManager[Reader]:
        """A read transaction on a connection of its own, for long reads consumed piece by
        piece (a streamed export): it does not hold a pool thread meanwhile."""
        return snapshot(self.path)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        with self._lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
