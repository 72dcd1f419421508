"""The hot-path queries read the line through its index: a call and a board snapshot cost the
same with thousands waiting as with an empty line (no full scan, no sort of the line)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from server import bootstrap
from server.config import load_config
from server.queue.model import Ticket
from server.storage import ReadPool, Store
from tests.conftest import DEMO_CONFIG
from tests.server.factories import ticket

SERVICES = ("A", "B")


def _fill_line(store: Store, count: int) -> list[Ticket]:
    line = [ticket(service=SERVICES[i % 2], group="PREF" if i % 7 == 0 else None,
                   queued_at=1000.0 + i, seq=i + 1) for i in range(count)]

    def insert(tx) -> None:  # type: ignore[no-untyped-def]
        for t in line:
            tx.insert_ticket(t, hour=9, weekday=0)

    store.run_sync(insert)
    return line


def _plans_of(conn: sqlite3.Connection, statements: list[str]) -> list[str]:
    """Every EXPLAIN QUERY PLAN line of the statements that read tickets (as executed,
    values inlined). The board's recent calls sort at most a day of calls, not the line."""
    details = []
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT") and "FROM tickets" in sql:
            details += [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    return details


def test_the_head_of_the_line_is_an_index_seek_not_a_sort(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.db")
    try:
        line = _fill_line(store, 300)
        statements: list[str] = []

        def heads(tx):  # type: ignore[no-untyped-def]
            tx.conn.set_trace_callback(statements.append)
            try:
                return tx.line_heads(SERVICES)
            finally:
                tx.conn.set_trace_callback(None)

        found, general = store.run_sync(heads)
    finally:
        store.close()
    # Same answer as reading the whole line: the oldest of each class.
    assert [t.id for t in found] == [
        next(t.id for t in line if t.preferential), next(t.id for t in line if not t.preferential)]
    assert general == sum(not t.preferential for t in line)

    conn = sqlite3.connect(tmp_path / "t.db")
    plans = _plans_of(conn, statements)
    assert plans and all("tickets_line_class" in p for p in plans), plans
    assert not any("TEMP B-TREE" in p for p in plans), plans


def test_a_board_snapshot_reads_the_line_through_indexes(tmp_path: Path) -> None:
    services = bootstrap.build(tmp_path / "t.db", load_config(DEMO_CONFIG))
    services.close()
    store = Store.open(tmp_path / "t.db")
    try:
        _fill_line(store, 300)
    finally:
        store.close()
    services = bootstrap.build(tmp_path / "t.db", load_config(DEMO_CONFIG))
    statements: list[str] = []
    pool = ReadPool(tmp_path / "t.db", size=1)
    try:
        pool.run_sync(lambda r: r.conn.set_trace_callback(statements.append))
        reading = type(services.reading)(pool, services.office)
        snap = asyncio.run(reading.snapshot(include_waiting=False))
    finally:
        pool.close()
        services.close()
    assert snap["queue"]["waiting_total"] == 300
    conn = sqlite3.connect(tmp_path / "t.db")
    plans = _plans_of(conn, statements)
    assert plans
    assert not any(p.startswith("SCAN tickets") for p in plans), plans
    assert not any("TEMP B-TREE" in p for p in plans), plans
    # The ticket in hand at each counter is found among the few called, not through every
    # ticket the counter ever served (its index grows with the office's history).
    assert not any("tickets_counter_finished" in p for p in plans), plans


def test_the_line_counts_follow_every_change_of_a_ticket(tmp_path: Path) -> None:
    """Issue, call, transfer, change of group, back to the line, removal: the counts a call
    and a board read stay what counting the waiting tickets gives."""
    from dataclasses import replace

    from server.queue.model import Status

    store = Store.open(tmp_path / "t.db")
    try:
        line = _fill_line(store, 40)

        def change(tx) -> None:  # type: ignore[no-untyped-def]
            for i, t in enumerate(line):
                if i % 5 == 0:
                    tx.save_ticket(replace(t, status=Status.CALLED, counter=1))
                elif i % 5 == 1:
                    tx.save_ticket(replace(t, service="C"))
                elif i % 5 == 2:
                    tx.save_ticket(replace(t, group=None if t.group else "PREF"))
                elif i % 5 == 3:
                    tx.save_ticket(replace(t, status=Status.CALLED))
                    tx.save_ticket(t)  # brought back to the line
            tx.conn.execute("DELETE FROM tickets WHERE id = ?", (line[4].id,))

        store.run_sync(change)
        summary = store.run_sync(lambda tx: tx.line_summary())
        _, general_ab = store.run_sync(lambda tx: tx.line_heads(SERVICES))
        conn = sqlite3.connect(tmp_path / "t.db")
        recount = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
            """SELECT service, COUNT(*), SUM(group_code IS NOT NULL), MIN(queued_at)
               FROM tickets WHERE status = 'waiting' GROUP BY service""")}
        general = conn.execute("""SELECT COUNT(*) FROM tickets WHERE status = 'waiting'
                                  AND service IN ('A', 'B') AND group_code IS NULL""").fetchone()
    finally:
        store.close()
    assert summary == recount and set(recount) == {"A", "B", "C"}
    assert general_ab == general[0]


def test_the_front_of_the_line_for_the_estimate_is_read_through_the_index(tmp_path: Path
                                                                          ) -> None:
    """Every ticket issued reads the first 60 of the line for its estimate: the same tickets,
    in the same order, as sorting the whole line, without SQLite sorting the line's rows."""
    store = Store.open(tmp_path / "t.db")
    try:
        line = _fill_line(store, 300)
        statements: list[str] = []

        def front(tx, limit: int) -> list[Ticket]:  # type: ignore[no-untyped-def]
            tx.conn.set_trace_callback(statements.append)
            try:
                return list(tx.line_front(limit))
            finally:
                tx.conn.set_trace_callback(None)

        found = store.run_sync(lambda tx: front(tx, 60))
        everyone = store.run_sync(lambda tx: front(tx, 1000))
    finally:
        store.close()
    expected = sorted(line, key=lambda t: (not t.preferential, t.line_key()))
    assert [t.id for t in everyone] == [t.id for t in expected]
    assert [t.id for t in found] == [t.id for t in expected[:60]]
    assert found[0].preferential and not found[-1].preferential  # both classes in the front
    conn = sqlite3.connect(tmp_path / "t.db")
    plans = [p for p in _plans_of(conn, statements) if "tickets" in p]
    assert any("tickets_line_class" in p for p in plans), plans
    assert not any(p.startswith(("SCAN tickets", "SCAN t ")) or "tickets_status" in p
                   for p in plans), plans
