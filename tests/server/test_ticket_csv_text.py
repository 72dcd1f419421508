"""The tickets CSV is written by SQLite (storage.ticket_text): the file must be the one the
per-row Python writer makes (``ticket_records``, which the centre's export still uses), byte
for byte, in an office whose clock changes (daylight saving) and on the values where
formatting in two languages could part: exact halves of a hundredth of a minute, midnight,
formula-looking names, codes no longer configured."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from server.config import DEMO_CONFIG, load_config
from server.queue.stats_query import StatsQuery
from server.queue.stats_tables import ticket_header
from server.services import export
from server.services.analytics import read_in_process
from server.services.statistics import labels_of, ticket_text_batches
from server.storage import Reader
from server.storage.bulk import HISTORY_COLUMNS, insert_history
from tests.conftest import prepare_database
from tests.server.ticket_reference import ticket_stream

NEW_YORK = ZoneInfo("America/New_York")  # 2026-03-08 02:00 EST -> 03:00 EDT (07:00 UTC)
CONFIG = replace(load_config(DEMO_CONFIG), timezone="America/New_York")


def local(day: str, hms: str, frac: float = 0.0) -> float:
    y, mo, d = map(int, day.split("-"))
    h, m, s = map(int, hms.split(":"))
    return datetime(y, mo, d, h, m, s, tzinfo=NEW_YORK).timestamp() + frac


def ticket(n: int, issued: float, *, wait: float | None = None, service_s: float | None = None,
           service: str = "A", clerk: str | None = "clerk1", counter: int | None = 1,
           outcome: str | None = "served") -> tuple[tuple[Any, ...], list[Any]]:
    when = datetime.fromtimestamp(issued, NEW_YORK)
    called = None if wait is None else issued + wait
    started = None if called is None else called + 30
    finished = None if started is None or service_s is None else started + service_s
    values = {
        "id": f"t{n:02d}", "number": f"{service}-{n:03d}", "letter": service, "seq": n,
        "day": when.date().isoformat(), "service": service, "group_code": None,
        "status": "done" if outcome else "waiting", "outcome": outcome, "issued_at": issued,
        "queued_at": issued, "first_called_at": called, "called_at": called,
        "started_at": started, "finished_at": finished, "counter": counter, "clerk": clerk,
        "call_count": 1 if called else 0, "transfers": 0, "kiosk": "quiosco-prueba",
        "hour": when.hour, "weekday": when.weekday(), "print_status": "ok",
        "satisfaction": None, "satisfaction_reason": None, "satisfaction_at": None,
    }
    return tuple(values[c] for c in HISTORY_COLUMNS), []


TICKETS = [
    # the evening before the change, a call after midnight
    ticket(1, local("2026-03-07", "23:59:59", 0.25), wait=11.5, service_s=60.0),
    # issued in EST a few seconds before 02:00, called in EDT
    ticket(2, local("2026-03-08", "01:59:30", 0.5), wait=60.0, service_s=7.5),
    # waits of exactly 0.125, 0.375, 0.625 and 0.875 minutes (round half to even)
    ticket(3, local("2026-03-08", "08:00:00", 0.25), wait=7.5, service_s=22.5),
    ticket(4, local("2026-03-08", "08:10:00", 0.75), wait=37.5, service_s=52.5),
    # around the 15-minute target of service A
    ticket(5, local("2026-03-08", "09:00:00", 0.123456), wait=900.6, service_s=0.2),
    ticket(6, local("2026-03-08", "09:01:00", 0.987654), wait=900.0, service_s=0.0),
    # a clerk no longer in the users table whose name looks like a formula, an unknown
    # service code and counter, a ticket never called
    ticket(7, local("2026-03-08", "10:00:00"), wait=61.0, service_s=3601.0, clerk="=2+3",
           service="-Z", counter=99),
    ticket(8, local("2026-03-08", "23:59:59", 0.999), outcome=None, clerk=None, counter=None),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("csvtext") / "turnero.db"
    prepare_database(path)
    assert insert_history(path, TICKETS) == len(TICKETS)
    return path


def both(db: Path, spanish_excel: bool) -> tuple[bytes, bytes]:
    """(Python writer, SQLite writer) over the same read transaction."""
    query = StatsQuery(date(2026, 3, 7), date(2026, 3, 8), "service")

    def read(r: Reader) -> tuple[bytes, bytes]:
        labels = labels_of(CONFIG, r)
        header = ticket_header(labels)
        python = b"".join(export.csv_chunks(header, ticket_stream(CONFIG, r, query, labels),
                                            spanish_excel=spanish_excel))
        sql = b"".join(export.csv_text_chunks(
            header, ticket_text_batches(CONFIG, r, query, labels, spanish_excel),
            spanish_excel=spanish_excel))
        return python, sql

    return read_in_process(str(db), read)


@pytest.mark.parametrize("spanish_excel", [False, True])
def test_sql_written_csv_is_the_python_one(db: Path, spanish_excel: bool) -> None:
    python, sql = both(db, spanish_excel)
    assert sql == python


def test_local_times_follow_the_clock_change_and_minutes_round_half_to_even(db: Path) -> None:
    _python, sql = both(db, spanish_excel=True)
    rows = list(csv.DictReader(io.StringIO(sql.decode("utf-8-sig")), delimiter=";"))
    assert [r["Turno"] for r in rows][5:] == ["A-006", "'-Z-007", "A-008"]
    first, second = rows[0], rows[1]
    assert (first["Fecha"], first["Hora de emisión"], first["Primer llamado"]) == \
        ("2026-03-07", "23:59:59", "00:00:10")
    assert (second["Hora de emisión"], second["Primer llamado"],
            second["Inicio de atención"]) == ("01:59:30", "03:00:30", "03:01:00")
    assert [r["Espera (min)"] for r in rows[2:4]] == ["0,12", "0,62"]
    assert [r["Atención (min)"] for r in rows[1:4]] == ["0,12", "0,38", "0,88"]
    assert (rows[4]["Espera (min)"], rows[4]["Dentro de la meta"]) == ("15,01", "No")
    assert (rows[5]["Espera (min)"], rows[5]["Dentro de la meta"]) == ("15", "Sí")
    odd = rows[6]
    assert (odd["Servicio"], odd["Ventanilla"], odd["Funcionario"], odd["Dentro de la meta"],
            odd["Atención (min)"]) == ("'-Z", "99", "'=2+3", "", "60,02")
    never = rows[7]
    assert (never["Hora de emisión"], never["Primer llamado"], never["Espera (min)"],
            never["Resultado"]) == ("23:59:59", "", "", "En espera")
