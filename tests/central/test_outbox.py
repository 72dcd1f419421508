"""Office side: what waits for the centre (real SQLite file, the real engine) and the
``[central]`` keys of the office file."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from central.records import record_of, ticket_key, validate_record
from central.sender import link_for
from server import bootstrap
from server.auth import Passwords, Principal, Role
from server.config import DEMO_CONFIG, CentralLink, load_config, parse_config
from server.errors import ConfigError
from server.services.office import OfficeSettings
from server.storage import MIGRATIONS
from server.storage import central_outbox as outbox
from server.storage.reader import open_reader

KIOSK = Principal(Role.KIOSK, "quiosco", "quiosco", 0)


def open_office(db: Path) -> bootstrap.Services:
    return bootstrap.build(db, load_config(DEMO_CONFIG), OfficeSettings(open_all_hours=True),
                           passwords=Passwords.cheap())


def issue(services: bootstrap.Services, service: str) -> str:
    ticket: dict[str, str] = asyncio.run(services.ticketing.issue_ticket(service, None, KIOSK))
    return ticket["id"]


def changes(db: Path) -> list[str]:
    with closing(open_reader(db)) as conn:
        return [tid for tid, _ in outbox.next_changes(conn, 0, 100)]


def test_every_write_marks_the_ticket_in_commit_order(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    services = open_office(db)
    store = services.store
    try:
        first, second = issue(services, "A"), issue(services, "B")
        assert changes(db) == [first, second]
        clerk = Principal(Role.SUPERVISOR, "ana", "Ana", 1)
        called = asyncio.run(services.desk.call_next(1, clerk))
        assert called.ticket is not None and called.ticket["id"] == first
        assert changes(db) == [second, first]  # a change moves the ticket to the end

        with closing(open_reader(db)) as conn:
            assert outbox.pending_count(conn, 0) == 2
            last = outbox.next_changes(conn, 0, 100)[-1][1]
        store.run_sync(lambda tx: outbox.save_cursor(tx.conn, last, 1000.0))
        with closing(open_reader(db)) as conn:
            assert outbox.cursor(conn) == (last, 1000.0)
            assert outbox.pending_count(conn, last) == 0
            rows, answers = outbox.ticket_rows(conn, [first])
        record = record_of(rows[0], answers.get(first, {}))
        assert record["ticket"] == ticket_key(first) and first not in str(record)
        assert validate_record(0, record)["first_called_at"] == called_at(db, first)
    finally:
        services.close()


def called_at(db: Path, ticket: str) -> float:
    with closing(sqlite3.connect(db)) as conn:
        return float(conn.execute("SELECT first_called_at FROM tickets WHERE id = ?",
                                  (ticket,)).fetchone()[0])


def test_an_office_that_connects_later_sends_its_history_oldest_first(tmp_path: Path) -> None:
    """The migration marks the tickets already there, in the order they were issued."""
    db = tmp_path / "old.db"
    services = open_office(db)
    ids = [issue(services, "A") for _ in range(3)]
    services.close()
    with closing(sqlite3.connect(db)) as conn:  # back to the schema before the outbox
        index = [n for n, _ in MIGRATIONS].index("008_central_outbox")
        for name in ("central_outbox_ticket_insert", "central_outbox_ticket_update",
                     "central_outbox_characterization"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP TABLE central_outbox")
        conn.execute("DROP TABLE central_state")
        conn.execute("DELETE FROM _migrations WHERE name = '008_central_outbox'")
        conn.execute(f"PRAGMA user_version = {index}")
        conn.commit()
    open_office(db).close()
    assert changes(db) == ids


def test_central_keys_in_the_office_file(tmp_path: Path) -> None:
    base = DEMO_CONFIG.read_text(encoding="utf-8")
    ok = parse_config(base + '\n[central]\nurl = "https://central.example.gov.co/"\n'
                             'token = "abc"\n')
    assert ok.central == CentralLink("https://central.example.gov.co", "abc")
    lines = len(base.splitlines())
    with pytest.raises(ConfigError) as bad:
        parse_config(base + '\n[central]\nurl = "central.local"\ntoken = "abc"\nclave = 1\n',
                     source="oficina.toml")
    assert f"oficina.toml:{lines + 3}: central.url:" in "\n".join(bad.value.problems)
    assert f"oficina.toml:{lines + 5}: central.clave: dato desconocido" in \
        "\n".join(bad.value.problems)
    with pytest.raises(ConfigError) as half:
        parse_config(base + '\n[central]\nurl = "http://10.0.0.5:8100"\n', source="o.toml")
    assert "central.token: falta este dato" in half.value.problems[0]
    # The command line overrides the file; a file without [central] sends nothing.
    assert link_for("http://otra:8100/", None, ok.central) == CentralLink("http://otra:8100",
                                                                          "abc")
    assert link_for(None, None, None) is None
    assert parse_config(base).central is None
