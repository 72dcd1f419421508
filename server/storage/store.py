"""SQLite storage: the only module that writes SQL.

Design (see docs/architecture.md):
- One writer thread owns the connection. Callers hand it plain functions of a ``Tx``; the
  thread runs whatever is queued as one ``BEGIN IMMEDIATE`` transaction, each function inside
  its own SAVEPOINT (a failing request rolls back alone), then COMMITs once and only then
  answers every caller. With WAL and ``synchronous=FULL`` that commit is on disk before any
  caller is told "done": an acknowledged ticket survives kill -9 and power loss, and many
  concurrent requests share one fsync (group commit).
- Events recorded by a function are handed to ``on_commit`` in commit order, after COMMIT.
- Migrations are named, recorded in ``_migrations`` and counted in ``PRAGMA user_version``;
  a database from a newer program is refused.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import queue
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from server.queue.model import Outcome, Status, Ticket
from server.storage.migrations_stats import m_satisfaction_characterization

T = TypeVar("T")

MAX_BATCH = 128


class SchemaTooNew(Exception):
    pass


# --------------------------------------------------------------------------- migrations


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


#: Named migrations, applied in order. Append only; never edit a released one.
MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_initial", _m001_initial),
    ("002_waiting_index", _m002_waiting_index),
    ("003_satisfaction_characterization", m_satisfaction_characterization),
    ("004_hot_path_indexes", _m004_hot_path_indexes),
    ("005_request_ids", _m005_request_ids),
    ("006_security", _m006_security),
]


# --------------------------------------------------------------------------- records


@dataclass
class AuditRecord:
    seq: int
    at: float
    kind: str
    ticket_id: str | None
    counter: int | None
    actor: str | None
    actor_role: str | None
    detail: dict[str, Any]


@dataclass
class CounterRow:
    number: int
    state: str = "closed"
    clerk: str | None = None
    clerk_name: str | None = None
    pause_reason: str | None = None
    since: float | None = None
    preferential_streak: int = 0


@dataclass
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    password_hash: str
    active: bool
    created_at: float


@dataclass
class TokenRow:
    id: int
    token_hash: str
    kind: str
    role: str
    name: str
    user_id: int | None
    counter: int | None
    csrf: str | None
    created_at: float
    expires_at: float | None
    revoked_at: float | None
    parent_id: int | None = None


_TICKET_COLUMNS = (
    "id", "number", "letter", "seq", "day", "service", "group_code", "status", "outcome",
    "issued_at", "queued_at", "first_called_at", "called_at", "started_at", "finished_at",
    "counter", "clerk", "call_count", "transfers", "kiosk",
)


def _ticket_from_row(row: sqlite3.Row) -> Ticket:
    return Ticket(
        id=row["id"], number=row["number"], letter=row["letter"], seq=row["seq"],
        day=row["day"], service=row["service"], group=row["group_code"],
        status=Status(row["status"]), outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        issued_at=row["issued_at"], queued_at=row["queued_at"],
        first_called_at=row["first_called_at"], called_at=row["called_at"],
        started_at=row["started_at"], finished_at=row["finished_at"], counter=row["counter"],
        clerk=row["clerk"], call_count=row["call_count"], transfers=row["transfers"],
        kiosk=row["kiosk"],
    )


def _ticket_values(t: Ticket) -> tuple[Any, ...]:
    return (
        t.id, t.number, t.letter, t.seq, t.day, t.service, t.group, str(t.status),
        str(t.outcome) if t.outcome else None, t.issued_at, t.queued_at, t.first_called_at,
        t.called_at, t.started_at, t.finished_at, t.counter, t.clerk, t.call_count,
        t.transfers, t.kiosk,
    )


# --------------------------------------------------------------------------- transaction


@dataclass
class Tx:
    """What a write function sees: typed reads and writes inside the current transaction."""

    conn: sqlite3.Connection
    events: list[tuple[AuditRecord, dict[str, Any]]] = field(default_factory=list)

    def _one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params).fetchall())

    # -- tickets ---------------------------------------------------------------------------
    def next_seq(self, day: str, letter: str) -> int:
        row = self._one(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE day = ? AND letter = ?",
            (day, letter),
        )
        assert row is not None
        return int(row[0])

    def insert_ticket(self, t: Ticket, hour: int, weekday: int,
                      request_id: str | None = None) -> None:
        cols = ", ".join(_TICKET_COLUMNS) + ", hour, weekday, request_id"
        marks = ", ".join("?" for _ in range(len(_TICKET_COLUMNS) + 3))
        self.conn.execute(
            f"INSERT INTO tickets ({cols}) VALUES ({marks})",
            (*_ticket_values(t), hour, weekday, request_id),
        )

    def ticket_for_request(self, kiosk: str, request_id: str) -> Ticket | None:
        row = self._one("SELECT * FROM tickets WHERE kiosk = ? AND request_id = ?",
                        (kiosk, request_id))
        return _ticket_from_row(row) if row else None

    def save_ticket(self, t: Ticket) -> None:
        sets = ", ".join(f"{c} = ?" for c in _TICKET_COLUMNS[1:])
        self.conn.execute(
            f"UPDATE tickets SET {sets} WHERE id = ?", (*_ticket_values(t)[1:], t.id)
        )

    def ticket(self, ticket_id: str) -> Ticket | None:
        row = self._one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return _ticket_from_row(row) if row else None

    def tickets_with_status(self, *statuses: Status) -> list[Ticket]:
        marks = ", ".join("?" for _ in statuses)
        rows = self._all(
            f"SELECT * FROM tickets WHERE status IN ({marks}) ORDER BY queued_at, issued_at",
            tuple(str(s) for s in statuses),
        )
        return [_ticket_from_row(r) for r in rows]

    def line_heads(self, services: tuple[str, ...] | list[str]) -> tuple[list[Ticket], int]:
        """The oldest waiting preferential and the oldest waiting general ticket of some
        services (all the selection rules ever look at), and how many general ones wait."""
        marks = ", ".join("?" for _ in services)
        heads: list[Ticket] = []
        for cls in ("IS NOT NULL", "IS NULL"):
            row = self._one(
                f"""SELECT * FROM tickets WHERE status = 'waiting' AND service IN ({marks})
                    AND group_code {cls} ORDER BY queued_at, issued_at, number LIMIT 1""",
                tuple(services),
            )
            if row:
                heads.append(_ticket_from_row(row))
        count = self._one(
            f"""SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND service IN ({marks})
                AND group_code IS NULL""", tuple(services))
        return heads, int(count[0]) if count else 0

    def line_summary(self) -> dict[str, tuple[int, int, float]]:
        """Per service: (waiting, preferential waiting, oldest queued_at)."""
        rows = self._all(
            """SELECT service, COUNT(*), SUM(group_code IS NOT NULL), MIN(queued_at)
               FROM tickets WHERE status = 'waiting' GROUP BY service"""
        )
        return {r[0]: (int(r[1]), int(r[2]), float(r[3])) for r in rows}

    def count_ahead(self, t: Ticket) -> int:
        """People ahead of ``t`` in its service under strict priority. This is the SQL mirror
        of ``server.queue.policy.rank_in_line`` (kept equal by a property test) so issuing a
        ticket does not read the whole line."""
        row = self._one(
            """SELECT
                 (SELECT COUNT(*) FROM tickets
                  WHERE status = 'waiting' AND service = :service
                    AND (group_code IS NOT NULL) = 1 AND :preferential = 0)
               + (SELECT COUNT(*) FROM tickets
                  WHERE status = 'waiting' AND service = :service
                    AND (group_code IS NOT NULL) = :preferential
                    AND (queued_at, issued_at, number) < (:queued_at, :issued_at, :number))""",
            {"service": t.service, "preferential": int(t.preferential),
             "queued_at": t.queued_at, "issued_at": t.issued_at, "number": t.number},
        )
        return int(row[0]) if row else 0

    def in_hand(self, counter: int) -> Ticket | None:
        row = self._one(
            "SELECT * FROM tickets WHERE counter = ? AND status IN ('called', 'serving')",
            (counter,),
        )
        return _ticket_from_row(row) if row else None

    def active_before_day(self, day: str) -> list[Ticket]:
        rows = self._all(
            "SELECT * FROM tickets WHERE status IN ('waiting', 'called', 'serving') AND day < ?",
            (day,),
        )
        return [_ticket_from_row(r) for r in rows]

    def recent_service_durations(self, service: str, day: str, limit: int) -> list[float]:
        """Seconds of the latest attentions served today, oldest first."""
        rows = self._all(
            """SELECT finished_at - started_at FROM tickets
               WHERE day = ? AND service = ? AND outcome = 'served' AND started_at IS NOT NULL
               ORDER BY finished_at DESC LIMIT ?""",
            (day, service, limit),
        )
        return [float(r[0]) for r in reversed(rows)]

    def set_print_status(self, ticket_id: str, status: str) -> None:
        self.conn.execute("UPDATE tickets SET print_status = ? WHERE id = ?", (status, ticket_id))

    # -- audit log / events ---------------------------------------------------------------
    def record(
        self,
        kind: str,
        at: float,
        payload: dict[str, Any],
        *,
        ticket_id: str | None = None,
        counter: int | None = None,
        actor: str | None = None,
        actor_role: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditRecord:
        """Append to the audit log; the payload is published as a live event after commit."""
        detail = detail or {}
        cur = self.conn.execute(
            """INSERT INTO audit_log (at, kind, ticket_id, counter, actor, actor_role, detail)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (at, kind, ticket_id, counter, actor, actor_role,
             json.dumps(detail, ensure_ascii=False)),
        )
        rec = AuditRecord(int(cur.lastrowid or 0), at, kind, ticket_id, counter, actor,
                          actor_role, detail)
        self.events.append((rec, payload))
        return rec

    def audit_for_ticket(self, ticket_id: str) -> list[AuditRecord]:
        rows = self._all("SELECT * FROM audit_log WHERE ticket_id = ? ORDER BY seq",
                         (ticket_id,))
        return [_audit_from_row(r) for r in rows]

    def audit_since(self, since: float, kinds: tuple[str, ...], limit: int) -> list[AuditRecord]:
        marks = ", ".join("?" for _ in kinds)
        rows = self._all(
            f"""SELECT * FROM audit_log WHERE at >= ? AND kind IN ({marks})
                ORDER BY seq DESC LIMIT ?""",
            (since, *kinds, limit),
        )
        return [_audit_from_row(r) for r in rows]

    def last_seq(self) -> int:
        row = self._one("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
        return int(row[0]) if row else 0

    # -- counters --------------------------------------------------------------------------
    def ensure_counters(self, numbers: list[int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO counters (number) VALUES (?)", [(n,) for n in numbers]
        )

    def counter_row(self, number: int) -> CounterRow:
        row = self._one("SELECT * FROM counters WHERE number = ?", (number,))
        return CounterRow(**dict(row)) if row else CounterRow(number)

    def counter_rows(self) -> dict[int, CounterRow]:
        return {r["number"]: CounterRow(**dict(r))
                for r in self._all("SELECT * FROM counters ORDER BY number")}

    def save_counter(self, c: CounterRow) -> None:
        self.conn.execute(
            """INSERT INTO counters (number, state, clerk, clerk_name, pause_reason, since,
                                     preferential_streak)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(number) DO UPDATE SET state = excluded.state, clerk = excluded.clerk,
                 clerk_name = excluded.clerk_name, pause_reason = excluded.pause_reason,
                 since = excluded.since, preferential_streak = excluded.preferential_streak""",
            (c.number, c.state, c.clerk, c.clerk_name, c.pause_reason, c.since,
             c.preferential_streak),
        )

    # -- users and tokens -----------------------------------------------------------------
    def insert_user(self, username: str, display_name: str, role: str, password_hash: str,
                    now: float) -> int:
        cur = self.conn.execute(
            """INSERT INTO users (username, display_name, role, password_hash, active, created_at)
               VALUES (?, ?, ?, ?, 1, ?)""",
            (username, display_name, role, password_hash, now),
        )
        return int(cur.lastrowid or 0)

    def user_by_name(self, username: str) -> UserRow | None:
        row = self._one("SELECT * FROM users WHERE username = ?", (username,))
        return _user_from_row(row) if row else None

    def user_by_id(self, user_id: int) -> UserRow | None:
        row = self._one("SELECT * FROM users WHERE id = ?", (user_id,))
        return _user_from_row(row) if row else None

    def users(self) -> list[UserRow]:
        return [_user_from_row(r) for r in self._all("SELECT * FROM users ORDER BY username")]

    def update_user(self, user_id: int, **fields: Any) -> None:
        allowed = {"display_name", "role", "password_hash", "active"}
        assert set(fields) <= allowed, fields
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.conn.execute(f"UPDATE users SET {sets} WHERE id = ?", (*fields.values(), user_id))

    def insert_token(self, token_hash: str, kind: str, role: str, name: str, now: float, *,
                     user_id: int | None = None, counter: int | None = None,
                     csrf: str | None = None, expires_at: float | None = None,
                     parent_id: int | None = None) -> int:
        cur = self.conn.execute(
            """INSERT INTO tokens (token_hash, kind, role, name, user_id, counter, csrf,
                                   created_at, expires_at, parent_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (token_hash, kind, role, name, user_id, counter, csrf, now, expires_at, parent_id),
        )
        return int(cur.lastrowid or 0)

    def token_by_id(self, token_id: int) -> TokenRow | None:
        row = self._one("SELECT * FROM tokens WHERE id = ?", (token_id,))
        return TokenRow(**dict(row)) if row else None

    def revoke_child_tokens(self, parent_id: int, now: float) -> list[int]:
        """End the sessions opened with a device token (its boards' and tablets' cookies)."""
        ids = [r[0] for r in self._all(
            "SELECT id FROM tokens WHERE parent_id = ? AND revoked_at IS NULL", (parent_id,))]
        self.conn.execute("UPDATE tokens SET revoked_at = ? WHERE parent_id = ? "
                          "AND revoked_at IS NULL", (now, parent_id))
        return ids

    def token_by_hash(self, token_hash: str) -> TokenRow | None:
        row = self._one("SELECT * FROM tokens WHERE token_hash = ?", (token_hash,))
        return TokenRow(**dict(row)) if row else None

    def tokens(self, kind: str) -> list[TokenRow]:
        rows = self._all("SELECT * FROM tokens WHERE kind = ? ORDER BY id", (kind,))
        return [TokenRow(**dict(r)) for r in rows]

    def revoke_token(self, token_id: int, now: float) -> None:
        self.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now, token_id)
        )

    def revoke_counter_sessions(self, counter: int, now: float) -> list[int]:
        """End every open session bound to a counter (someone else takes it over)."""
        ids = [r[0] for r in self._all(
            "SELECT id FROM tokens WHERE counter = ? AND kind = 'session' AND revoked_at IS NULL",
            (counter,))]
        self.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE counter = ? AND kind = 'session' "
            "AND revoked_at IS NULL", (now, counter))
        return ids

    def counters_held_by(self, clerk: str) -> list[int]:
        return [r[0] for r in self._all(
            "SELECT number FROM counters WHERE clerk = ? COLLATE NOCASE AND state != 'closed'",
            (clerk,))]

    def revoke_user_sessions(self, user_id: int, now: float) -> list[int]:
        ids = [r[0] for r in self._all(
            "SELECT id FROM tokens WHERE user_id = ? AND kind = 'session' AND revoked_at IS NULL",
            (user_id,))]
        self.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'session' "
            "AND revoked_at IS NULL", (now, user_id))
        return ids

    # -- settings -------------------------------------------------------------------------
    def setting(self, key: str) -> Any:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None

    def set_setting(self, key: str, value: Any, now: float) -> None:
        self.conn.execute(
            """INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
               ON CONFLICT(key) DO UPDATE SET value = excluded.value,
                                              updated_at = excluded.updated_at""",
            (key, json.dumps(value, ensure_ascii=False), now),
        )


def _audit_from_row(row: sqlite3.Row) -> AuditRecord:
    return AuditRecord(row["seq"], row["at"], row["kind"], row["ticket_id"], row["counter"],
                       row["actor"], row["actor_role"], json.loads(row["detail"]))


def _user_from_row(row: sqlite3.Row) -> UserRow:
    d = dict(row)
    d["active"] = bool(d["active"])
    return UserRow(**d)


# --------------------------------------------------------------------------- the store


@dataclass
class _Job:
    fn: Callable[[Tx], Any]
    future: concurrent.futures.Future[Any]


CommitListener = Callable[[list[tuple[AuditRecord, dict[str, Any]]]], None]


class Store:
    """A SQLite database with one writer thread. Open with ``Store.open(path)``."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._writer_loop, name="turnero-writer",
                                        daemon=True)
        self._on_commit: CommitListener | None = None
        self._closed = False
        self._thread.start()

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            migrate(conn)
        except Exception:
            conn.close()
            raise
        return cls(path, conn)

    def on_commit(self, listener: CommitListener | None) -> None:
        self._on_commit = listener

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
            self._run_batch(batch)
            if stop:
                return

    def _run_batch(self, batch: list[_Job]) -> None:
        conn = self._conn
        tx = Tx(conn)
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            for job in batch:
                job.future.set_exception(e)
            return
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
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for job, _, _ in outcomes:
                job.future.set_exception(e)
            return
        if tx.events and self._on_commit is not None:
            try:
                self._on_commit(tx.events)
            except Exception:  # noqa: BLE001 - a listener bug must not lose acknowledgements
                import logging

                logging.getLogger(__name__).exception("commit listener failed")
        for job, result, error in outcomes:
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(result)


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
