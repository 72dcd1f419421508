"""The writer: one thread owns the write connection.

Callers hand it plain functions of a ``Tx``; the thread runs whatever is queued as one
``BEGIN IMMEDIATE`` transaction, each function inside its own SAVEPOINT (a failing request
rolls back alone), then COMMITs once and only then answers every caller. With WAL and
``synchronous=FULL`` that commit is on disk before any caller is told "done": an acknowledged
ticket survives kill -9 and power loss, and many concurrent requests share one fsync (group
commit). Events recorded by a function are handed to ``on_commit`` in commit order, after
COMMIT. Reads that need not be inside a write go to the ``ReadPool`` instead.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from server.storage.connection import Tx
from server.storage.migrations import connect, migrate
from server.storage.rows import CommittedEvent

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_BATCH = 128


@dataclass
class _Job:
    fn: Callable[[Tx], Any]
    future: concurrent.futures.Future[Any]


#: Told the events of every commit, in commit order, on the writer thread.
CommitListener = Callable[[list[CommittedEvent]], None]


class Store:
    """A SQLite database with one writer thread. Open with ``Store.open(path)``."""

    def __init__(self, path: Path, conn: sqlite3.Connection,
                 on_commit: CommitListener | None = None) -> None:
        self.path = path
        self._conn = conn
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._writer_loop, name="turnero-writer",
                                        daemon=True)
        self._on_commit = on_commit
        self._closed = False
        self._thread.start()

    @classmethod
    def open(cls, path: str | Path, on_commit: CommitListener | None = None) -> Store:
        """Open (creating and migrating if needed) and start the writer thread."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path)
        try:
            migrate(conn)
        except Exception:
            conn.close()
            raise
        # Every job runs in a savepoint, whose sub-journal SQLite keeps in a temporary file by
        # default: created, written and unlinked in /var/tmp at every commit (five system
        # calls per issue, ~7 % of its server CPU). A job's sub-journal is a few pages, and
        # the WAL, not the sub-journal, is what makes a commit durable.
        conn.execute("PRAGMA temp_store = MEMORY")
        return cls(path, conn, on_commit)

    def submit(self, fn: Callable[[Tx], T]) -> concurrent.futures.Future[T]:
        if self._closed:
            raise RuntimeError("store is closed")
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._jobs.put(_Job(fn, fut))
        return fut

    def run_sync(self, fn: Callable[[Tx], T]) -> T:
        return self.submit(fn).result()

    async def run(self, fn: Callable[[Tx], T]) -> T:
        return await asyncio.wrap_future(self.submit(fn))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        self._thread.join(timeout=30)
        self._conn.close()

    # -- writer thread --------------------------------------------------------------------
    def _writer_loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            batch = [job]
            stop = False
            while len(batch) < MAX_BATCH:
                try:
                    nxt = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                batch.append(nxt)
            # A caller that gave up while its job waited (a timed-out health probe, a
            # cancelled request) has a cancelled future: its job is not run, since nobody
            # will be told it was done. The others are marked running, so a late cancel can
            # no longer make their answer fail.
            batch = [j for j in batch if j.future.set_running_or_notify_cancel()]
            if batch:
                self._run_batch_safely(batch)
            if stop:
                return

    def _run_batch_safely(self, batch: list[_Job]) -> None:
        """Run one batch; whatever goes wrong, the writer thread lives on to serve the next
        (if it ended, every later write would wait forever)."""
        try:
            self._run_batch(batch)
        except Exception as e:  # noqa: BLE001 - handed to the callers (and logged)
            if not isinstance(e, sqlite3.Error):  # a storage error is the callers' to report
                log.exception("writer batch failed")
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(e)

    def _run_batch(self, batch: list[_Job]) -> None:
        """One transaction for the batch; a failure to begin or commit it reaches every job's
        caller through ``_run_batch_safely``, which also rolls back."""
        conn = self._conn
        tx = Tx(conn)
        if conn.in_transaction:  # the rollback after a failed batch failed too
            conn.execute("ROLLBACK")
        conn.execute("BEGIN IMMEDIATE")
        outcomes = self._run_jobs(tx, batch)
        conn.execute("COMMIT")
        if tx.events and self._on_commit is not None:
            try:
                self._on_commit(tx.events)
            except Exception:  # noqa: BLE001 - a listener bug must not lose acknowledgements
                log.exception("commit listener failed")
        for job, result, error in outcomes:
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(result)

    def _run_jobs(self, tx: Tx, batch: list[_Job]) -> list[tuple[_Job, Any, BaseException | None]]:
        """Each job of the open transaction in its own savepoint: a job that raises is rolled
        back alone (its events dropped), the others stay in the batch's one commit."""
        conn = self._conn
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        for job in batch:
            mark = len(tx.events)
            conn.execute("SAVEPOINT job")
            try:
                result = job.fn(tx)
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                conn.execute("ROLLBACK TO job")
                conn.execute("RELEASE job")
                del tx.events[mark:]
                outcomes.append((job, None, e))
            else:
                conn.execute("RELEASE job")
                outcomes.append((job, result, None))
        return outcomes
