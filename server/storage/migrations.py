"""Every schema change, named and in order, in one place.

Migrations are recorded in ``_migrations`` and counted in ``PRAGMA user_version``; a database
from a newer program is refused (``SchemaTooNew``), never modified. To change the schema,
write a function below and APPEND it to ``MIGRATIONS``; never edit a released one.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from server.errors import SchemaTooNew
from server.storage.central_outbox import m_central_outbox
from server.storage.line_counts import m_line_counts
from server.storage.stats_rollups import m_stats_rollups


def _m001_initial(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE tickets (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL,
            letter TEXT NOT NULL,
            seq INTEGER NOT NULL,
            day TEXT NOT NULL,
            service TEXT NOT NULL,
            group_code TEXT,
            status TEXT NOT NULL,
            outcome TEXT,
            issued_at REAL NOT NULL,
            queued_at REAL NOT NULL,
            first_called_at REAL,
            called_at REAL,
            started_at REAL,
            finished_at REAL,
            counter INTEGER,
            clerk TEXT,
            call_count INTEGER NOT NULL DEFAULT 0,
            transfers INTEGER NOT NULL DEFAULT 0,
            kiosk TEXT,
            hour INTEGER NOT NULL,
            weekday INTEGER NOT NULL,
            print_status TEXT,
            UNIQUE (day, letter, seq)
        )"""
    )
    db.execute("CREATE INDEX tickets_status ON tickets(status)")
    db.execute("CREATE INDEX tickets_day_service ON tickets(day, service)")
    db.execute("CREATE INDEX tickets_issued_at ON tickets(issued_at)")
    db.execute(
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            kind TEXT NOT NULL,
            ticket_id TEXT,
            counter INTEGER,
            actor TEXT,
            actor_role TEXT,
            detail TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX audit_ticket ON audit_log(ticket_id)")
    db.execute("CREATE INDEX audit_at ON audit_log(at)")
    db.execute("CREATE INDEX audit_kind_at ON audit_log(kind, at)")
    for op in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
        )
    db.execute(
        """CREATE TABLE counters (
            number INTEGER PRIMARY KEY,
            state TEXT NOT NULL DEFAULT 'closed',
            clerk TEXT,
            clerk_name TEXT,
            pause_reason TEXT,
            since REAL,
            preferential_streak INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at REAL NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE tokens (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            counter INTEGER,
            csrf TEXT,
            created_at REAL NOT NULL,
            expires_at REAL,
            revoked_at REAL
        )"""
    )
    db.execute(
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at REAL)"
    )


def _m002_waiting_index(db: sqlite_utils.Database) -> None:
    """The line of one service in order: issue and call read only what they need."""
    db.execute("CREATE INDEX tickets_line ON tickets(status, service, queued_at)")


def _m003_satisfaction_characterization(db: sqlite_utils.Database) -> None:
    """Satisfaction is stored with the ticket (one anonymous answer per ticket); the optional
    characterization answers in their own table, one row per (ticket, question), so an office
    can add questions without a schema change. Indexes:
    - tickets(counter, finished_at): the counter tablet asks "last ticket finished here".
    - ticket_characterization(question, answer, ticket_id): statistics filtered by an answer.
    """
    db.execute("ALTER TABLE tickets ADD COLUMN satisfaction INTEGER")
    db.execute("ALTER TABLE tickets ADD COLUMN satisfaction_reason TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN satisfaction_at REAL")
    db.execute(
        """CREATE TABLE ticket_characterization (
            ticket_id TEXT NOT NULL REFERENCES tickets(id),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            PRIMARY KEY (ticket_id, question)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX ticket_characterization_answer "
               "ON ticket_characterization(question, answer, ticket_id)")
    db.execute("CREATE INDEX tickets_counter_finished ON tickets(counter, finished_at)")


def _m004_hot_path_indexes(db: sqlite_utils.Database) -> None:
    """Covering index for "people ahead" (an index-only count per class), and a partial index
    for the latest attentions of a service (estimates)."""
    db.execute(
        """CREATE INDEX tickets_line_class ON tickets(
               status, service, (group_code IS NOT NULL), queued_at, issued_at, number)"""
    )
    db.execute(
        """CREATE INDEX tickets_served_recent ON tickets(service, day, finished_at)
           WHERE outcome = 'served'"""
    )


def _m005_request_ids(db: sqlite_utils.Database) -> None:
    """A kiosk's idempotency key per ticket: a retried request gets the same ticket back."""
    db.execute("ALTER TABLE tickets ADD COLUMN request_id TEXT")
    db.execute(
        """CREATE UNIQUE INDEX tickets_request ON tickets(kiosk, request_id)
           WHERE request_id IS NOT NULL"""
    )


def _m007_hardware_devices(db: sqlite_utils.Database) -> None:
    """One row per hardware-bridge token: the counters it may act for (JSON list of numbers),
    when it last reported and what (the status of each display and button port)."""
    db.execute(
        """CREATE TABLE hardware_devices (
            token_id INTEGER PRIMARY KEY REFERENCES tokens(id),
            counters TEXT NOT NULL,
            last_seen REAL,
            status TEXT NOT NULL DEFAULT '{}'
        )"""
    )


def _m006_security(db: sqlite_utils.Database) -> None:
    """Security hardening (docs/security.md): the survey-key secret; device sessions (a
    board's or tablet's cookie holds a session tied to its device token, revoked with it); one
    active device token per name, since idempotency keys and print-status ownership go by
    name. Active duplicates from before are renamed ``name-<id>`` (the oldest keeps it)."""
    db.execute("ALTER TABLE tokens ADD COLUMN parent_id INTEGER REFERENCES tokens(id)")
    db.execute(
        """UPDATE tokens SET name = name || '-' || id
           WHERE kind = 'device' AND revoked_at IS NULL AND id NOT IN (
               SELECT MIN(id) FROM tokens WHERE kind = 'device' AND revoked_at IS NULL
               GROUP BY name COLLATE NOCASE)"""
    )
    db.execute(
        """CREATE UNIQUE INDEX tokens_active_device_name ON tokens(name COLLATE NOCASE)
           WHERE kind = 'device' AND revoked_at IS NULL"""
    )
    db.execute(
        "INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES (?, ?, NULL)",
        ("survey_secret", json.dumps(secrets.token_urlsafe(32))),
    )


def _m010_transfer_first_counter(db: sqlite_utils.Database) -> None:
    """Before a ticket's first transfer: its service, and the counter and clerk that called
    it (the transfer clears ``counter``/``clerk`` for the next counter)."""
    db.execute("ALTER TABLE tickets ADD COLUMN first_service TEXT")
    db.execute("ALTER TABLE tickets ADD COLUMN first_counter INTEGER")
    db.execute("ALTER TABLE tickets ADD COLUMN first_clerk TEXT")


def _m012_drop_status_index(db: sqlite_utils.Database) -> None:
    """``tickets_status`` is a prefix of ``tickets_line`` (status, service, queued_at), which
    answers every query by status as well: one index less for every ticket written (an
    issue wrote 19 pages to the WAL)."""
    db.execute("DROP INDEX IF EXISTS tickets_status")


#: Named migrations, applied in order. Append only; never edit a released one.
MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_initial", _m001_initial),
    ("002_waiting_index", _m002_waiting_index),
    ("003_satisfaction_characterization", _m003_satisfaction_characterization),
    ("004_hot_path_indexes", _m004_hot_path_indexes),
    ("005_request_ids", _m005_request_ids),
    ("007_hardware_devices", _m007_hardware_devices),
    ("008_central_outbox", m_central_outbox),
    ("009_line_counts", m_line_counts),
    ("006_security", _m006_security),
    ("010_transfer_first_counter", _m010_transfer_first_counter),
    ("011_stats_rollups", m_stats_rollups),
    ("012_drop_status_index", _m012_drop_status_index),
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; refuse a database written by a newer program."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise SchemaTooNew(
            f"Esta base de datos tiene el esquema {version}, más nuevo que el que conoce este "
            f"programa ({len(MIGRATIONS)}). Actualice Turnero; no se modificó nada."
        )
    db = sqlite_utils.Database(conn)
    applied: list[str] = []
    if "_migrations" not in db.table_names():
        conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    for index, (name, fn) in enumerate(MIGRATIONS, start=1):
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            fn(db)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", (name,)
            )
            conn.execute(f"PRAGMA user_version = {index}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection with the settings every Turnero connection uses (WAL, full sync)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def prepare(path: str | Path) -> list[str]:
    """Create the folder and database if needed and apply pending migrations (or refuse a
    newer schema); returns the names applied. Run before any reader or writer opens it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    try:
        return migrate(conn)
    finally:
        conn.close()
