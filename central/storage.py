"""PostgreSQL storage of the centre: the only module that writes SQL for it (psycopg 3).

Schema choices (docs/central.md, docs/benchmarks.md):
- ``tickets`` is partitioned by month of the ticket's day (``PARTITION BY RANGE (day)``);
  partitions are created on demand when a batch brings a new month. A month's summary reads
  one partition; old years can be detached and archived without touching the rest.
- The key is (office, day, ticket): a ticket's day never changes, so a re-sent ticket
  replaces its own row (``INSERT … ON CONFLICT DO UPDATE``) and a replayed batch changes
  nothing. The key's index also serves "this office, these days" (export, rollups).
- ``month_rollup`` is a materialized monthly rollup per (office, month, service, group):
  the additive counters and the sorted waiting and service durations of the group. A batch
  only marks its (office, month) pairs in ``rollup_dirty``; the next read recomputes those
  pairs (one office-month at a time), so rollups are never stale and ingest stays cheap.
- ``stored_summaries`` holds the finished summary of a range of whole months across all
  offices, per grouping (office, service, …), stored by the first read that computes it.
  Each batch bumps its (office, month) count in ``rollup_generation``; a stored summary
  carries its months' sum of those counts and is read only while it still matches, so a
  batch for one of its months invalidates it at once and a summary computed while a batch
  arrived is never used.
- Migrations are named and recorded in ``_migrations`` like the office's; a database that
  has a migration this program does not know is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from server.errors import Conflict

Conn = psycopg.Connection[Any]


class SchemaTooNew(Exception):
    pass


# --------------------------------------------------------------------------- migrations

_M001 = """
CREATE TABLE offices (
    code text PRIMARY KEY,
    name text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_send_at timestamptz,
    catalog jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE TABLE service_targets (
    office text NOT NULL REFERENCES offices(code),
    service text NOT NULL,
    target_s double precision NOT NULL,
    PRIMARY KEY (office, service)
);
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    username text NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('supervisor', 'admin')),
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users(id),
    expires_at timestamptz NOT NULL
);
CREATE TABLE tickets (
    office text NOT NULL REFERENCES offices(code),
    day date NOT NULL,
    ticket text NOT NULL,
    number text NOT NULL,
    weekday smallint NOT NULL,
    issued_at double precision NOT NULL,
    service text NOT NULL,
    group_code text,
    counter integer,
    clerk text,
    first_called_at double precision,
    started_at double precision,
    finished_at double precision,
    status text NOT NULL,
    outcome text,
    transfers integer NOT NULL,
    calls integer NOT NULL,
    satisfaction smallint,
    satisfaction_reason text,
    characterization jsonb NOT NULL DEFAULT '{}'::jsonb,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office, day, ticket)
) PARTITION BY RANGE (day);
CREATE INDEX tickets_office_issued ON tickets (office, issued_at);
CREATE TABLE month_rollup (
    office text NOT NULL,
    month date NOT NULL,
    service text NOT NULL,
    group_code text,
    counts integer[] NOT NULL,
    waits double precision[] NOT NULL,
    services double precision[] NOT NULL
);
CREATE INDEX month_rollup_month ON month_rollup (month, office);
CREATE TABLE rollup_dirty (
    office text NOT NULL,
    month date NOT NULL,
    PRIMARY KEY (office, month)
);
"""

#: Where a transferred ticket was before its first transfer (the office's migration
#: "010_transfer_first_counter"); empty for tickets never transferred and for records of an
#: office that does not send them yet. ``ALTER`` on the partitioned table reaches every
#: partition.
_M002 = """
ALTER TABLE tickets ADD COLUMN first_service text,
                    ADD COLUMN first_counter integer,
                    ADD COLUMN first_clerk text;
"""

#: Finished summaries of whole months [start, stop) (see the module docstring):
#: ``generation`` is the range's sum of ``rollup_generation`` when the summary was computed;
#: ``body`` the JSON text, kept as text so every figure reads back exactly as written.
_M003 = """
CREATE TABLE rollup_generation (
    office text NOT NULL,
    month date NOT NULL,
    generation bigint NOT NULL,
    PRIMARY KEY (month, office)
);
CREATE TABLE stored_summaries (
    start date NOT NULL,
    stop date NOT NULL,
    by text NOT NULL,
    generation bigint NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (start, stop, by)
);
"""

#: What was done to the centre's offices and by whom (the operating-system user who ran the
#: command): never a token, only that one was issued or replaced.
_M004 = """
CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    action text NOT NULL,
    office text,
    actor text NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
"""

#: Named migrations, applied in order. Append only; never edit a released one.
MIGRATIONS: list[tuple[str, str]] = [("001_initial", _M001),
                                     ("002_transfer_first_counter", _M002),
                                     ("003_stored_summaries", _M003),
                                     ("004_audit", _M004)]


def migrate(conn: Conn) -> list[str]:
    """Apply pending migrations (under an advisory lock: two centres starting at once do
    not race); refuse a database that has migrations this program does not know."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('turnero-central-migrate'))")
        conn.execute("CREATE TABLE IF NOT EXISTS _migrations "
                     "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
        unknown = done - {name for name, _ in MIGRATIONS}
        if unknown:
            raise SchemaTooNew(
                f"La base de datos central tiene migraciones que este programa no conoce "
                f"({', '.join(sorted(unknown))}). Actualice Turnero; no se modificó nada.")
        for name, ddl in MIGRATIONS:
            if name in done:
                continue
            conn.execute(ddl)
            conn.execute("INSERT INTO _migrations (name) VALUES (%s)", (name,))
            applied.append(name)
    return applied


# --------------------------------------------------------------------------- rows

#: The additive counters of a group, in ``server.stats.indicators.Counts`` order (the nine
#: FIELDS then the five ratings); ``{target}`` is the service's target wait in seconds.
_COUNTS_SQL = """ARRAY[
    count(*), count(*) FILTER (WHERE t.outcome = 'served'),
    count(*) FILTER (WHERE t.outcome = 'no_show'), count(*) FILTER (WHERE t.transfers > 0),
    count(*) FILTER (WHERE t.outcome = 'not_attended'),
    count(*) FILTER (WHERE t.outcome = 'cancelled'), count(*) FILTER (WHERE t.outcome IS NULL),
    count(*) FILTER (WHERE t.first_called_at IS NOT NULL),
    count(*) FILTER (WHERE t.first_called_at - t.issued_at <= coalesce(g.target_s, 900)),
    count(*) FILTER (WHERE t.satisfaction = 1), count(*) FILTER (WHERE t.satisfaction = 2),
    count(*) FILTER (WHERE t.satisfaction = 3), count(*) FILTER (WHERE t.satisfaction = 4),
    count(*) FILTER (WHERE t.satisfaction = 5)]::integer[]"""
_WAITS_SQL = """coalesce(array_agg(t.first_called_at - t.issued_at
                                   ORDER BY t.first_called_at - t.issued_at)
                         FILTER (WHERE t.first_called_at IS NOT NULL), ARRAY[]::float8[])"""
_SERVICES_SQL = """coalesce(array_agg(t.finished_at - t.started_at
                                      ORDER BY t.finished_at - t.started_at)
                            FILTER (WHERE t.outcome = 'served' AND t.started_at IS NOT NULL
                                    AND t.finished_at IS NOT NULL), ARRAY[]::float8[])"""
#: One office-month's rollup rows (``month_rollup`` columns), from its tickets.
_ROLLUP_SELECT = f"""
    SELECT t.office, date_trunc('month', t.day)::date, t.service, t.group_code,
           {_COUNTS_SQL}, {_WAITS_SQL}, {_SERVICES_SQL}
    FROM tickets t
    LEFT JOIN service_targets g ON g.office = t.office AND g.service = t.service
    WHERE t.day >= %(start)s AND t.day < %(stop)s AND t.office = %(office)s
    GROUP BY t.office, 2, t.service, t.group_code"""


#: A summary's key as SQL, over the rollups and over the tickets.
_ROLLUP_KEYS = {"office": "office", "service": "service", "group": "group_code",
                "month": "to_char(month, 'YYYY-MM')",
                "office_service": "office || '/' || service"}
_TICKET_KEYS = {"office": "t.office", "service": "t.service", "group": "t.group_code",
                "month": "to_char(t.day, 'YYYY-MM')", "day": "to_char(t.day, 'YYYY-MM-DD')",
                "office_service": "t.office || '/' || t.service"}


#: (key, preferential, counters, sorted waits, sorted service durations) of one group.
GroupRow = tuple[Any, bool, Sequence[int], list[float], list[float]]


_INGEST_COLUMNS = ("office", "day", "ticket", "number", "weekday", "issued_at", "service",
                   "group_code", "counter", "clerk", "first_called_at", "started_at",
                   "finished_at", "status", "outcome", "transfers", "calls", "satisfaction",
                   "satisfaction_reason", "characterization", "first_service",
                   "first_counter", "first_clerk")

#: Column order of ``ticket_rows``: what ``stats_tables.ticket_records`` unpacks (the
#: characterization is a JSON object here, joined into the office's pairs by the service).
EXPORT_SELECT = """SELECT number, to_char(day, 'YYYY-MM-DD'), weekday, issued_at, service,
                          group_code, counter, clerk, first_called_at, started_at, finished_at,
                          status, outcome, transfers, calls, satisfaction,
                          satisfaction_reason, characterization, first_service,
                          first_counter, first_clerk"""


#: The generation of the months [start, stop): it grows with every batch of any office for
#: any of them (counters only grow, so a sum is never seen twice).
_GENERATION_SQL = ("SELECT coalesce(sum(generation), 0) FROM rollup_generation "
                   "WHERE month >= %(start)s AND month < %(stop)s")


def _mark_dirty(conn: Conn, office: str, months: Sequence[date]) -> None:
    """An office's months changed: their rollups are rebuilt on the next read, and their
    stored month summaries stop being read (the generation moves). Last statements of the
    batch's transaction, so the per-(office, month) row lock is held only to the commit."""
    conn.execute("INSERT INTO rollup_dirty (office, month) "
                 "SELECT %s, m FROM unnest(%s::date[]) m ON CONFLICT DO NOTHING",
                 (office, sorted(months)))
    conn.execute("INSERT INTO rollup_generation (office, month, generation) "
                 "SELECT %s, m, 1 FROM unnest(%s::date[]) m ON CONFLICT (month, office) "
                 "DO UPDATE SET generation = rollup_generation.generation + 1",
                 (office, sorted(months)))


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def partition_name(month: date) -> str:
    return f"tickets_{month.year:04d}_{month.month:02d}"


class CentralStore:
    """A connection pool and the centre's reads and writes. Each method takes a pooled
    connection for one transaction; blocking: call it from a worker thread."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool
        self._partitions: set[date] = set()

    @classmethod
    def open(cls, dsn: str, max_size: int = 8) -> CentralStore:
        pool: ConnectionPool[Any] = ConnectionPool(dsn, min_size=1, max_size=max_size,
                                                   open=False)
        pool.open(wait=True, timeout=15)
        store = cls(pool)
        with pool.connection() as conn:
            migrate(conn)
        return store

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def _tx(self) -> Iterator[Conn]:
        with self.pool.connection() as conn, conn.transaction():
            yield conn

    # ------------------------------------------------------------------ offices and users

    def add_office(self, code: str, name: str, token_hash: str, actor: str = "") -> None:
        try:
            with self._tx() as conn:
                conn.execute("INSERT INTO offices (code, name, token_hash) VALUES (%s, %s, %s)",
                             (code, name, token_hash))
                self._audit(conn, "office.added", code, actor, {"name": name})
        except psycopg.errors.UniqueViolation:
            raise Conflict(f"La oficina {code} ya existe.") from None

    def replace_office_token(self, code: str, token_hash: str, actor: str) -> bool:
        """Give an office a new token; the old one stops working with this commit (every
        request looks its token up). False when there is no such office."""
        with self._tx() as conn:
            row = conn.execute("UPDATE offices SET token_hash = %s WHERE code = %s "
                               "RETURNING code", (token_hash, code)).fetchone()
            if row is not None:
                self._audit(conn, "office.token_rotated", code, actor, {})
        return row is not None

    @staticmethod
    def _audit(conn: Conn, action: str, office: str | None, actor: str,
               detail: dict[str, Any]) -> None:
        conn.execute("INSERT INTO audit (action, office, actor, detail) VALUES (%s, %s, %s, %s)",
                     (action, office, actor, Jsonb(detail)))

    def office_for_token(self, token_hash: str) -> str | None:
        with self._tx() as conn:
            row = conn.execute("SELECT code FROM offices WHERE token_hash = %s",
                               (token_hash,)).fetchone()
        return None if row is None else str(row[0])

    def add_user(self, username: str, role: str, password_hash: str) -> None:
        try:
            with self._tx() as conn:
                conn.execute("INSERT INTO users (username, role, password_hash) "
                             "VALUES (%s, %s, %s)", (username, role, password_hash))
        except psycopg.errors.UniqueViolation:
            raise Conflict(f"El usuario {username} ya existe.") from None

    def user_by_name(self, username: str) -> tuple[int, str, str] | None:
        """(id, role, password hash)."""
        with self._tx() as conn:
            row = conn.execute("SELECT id, role, password_hash FROM users WHERE username = %s",
                               (username,)).fetchone()
        return None if row is None else (int(row[0]), str(row[1]), str(row[2]))

    def add_session(self, token_hash: str, user_id: int, expires: datetime) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < now()")
            conn.execute("INSERT INTO sessions (token_hash, user_id, expires_at) "
                         "VALUES (%s, %s, %s)", (token_hash, user_id, expires))

    def session_user(self, token_hash: str) -> tuple[str, str] | None:
        """(username, role) of a live session."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id "
                "WHERE s.token_hash = %s AND s.expires_at > now()", (token_hash,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def end_session(self, token_hash: str) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = %s", (token_hash,))

    def offices(self) -> list[tuple[str, str, datetime | None, dict[str, Any]]]:
        """(code, name, last send, catalog) of every office, by code."""
        with self._tx() as conn:
            return [(r[0], r[1], r[2], r[3]) for r in conn.execute(
                "SELECT code, name, last_send_at, catalog FROM offices ORDER BY code")]

    def record_counts(self) -> dict[str, int]:
        """Tickets held per office (from the fresh rollups: no scan of the tickets)."""
        self.refresh_rollups()
        with self._tx() as conn:
            return {r[0]: int(r[1]) for r in conn.execute(
                "SELECT office, sum(counts[1]) FROM month_rollup GROUP BY office")}

    # ------------------------------------------------------------------ ingest

    def _ensure_partitions(self, conn: Conn, months: set[date]) -> None:
        missing = months - self._partitions
        if not missing:
            return
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('turnero-central-partitions'))")
        for m in sorted(missing):
            conn.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} PARTITION OF tickets "
                "FOR VALUES FROM ({}) TO ({})").format(
                    sql.Identifier(partition_name(m)), sql.Literal(m),
                    sql.Literal(next_month(m))))
        self._partitions |= missing

    def ingest(self, office: str, catalog: dict[str, Any], records: Sequence[dict[str, Any]],
               received: datetime) -> int:
        """Upsert a batch in one transaction: COPY into a temporary table, then one
        ``INSERT … ON CONFLICT DO UPDATE`` (a ticket re-sent replaces its row). The office's
        catalog and service targets are updated; changed targets mark its months dirty."""
        months = {month_start(date.fromisoformat(r["day"])) for r in records}
        targets = {s["code"]: s["target_wait_min"] * 60.0 for s in catalog.get("services", [])}
        try:
            return self._ingest(office, catalog, records, received, months, targets)
        except psycopg.errors.UndefinedTable:
            self._partitions.clear()  # a partition was dropped by hand: create it again
            return self._ingest(office, catalog, records, received, months, targets)

    def _ingest(self, office: str, catalog: dict[str, Any],
                records: Sequence[dict[str, Any]], received: datetime, months: set[date],
                targets: dict[str, float]) -> int:
        with self._tx() as conn:
            self._ensure_partitions(conn, months)
            conn.execute("UPDATE offices SET catalog = %s, last_send_at = %s WHERE code = %s",
                         (Jsonb(catalog), received, office))
            changed = conn.execute(
                """WITH new(service, target_s) AS (SELECT * FROM unnest(%s::text[], %s::float8[])),
                        up AS (INSERT INTO service_targets (office, service, target_s)
                               SELECT %s, service, target_s FROM new
                               ON CONFLICT (office, service) DO UPDATE
                               SET target_s = excluded.target_s
                               WHERE service_targets.target_s IS DISTINCT FROM excluded.target_s
                               RETURNING 1)
                   SELECT count(*) FROM up""",
                (list(targets), list(targets.values()), office)).fetchone()
            if changed and changed[0]:  # the share within target of every month changes
                months = months | {r[0] for r in conn.execute(
                    "SELECT DISTINCT month FROM month_rollup WHERE office = %s", (office,))}
            if records:
                self._copy_upsert(conn, office, records)
            _mark_dirty(conn, office, sorted(months))
        return len(records)

    @staticmethod
    def _copy_upsert(conn: Conn, office: str, records: Sequence[dict[str, Any]]) -> None:
        conn.execute("CREATE TEMPORARY TABLE incoming (LIKE tickets INCLUDING DEFAULTS) "
                     "ON COMMIT DROP")
        columns = sql.SQL(", ").join(map(sql.Identifier, _INGEST_COLUMNS))
        with conn.cursor().copy(sql.SQL("COPY incoming ({}) FROM STDIN").format(columns)) as cp:
            for r in records:
                cp.write_row((office, r["day"], r["ticket"], r["number"], r["weekday"],
                              r["issued_at"], r["service"], r["group"], r["counter"],
                              r["clerk"], r["first_called_at"], r["started_at"],
                              r["finished_at"], r["status"], r["outcome"], r["transfers"],
                              r["calls"], r["satisfaction"], r["satisfaction_reason"],
                              json.dumps(r["characterization"]), r["first_service"],
                              r["first_counter"], r["first_clerk"]))
        updates = sql.SQL(", ").join(
            sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c))
            for c in (*_INGEST_COLUMNS[3:], "received_at"))
        conn.execute(sql.SQL(
            "INSERT INTO tickets ({cols}) SELECT {cols} FROM incoming "
            "ON CONFLICT (office, day, ticket) DO UPDATE SET {updates}").format(
                cols=columns, updates=updates))

    def copy_tickets(self, office: str, rows: Iterator[Sequence[Any]], months: set[date]
                     ) -> None:
        """Bulk load of generated history (the benchmark): rows in ``ingest``'s column
        order straight into ``tickets`` with COPY; the months are marked for the rollups."""
        with self._tx() as conn:
            self._ensure_partitions(conn, months)
            columns = sql.SQL(", ").join(map(sql.Identifier, _INGEST_COLUMNS))
            with conn.cursor().copy(sql.SQL("COPY tickets ({}) FROM STDIN").format(columns)) \
                    as cp:
                for row in rows:
                    cp.write_row(row)
            _mark_dirty(conn, office, sorted(months))

    def set_targets(self, office: str, targets: dict[str, float]) -> None:
        with self._tx() as conn:
            for service, seconds in targets.items():
                conn.execute("INSERT INTO service_targets (office, service, target_s) "
                             "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                             (office, service, seconds))

    def set_catalog(self, office: str, catalog: dict[str, Any], at: datetime) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE offices SET catalog = %s, last_send_at = %s WHERE code = %s",
                         (Jsonb(catalog), at, office))

    # ------------------------------------------------------------------ rollups and reads

    def refresh_rollups(self) -> int:
        """Recompute every dirty (office, month) rollup; returns how many. Refreshers take
        turns (an advisory lock held to the end of each pair's transaction), so a reader that
        arrives while another request refreshes waits for it instead of reading a half-done
        rollup. READ COMMITTED: once the lock is held, each statement sees the latest
        batches; a batch committed after the mark was removed marks the pair again."""
        done = 0
        while True:
            with self._tx() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('turnero-central-rollup'))")
                row = conn.execute(
                    "DELETE FROM rollup_dirty WHERE ctid IN (SELECT ctid FROM rollup_dirty "
                    "ORDER BY month, office LIMIT 1) RETURNING office, month").fetchone()
                if row is None:
                    return done
                office, month = row
                conn.execute("DELETE FROM month_rollup WHERE office = %s AND month = %s",
                             (office, month))
                conn.execute(f"INSERT INTO month_rollup {_ROLLUP_SELECT}",
                             {"start": month, "stop": next_month(month), "office": office})
            done += 1

    @staticmethod
    def _rollup_rows(conn: Conn, by: str, start: date, stop: date, office: str | None
                     ) -> list[GroupRow]:
        where = "month >= %(start)s AND month < %(stop)s"
        where += " AND office = %(office)s" if office else ""
        cur = conn.execute(f"""SELECT {_ROLLUP_KEYS[by]}, group_code IS NOT NULL, counts,
                                      waits, services
                               FROM month_rollup WHERE {where}""",
                           {"start": start, "stop": stop, "office": office}, binary=True)
        return [(r[0], bool(r[1]), r[2], r[3], r[4]) for r in cur]

    def grouped(self, by: str, start: date, stop: date, office: str | None,
                from_rollups: bool) -> list[GroupRow]:
        """Groups of the tickets issued on days [start, stop): (key, preferential, counters
        in ``Counts`` order, sorted waiting and service durations). ``from_rollups``:
        [start, stop) is whole months, so the monthly rollups (refreshed first) are read —
        several rows may share a (key, preferential) — instead of the tickets. Fetched in
        binary: a month of 30 offices is over a million durations."""
        if from_rollups:
            self.refresh_rollups()
            with self._tx() as conn:
                return self._rollup_rows(conn, by, start, stop, office)
        where = "t.day >= %(start)s AND t.day < %(stop)s"
        where += " AND t.office = %(office)s" if office else ""
        query = f"""SELECT {_TICKET_KEYS[by]}, t.group_code IS NOT NULL, {_COUNTS_SQL},
                           {_WAITS_SQL}, {_SERVICES_SQL}
                    FROM tickets t LEFT JOIN service_targets g
                         ON g.office = t.office AND g.service = t.service
                    WHERE {where} GROUP BY 1, 2"""
        with self._tx() as conn:
            cur = conn.execute(query, {"start": start, "stop": stop, "office": office},
                               binary=True)
            return [(r[0], bool(r[1]), r[2], r[3], r[4]) for r in cur]

    # ------------------------------------------------------------------ stored summaries

    def stored_summary(self, by: str, start: date, stop: date) -> str | None:
        """The stored summary of the whole months [start, stop) across all offices (JSON
        text), or None when there is none or a batch for those months arrived since."""
        with self._tx() as conn:
            row = conn.execute(
                f"""SELECT body FROM stored_summaries
                    WHERE start = %(start)s AND stop = %(stop)s AND by = %(by)s
                    AND generation = ({_GENERATION_SQL})""",
                {"start": start, "stop": stop, "by": by}).fetchone()
        return None if row is None else str(row[0])

    def range_groups(self, by: str, start: date, stop: date
                     ) -> tuple[int, bool, list[GroupRow]]:
        """The groups of the whole months [start, stop) across all offices from their fresh
        rollups, with the months' generation and whether no batch waits to be rolled up.
        The generation is read first (READ COMMITTED): the rows read after it are at least
        as new, so a summary saved under it is either exact or already invalid."""
        self.refresh_rollups()
        params = {"start": start, "stop": stop}
        with self._tx() as conn:
            gen = conn.execute(_GENERATION_SQL, params).fetchone()
            dirty = conn.execute("SELECT 1 FROM rollup_dirty WHERE month >= %(start)s "
                                 "AND month < %(stop)s LIMIT 1", params).fetchone()
            rows = self._rollup_rows(conn, by, start, stop, None)
        return (int(gen[0]) if gen else 0), dirty is None, rows

    def save_summary(self, by: str, start: date, stop: date, generation: int, body: str
                     ) -> None:
        """Store a summary computed at ``generation``, only if no batch came since (a late
        writer never replaces a newer summary with an older one). Summaries no batch can
        make valid again (their generation is behind) are dropped meanwhile, so the table
        holds only what can still be read."""
        params = {"start": start, "stop": stop, "by": by, "gen": generation, "body": body}
        with self._tx() as conn:
            conn.execute("""DELETE FROM stored_summaries s WHERE s.generation <> (
                                SELECT coalesce(sum(generation), 0) FROM rollup_generation g
                                WHERE g.month >= s.start AND g.month < s.stop)""")
            conn.execute(
                f"""INSERT INTO stored_summaries (start, stop, by, generation, body)
                    SELECT %(start)s, %(stop)s, %(by)s, %(gen)s, %(body)s
                    WHERE ({_GENERATION_SQL}) = %(gen)s
                    ON CONFLICT (start, stop, by) DO UPDATE
                    SET generation = excluded.generation, body = excluded.body""", params)

    def months_with_tickets(self, before: date) -> list[date]:
        """Months before ``before`` that hold tickets of any office (fresh rollups)."""
        self.refresh_rollups()
        with self._tx() as conn:
            return [r[0] for r in conn.execute(
                "SELECT DISTINCT month FROM month_rollup WHERE month < %s ORDER BY month",
                (before,))]

    def ticket_rows(self, office: str, start: date, stop: date,
                    each: Callable[[Iterator[tuple[Any, ...]]], Iterator[Any]]
                    ) -> Iterator[Any]:
        """Stream an office's tickets of days [start, stop), oldest first, through a
        server-side cursor (memory stays flat); ``each`` turns the raw rows into output."""
        with self.pool.connection() as conn, conn.transaction(), \
                conn.cursor(name="export") as cur:
            cur.itersize = 2000
            cur.execute(f"""{EXPORT_SELECT} FROM tickets
                            WHERE office = %s AND day >= %s AND day < %s
                            ORDER BY issued_at""", (office, start, stop))
            yield from each(iter(cur))
