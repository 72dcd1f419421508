"""Storage side of statistics: the migration upgrades an existing database, and the demo can
be filled with past history from the command line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import sqlite_utils

from server.storage import MIGRATIONS, Store
from tests.conftest import ROOT, subprocess_env


def test_migration_adds_survey_and_characterization_to_an_existing_database(tmp_path: Path
                                                                            ) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    name, first = MIGRATIONS[0]
    first(sqlite_utils.Database(conn))  # a database made before this part existed
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    conn.execute("INSERT INTO _migrations VALUES (?, datetime('now'))", (name,))
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO tickets (id, number, letter, seq, day, service, status, issued_at, "
        "queued_at, hour, weekday) VALUES ('x', 'A-001', 'A', 1, '2026-03-02', 'A', "
        "'waiting', 1, 1, 8, 0)")
    conn.close()
    Store.open(db).close()
    conn = sqlite3.connect(db)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(tickets)")}
    assert {"satisfaction", "satisfaction_reason", "satisfaction_at"} <= columns
    assert conn.execute("SELECT satisfaction FROM tickets WHERE id = 'x'").fetchone() == (None,)
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(tickets)")}
    assert "tickets_counter_finished" in indexes
    assert conn.execute("SELECT COUNT(*) FROM ticket_characterization").fetchone() == (0,)
    conn.close()


def test_demo_with_history_days(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "server", "demo", "--dir", str(folder), "--no-serve",
         "--history-days", "10"], capture_output=True, text=True, env=subprocess_env(),
        cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Historia de demo" in done.stdout
    conn = sqlite3.connect(folder / "turnero.db")
    days = conn.execute("SELECT COUNT(DISTINCT day), COUNT(*), COUNT(satisfaction) FROM tickets "
                        "WHERE kiosk = 'quiosco-1'").fetchone()
    clerks = {r[0] for r in conn.execute("SELECT DISTINCT clerk FROM tickets WHERE clerk "
                                         "IS NOT NULL")}
    conn.close()
    assert 6 <= days[0] <= 8, "working days among the last ten"
    assert days[1] > 1000 and days[2] > 100
    assert clerks <= {f"ventanilla{n}" for n in range(1, 7)}, "the demo's own clerks"
