"""The SQLite store: migrations, refusal of newer schemas, append-only audit, batch isolation."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from server.storage import MIGRATIONS, SchemaTooNew, Store
from tests.conftest import ROOT, subprocess_env


def test_new_database_is_migrated_and_recorded(tmp_path: Path) -> None:
    Store.open(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == sorted(name for name, _ in MIGRATIONS)  # 006 was appended after 007
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    Store.open(tmp_path / "t.db").close()
    Store.open(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    assert conn.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_a_newer_database_is_refused_clearly(tmp_path: Path) -> None:
    Store.open(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 3}")
    conn.close()
    with pytest.raises(SchemaTooNew, match="Actualice Turnero"):
        Store.open(tmp_path / "t.db")
    out = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--db", str(tmp_path / "t.db"), "--port", "1"],
        capture_output=True, text=True, env=subprocess_env(), cwd=ROOT, timeout=60)
    assert out.returncode == 2 and "más nuevo" in out.stderr


def test_audit_log_is_append_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.db")
    try:
        store.run_sync(lambda tx: tx.record("x", 1.0, {}, actor="a"))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.run_sync(lambda tx: tx.conn.execute("UPDATE audit_log SET actor = 'b'"))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.run_sync(lambda tx: tx.conn.execute("DELETE FROM audit_log"))
    finally:
        store.close()


def test_a_failing_request_rolls_back_alone_inside_a_batch(tmp_path: Path) -> None:
    """Concurrent writes share one commit; one failing must not undo the others."""
    store = Store.open(tmp_path / "t.db")
    gate = threading.Event()
    try:
        blocker = store.submit(lambda tx: gate.wait(5))  # queue the next jobs behind it

        def good(n: int):  # type: ignore[no-untyped-def]
            return lambda tx: tx.set_setting(f"k{n}", n, 0.0)

        def bad(tx):  # type: ignore[no-untyped-def]
            tx.set_setting("bad", 1, 0.0)
            raise ValueError("boom")

        futures = [store.submit(good(1)), store.submit(bad), store.submit(good(2))]
        gate.set()
        blocker.result()
        assert futures[0].result() is None and futures[2].result() is None
        with pytest.raises(ValueError):
            futures[1].result()
        values = store.run_sync(lambda tx: [tx.setting(k) for k in ("k1", "bad", "k2")])
        assert values == [1, None, 2]
    finally:
        store.close()


def test_a_caller_that_gives_up_while_queued_does_not_stop_the_writer(tmp_path: Path) -> None:
    """A health probe that times out behind a busy writer (or any cancelled request) used to
    end the writer thread when its job ran anyway: every later write then waited forever."""
    store = Store.open(tmp_path / "t.db")
    busy, gate = threading.Event(), threading.Event()

    def blocking(tx):  # type: ignore[no-untyped-def]
        busy.set()
        gate.wait(5)

    async def scenario() -> object:
        blocker = store.submit(blocking)
        assert busy.wait(5)  # the writer is inside a job: the next one waits in the queue
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await store.run(lambda tx: tx.set_setting("given_up", 1, 0.0))
        gate.set()
        blocker.result()

        def later(tx):  # type: ignore[no-untyped-def]
            tx.set_setting("later", 2, 0.0)
            return tx.setting("later")

        return await asyncio.wait_for(store.run(later), 10)

    try:
        assert asyncio.run(scenario()) == 2
        # Nobody was told the abandoned write was done, and it was not made.
        assert store.run_sync(lambda tx: tx.setting("given_up")) is None
    finally:
        store.close()


def test_events_of_a_failed_request_are_not_published(tmp_path: Path) -> None:
    published: list[str] = []
    store = Store.open(tmp_path / "t.db",
                       on_commit=lambda events: published.extend(rec.kind for rec, _ in events))
    try:
        store.run_sync(lambda tx: tx.record("kept", 1.0, {}))

        def failing(tx):  # type: ignore[no-untyped-def]
            tx.record("dropped", 1.0, {})
            raise RuntimeError("no")

        with pytest.raises(RuntimeError):
            store.run_sync(failing)
        store.run_sync(lambda tx: tx.record("kept-too", 1.0, {}))
        assert published == ["kept", "kept-too"]
    finally:
        store.close()


# ---------------------------------------------------------------- SQL mirror of a pure rule

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from server.queue.model import Status, Ticket  # noqa: E402
from server.queue.policy import rank_in_line  # noqa: E402


@st.composite
def lines(draw: st.DrawFn) -> list[Ticket]:
    out = []
    for i in range(draw(st.integers(1, 30))):
        service = draw(st.sampled_from("AB"))
        out.append(Ticket(
            id=f"t{i}", number=f"{service}-{i:03d}", letter=service, seq=i, day="d",
            service=service, group=draw(st.sampled_from([None, "AM"])),
            status=draw(st.sampled_from([Status.WAITING, Status.WAITING, Status.CALLED])),
            issued_at=float(draw(st.integers(0, 50))), queued_at=float(draw(st.integers(0, 50))),
        ))
    return out


@given(lines())
@settings(max_examples=150, deadline=None)
def test_count_ahead_in_sql_matches_the_pure_rank(line: list[Ticket]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "t.db")
        try:
            def load(tx):  # type: ignore[no-untyped-def]
                for t in line:
                    tx.insert_ticket(t, hour=8, weekday=0)
                return [(t.id, tx.count_ahead(t), tx.count_ahead_from_back(t))
                        for t in line if t.status == Status.WAITING]

            counted = store.run_sync(load)
        finally:
            store.close()
    pure = {t.id: rank_in_line(t, line) for t in line if t.status == Status.WAITING}
    assert {i: front for i, front, _ in counted} == pure
    assert {i: back for i, _, back in counted} == pure
