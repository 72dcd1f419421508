"""One server per database file: a lock file next to the database, held with ``flock``.

Two ``turnero serve`` on one file would each keep their own live state and their boards would
diverge; ``turnero restore`` must never replace a database a server has open. Both take this
lock. The kernel releases it when the process ends, even after ``kill -9``, so a crash never
leaves a stale lock behind; the file only carries the holder's pid for the message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class InstanceBusy(Exception):
    """Another process holds the database. ``pid`` is its process id (None if unknown)."""

    def __init__(self, db: Path, pid: int | None, what: str) -> None:
        holder = f"el proceso {pid}" if pid else "otro proceso"
        super().__init__(
            f"La base de datos {db} ya está en uso por {holder} (otro «turnero serve»). "
            f"{what}")
        self.pid = pid


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


class InstanceLock:
    """``with InstanceLock(db): ...`` or ``lock.acquire()`` / ``lock.release()``."""

    def __init__(self, db: Path, refusal: str = "Deténgalo antes de iniciar otro.") -> None:
        self.db = Path(db)
        self.path = lock_path(self.db)
        self.refusal = refusal
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise InstanceBusy(self.db, pid, self.refusal) from None
        try:  # the pid is only for the message: a full disk must not stop the server
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def holder_pid(db: Path) -> int | None:
    """The pid of the process serving ``db``, or None when no server holds it (or the lock
    file cannot be opened by this user: then no server of this user holds it either)."""
    try:
        with InstanceLock(db):
            return None
    except InstanceBusy as e:
        return e.pid or -1
    except OSError:
        return None


def _read_pid(fd: int) -> int | None:
    try:
        raw = os.pread(fd, 32, 0).decode().strip()
        return int(raw) if raw else None
    except (OSError, ValueError):
        return None
