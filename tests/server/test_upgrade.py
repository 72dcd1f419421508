"""Upgrades: a database made by the first release opens with the current code, migrates, and
its statistics stay identical; a newer database is refused by `turnero serve`.

The fixture (tests/fixtures/release1.db) was made by the first release's own code (commit
dadfdba), with the summaries that release answered recorded next to it
(tests/fixtures/README.md says how).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from server.storage import MIGRATIONS
from tests.conftest import PASSWORD, ROOT, LiveServer, subprocess_env

FIXTURES = ROOT / "tests" / "fixtures"


def test_first_release_database_migrates_and_keeps_its_statistics(tmp_path: Path) -> None:
    recorded = json.loads((FIXTURES / "release1-stats.json").read_text(encoding="utf-8"))
    one = next(iter(recorded["summary"].values()))
    changed = json.loads(json.dumps(one))
    changed["rows"][0]["served"] += 1
    assert differences(one, changed) == [f".rows[0].served: {one['rows'][0]['served']} before, "
                                         f"{changed['rows'][0]['served']} now"]
    db = tmp_path / "turnero.db"
    shutil.copy(FIXTURES / "release1.db", db)
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")] == \
        recorded["migrations"]
    conn.close()

    server = LiveServer(db=db)
    server.start()
    try:
        token = httpx.post(f"{server.base_url}/api/v1/auth/login",
                           json={"username": "super", "password": PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for query, before in recorded["summary"].items():
            now = httpx.get(f"{server.base_url}/api/v1/stats/summary?{query}",
                            headers=headers, timeout=30)
            assert now.status_code == 200, now.text
            assert differences(before, now.json()) == [], query
    finally:
        server.stop()
    conn = sqlite3.connect(db)
    applied = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tickets = conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    conn.close()
    assert applied == sorted(name for name, _ in MIGRATIONS)
    assert version == len(MIGRATIONS)
    assert tickets == recorded["tickets"]


def differences(old: object, new: object, where: str = "") -> list[str]:
    """Where ``new`` does not hold what ``old`` said: every field the first release answered
    must be there with the same value (a later release may add fields: the API contract is
    extended, never renamed)."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return [f"{where}: {new!r} is not an object"]
        return [d for k, v in old.items()
                for d in (differences(v, new[k], f"{where}.{k}") if k in new
                          else [f"{where}.{k}: missing"])]
    if isinstance(old, list):
        if not isinstance(new, list) or len(new) != len(old):
            return [f"{where}: {len(old)} items before, now {new!r:.80}"]
        return [d for i, (a, b) in enumerate(zip(old, new, strict=True))
                for d in differences(a, b, f"{where}[{i}]")]
    return [] if old == new else [f"{where}: {old!r} before, {new!r} now"]


def test_serve_refuses_a_database_from_a_newer_release(tmp_path: Path) -> None:
    db = tmp_path / "turnero.db"
    shutil.copy(FIXTURES / "release1.db", db)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    before = _schema(db)
    out = subprocess.run([sys.executable, "-m", "server", "serve", "--db", str(db), "--port",
                          "1"], capture_output=True, text=True, cwd=ROOT, env=subprocess_env(),
                         timeout=60)
    assert out.returncode == 2
    assert "más nuevo" in out.stderr and "Actualice Turnero" in out.stderr
    assert _schema(db) == before  # nothing migrated


def _schema(db: Path) -> tuple[int, list[str], list[str]]:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("PRAGMA user_version").fetchone()[0],
                [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")],
                [r[0] for r in conn.execute("SELECT sql FROM sqlite_master ORDER BY name")])
    finally:
        conn.close()
