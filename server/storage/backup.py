"""Copying a live database and checking a copy: SQLite's online backup API, integrity check.

The copy is read through its own connection inside one read transaction: with WAL that is a
snapshot that never blocks the writer (issuing goes on during a backup), and it holds every
transaction committed before the backup began — so every ticket acknowledged before it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CopyCheck:
    """What a verified copy holds."""

    integrity: str
    tickets: int
    schema_version: int

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None)
    else:
        conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def ticket_count(path: Path) -> int:
    conn = _connect(path, readonly=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0])
    finally:
        conn.close()


def copy_database(source: Path, dest: Path) -> int:
    """Copy ``source`` (possibly in use by a server) into a new file ``dest`` in one step
    (one snapshot). Returns the number of tickets the snapshot held. The copy is a single
    self-contained file (journal mode DELETE), ready to be opened or copied elsewhere."""
    src = _connect(source, readonly=True)
    try:
        dst = sqlite3.connect(dest, isolation_level=None)
        try:
            src.execute("BEGIN")  # one snapshot for the count and the pages
            held = int(src.execute("SELECT COUNT(*) FROM tickets").fetchone()[0])
            src.backup(dst, pages=-1)
            src.execute("COMMIT")
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return held


def check_copy(path: Path) -> CopyCheck:
    """Integrity check, ticket count and schema version of a database file."""
    conn = _connect(path, readonly=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        integrity = "ok" if rows == ["ok"] else "; ".join(rows[:5])
        try:
            tickets = int(conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0])
        except sqlite3.DatabaseError:
            tickets = -1
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        return CopyCheck(integrity, tickets, version)
    finally:
        conn.close()


def replace_database(source: Path, target: Path) -> None:
    """Overwrite ``target`` with the content of ``source`` through the backup API (it
    rewrites the target's pages and its WAL consistently). No server may have ``target``
    open: the caller holds the instance lock."""
    src = _connect(source, readonly=True)
    try:
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
