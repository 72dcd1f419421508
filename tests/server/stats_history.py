"""A small hand-made history whose every indicator is worked out by hand in the tests.

Ten tickets on Monday 2026-03-02 and Tuesday 2026-03-03 (Bogotá time, UTC-5, demo office
targets: A 15 min, B 10, C 20, E 30). Minutes below are exact, so every figure is too.

 #  number  day  issued  group  first call  start   finish  outcome       ctr clerk  sat
 1  A-001   1    08:00   -      08:05 (5)   08:06   08:16   served (10)   1  clerk1 5
 2  A-002   1    08:10   -      08:30 (20)  08:31   08:39   served (8)    1  clerk1 3 tiempo_espera
 3  B-001   1    08:20   AM     08:22 (2)   08:22   08:26   served (4)    2  clerk2 4
 4  B-002   1    09:00   -      09:10 (10)  -       09:13   no_show       2  clerk2 -
 5  C-001   1    09:15   GES    09:45 (30)  09:46   10:00   served (14)   3  clerk3 -  transferred
 6  C-002   1    14:00   -      -           -       14:05   cancelled     -  -      -
 7  A-001   2    08:00   -      08:03 (3)   08:04   08:10   served (6)    1  clerk1 5
 8  B-001   2    08:30   AM     08:31 (1)   08:32   08:34   served (2)    2  clerk2 2 amabilidad
 9  A-002   2    14:30   -      -           -       17:45   not_attended  -  -      -
10  E-001   2    15:00   -      15:40 (40)  15:41   16:01   served (20)   6  clerk4 -

Characterization (office with questions enabled): #1 and #3 age_band 60+, #7 age_band 18-28,
#2 sex mujer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from server.storage.bulk import HISTORY_COLUMNS
from tests.conftest import LiveServer, prepare_database

TZ = ZoneInfo("America/Bogota")
DAY1, DAY2 = "2026-03-02", "2026-03-03"


def at(day: str, hhmm: str | None) -> float | None:
    if hhmm is None:
        return None
    h, m = map(int, hhmm.split(":"))
    y, mo, d = map(int, day.split("-"))
    return datetime(y, mo, d, h, m, tzinfo=TZ).timestamp()


# (id, number, day, issued, group, called, started, finished, status, outcome, counter,
#  clerk, transfers, satisfaction, reason, calls)
TICKETS = [
    ("t01", "A-001", DAY1, "08:00", None, "08:05", "08:06", "08:16", "done", "served", 1,
     "clerk1", 0, 5, None, 1),
    ("t02", "A-002", DAY1, "08:10", None, "08:30", "08:31", "08:39", "done", "served", 1,
     "clerk1", 0, 3, "tiempo_espera", 1),
    ("t03", "B-001", DAY1, "08:20", "AM", "08:22", "08:22", "08:26", "done", "served", 2,
     "clerk2", 0, 4, None, 1),
    ("t04", "B-002", DAY1, "09:00", None, "09:10", None, "09:13", "no_show", "no_show", 2,
     "clerk2", 0, None, None, 2),
    ("t05", "C-001", DAY1, "09:15", "GES", "09:45", "09:46", "10:00", "done", "served", 3,
     "clerk3", 1, None, None, 1),
    ("t06", "C-002", DAY1, "14:00", None, None, None, "14:05", "cancelled", "cancelled", None,
     None, 0, None, None, 0),
    ("t07", "A-001", DAY2, "08:00", None, "08:03", "08:04", "08:10", "done", "served", 1,
     "clerk1", 0, 5, None, 1),
    ("t08", "B-001", DAY2, "08:30", "AM", "08:31", "08:32", "08:34", "done", "served", 2,
     "clerk2", 0, 2, "amabilidad", 1),
    ("t09", "A-002", DAY2, "14:30", None, None, None, "17:45", "not_attended",
     "not_attended", None, None, 0, None, None, 0),
    ("t10", "E-001", DAY2, "15:00", None, "15:40", "15:41", "16:01", "done", "served", 6,
     "clerk4", 0, None, None, 1),
]
CHARACTERIZATION = [("t01", "age_band", "60+"), ("t03", "age_band", "60+"),
                    ("t07", "age_band", "18-28"), ("t02", "sex", "mujer")]


def rows() -> list[tuple[tuple, list[tuple]]]:
    out = []
    for (tid, number, day, issued, group, called, started, finished, status, outcome,
         counter, clerk, transfers, sat, reason, calls) in TICKETS:
        values = {
            "id": tid, "number": number, "letter": number[0], "seq": int(number[2:]),
            "day": day, "service": number[0], "group_code": group, "status": status,
            "outcome": outcome, "issued_at": at(day, issued), "queued_at": at(day, issued),
            "first_called_at": at(day, called), "called_at": at(day, called),
            "started_at": at(day, started), "finished_at": at(day, finished),
            "counter": counter, "clerk": clerk, "call_count": calls, "transfers": transfers,
            "kiosk": "quiosco-prueba", "hour": int(issued[:2]),
            "weekday": datetime.fromisoformat(day).weekday(), "print_status": "ok",
            "satisfaction": sat, "satisfaction_reason": reason,
            "satisfaction_at": at(day, finished) + 60 if sat else None,
        }
        chars = [c for c in CHARACTERIZATION if c[0] == tid]
        out.append((tuple(values[c] for c in HISTORY_COLUMNS), chars))
    return out


def write(db: Path) -> None:
    """Insert the ten tickets into a migrated database (through the storage bulk path)."""
    from server.storage.bulk import insert_history

    assert insert_history(db, rows()) == len(TICKETS)


def characterization_config(tmp: Path) -> Path:
    """The demo office with its example characterization questions switched on."""
    demo = Path(__file__).resolve().parents[2] / "server" / "demo" / "office.toml"
    text = demo.read_text(encoding="utf-8")
    assert "[characterization]\nenabled = false" in text
    path = tmp / "office-characterization.toml"
    path.write_text(text.replace("[characterization]\nenabled = false",
                                 "[characterization]\nenabled = true"), encoding="utf-8")
    return path


def run_stats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server over the hand-made history (characterization enabled), for a
    module-scoped fixture of tests that only read. ``tokens["super"]`` is a supervisor
    session."""
    tmp = tmp_path_factory.mktemp("stats")
    config = characterization_config(tmp)
    (tmp / "tmp").mkdir()  # its export files, apart from any other process's
    server = LiveServer(db=tmp / "turnero.db", config=config, env={"TMPDIR": str(tmp / "tmp")})
    server.tokens = prepare_database(server.db, config)
    write(server.db)
    server.start()
    server.tokens["super"] = server.login("super")
    yield server
    server.stop()


def export(server: LiveServer, **params: Any) -> Any:
    """``GET /stats/export`` as the supervisor, of the two days unless ``from``/``to`` say
    otherwise; asserts 200."""
    with server.client(server.tokens["super"]) as c:
        r = c.get("/api/v1/stats/export", params={"from": DAY1, "to": DAY2, **params})
    assert r.status_code == 200, r.text
    return r
