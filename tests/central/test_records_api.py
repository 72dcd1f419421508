"""The centre's API in-process (the real FastAPI app, a real PostgreSQL database): batches
are idempotent, a token only writes its own office, bad batches get a plain-Spanish 4xx, and
the monthly rollups give the same figures as the tickets themselves."""

from __future__ import annotations

import csv
import functools
import io
import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from central.app import create_app
from central.records import ticket_key
from central.service import CentralService, CentralSettings
from central.storage import CentralStore
from server.auth import Passwords
from tests.central.conftest import CENTRAL_PASSWORD

CATALOG = {
    "name": "Alcaldía de Prueba", "timezone": "America/Bogota",
    "services": [{"code": "A", "name": "Pagos", "target_wait_min": 10},
                 {"code": "B", "name": "Certificados", "target_wait_min": 20}],
    "counters": [{"number": 1, "name": "Ventanilla 1"}],
    "groups": [{"code": "AM", "name": "Persona mayor"}],
    "clerks": [{"username": "ana", "name": "Ana"}],
    "characterization": {"enabled": False, "questions": []},
}
BASE = 1_762_000_000.0  # 2025-11-01 07:26 Bogotá


def record(i: int, day: str = "2025-11-03", **changes: Any) -> dict[str, Any]:
    issued = BASE + i * 137.0
    called = issued + 60 + (i * 37) % 900
    rec = {"ticket": ticket_key(f"t{i}"), "number": f"A-{i:03d}", "day": day, "weekday": 0,
           "issued_at": issued, "service": "AB"[i % 2], "group": "AM" if i % 5 == 0 else None,
           "counter": 1, "clerk": "ana", "first_called_at": called,
           "started_at": called + 20, "finished_at": called + 20 + 90 + i % 300,
           "status": "done", "outcome": "served", "transfers": 0, "calls": 1,
           "satisfaction": 1 + i % 5 if i % 3 == 0 else None, "satisfaction_reason": None,
           "characterization": {}}
    rec.update(changes)
    return rec


@functools.cache
def password_hash() -> str:
    """Hashed once per session with the cheap test-only argon2 (verifying costs what the
    hash's own parameters say, so every sign-in is fast too)."""
    return Passwords.cheap().hash(CENTRAL_PASSWORD)


def batch(office: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"office": office, "catalog": CATALOG, "records": records}


@pytest.fixture
def centre(central_dsn: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = CentralSettings(central_dsn, min_count=5)
    store = CentralStore.open(central_dsn, max_size=2)
    service = CentralService(store, settings)
    tokens = {"A": service.add_office("OF-A", "Oficina A"),
              "B": service.add_office("OF-B", "Oficina B")}
    store.add_user("gob", "supervisor", password_hash())
    store.close()
    with TestClient(create_app(settings)) as client:
        r = client.post("/api/v1/central/auth/login",
                        json={"username": "gob", "password": CENTRAL_PASSWORD})
        tokens["user"] = r.json()["token"]
        yield client, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def summary(client: TestClient, token: str, **params: str) -> dict[str, Any]:
    r = client.get("/api/v1/central/summary", params=params, headers=auth(token))
    assert r.status_code == 200, r.text
    return dict(r.json())


def send(centre: tuple[TestClient, dict[str, str]], office: str,
         records: list[dict[str, Any]]) -> None:
    """Office ``office`` ("A" or "B") sends a batch; the centre accepts it."""
    client, tokens = centre
    r = client.post("/api/v1/central/records", json=batch(f"OF-{office}", records),
                    headers=auth(tokens[office]))
    assert r.status_code == 200, r.text


def test_a_replayed_batch_changes_nothing_and_a_later_version_replaces_the_row(
        centre: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = centre
    records = [record(i) for i in range(40)]
    for _ in range(2):  # the second is a replay after a lost answer
        r = client.post("/api/v1/central/records", json=batch("OF-A", records),
                        headers=auth(tokens["A"]))
        assert r.status_code == 200, r.text
    month = {"from": "2025-11-01", "to": "2025-11-30", "by": "office"}
    first = summary(client, tokens["user"], **month)
    assert first["total"]["issued"] == 40

    # A ticket answered the survey later: the office sends it again, its row is replaced.
    later = record(1, satisfaction=5)
    r = client.post("/api/v1/central/records", json=batch("OF-A", [later]),
                    headers=auth(tokens["A"]))
    assert r.status_code == 200
    second = summary(client, tokens["user"], **month)
    assert second["total"]["issued"] == 40
    answers = second["total"]["satisfaction"]["answers"]
    assert answers == first["total"]["satisfaction"]["answers"] + 1


def test_a_token_for_one_office_cannot_write_another_offices_rows(
        centre: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = centre
    r = client.post("/api/v1/central/records", json=batch("OF-B", [record(1)]),
                    headers=auth(tokens["A"]))
    assert r.status_code == 403
    assert "no puede escribir registros de la oficina OF-B" in r.json()["detail"]
    assert summary(client, tokens["user"], **{"from": "2025-11-01", "to": "2025-11-30"}
                   )["total"]["issued"] == 0
    # Nor can a person's session send records, nor an office token read the figures.
    r = client.post("/api/v1/central/records", json=batch("OF-A", []),
                    headers=auth(tokens["user"]))
    assert r.status_code == 403
    r = client.get("/api/v1/central/summary", params={"from": "2025-11-01", "to": "2025-11-30"},
                   headers=auth(tokens["A"]))
    assert r.status_code == 403
    r = client.post("/api/v1/central/records", json=batch("OF-A", []),
                    headers=auth("no-es-un-token"))
    assert r.status_code == 401 and "token" in r.json()["detail"]


BAD_BATCHES: list[tuple[str, Any, str]] = [
    ("not json", b"{no es json", "no es JSON"),
    ("a list", [], "objeto JSON"),
    ("no office", {"catalog": CATALOG, "records": []}, "office"),
    ("no catalog", {"office": "OF-A", "records": []}, "catálogo"),
    ("no records", {"office": "OF-A", "catalog": CATALOG}, "records"),
    ("bad target", {"office": "OF-A", "catalog": {**CATALOG, "services": [
        {"code": "A", "name": "Pagos", "target_wait_min": "diez"}]}, "records": []}, "meta"),
    ("bad day", batch("OF-A", [record(1, day="2025-02-30")]), "Registro 1"),
    ("bad time", batch("OF-A", [record(1, issued_at="ayer")]), "issued_at"),
    ("infinite", json.dumps(batch("OF-A", [record(1, issued_at=math.inf)])).encode(),
     "issued_at"),
    ("bad status", batch("OF-A", [record(1, status="perdido")]), "status"),
    ("bad rating", batch("OF-A", [record(1, satisfaction=9)]), "entre 1 y 5"),
    ("bad key", batch("OF-A", [record(1, ticket="abc")]), "hash"),
    ("unknown field", batch("OF-A", [{**record(1), "cedula": "123"}]), "desconocidos"),
    ("repeated", batch("OF-A", [record(1), record(1)]), "repetido"),
    ("too many", batch("OF-A", [record(i) for i in range(1001)]), "máximo"),
    ("answers", batch("OF-A", [record(1, characterization={"edad": 3})]), "characterization"),
    ("bad first counter", batch("OF-A", [record(1, first_counter="uno")]), "first_counter"),
]


@pytest.mark.parametrize(("name", "body", "words"), BAD_BATCHES, ids=[b[0] for b in BAD_BATCHES])
def test_bad_batches_get_a_spanish_4xx_and_store_nothing(
        centre: tuple[TestClient, dict[str, str]], name: str, body: Any, words: str) -> None:
    client, tokens = centre
    kw: dict[str, Any] = {"content": body} if isinstance(body, bytes) else {"json": body}
    r = client.post("/api/v1/central/records", headers=auth(tokens["A"]), **kw)
    assert 400 <= r.status_code < 500, r.text
    assert words in r.json()["detail"]
    assert summary(client, tokens["user"], **{"from": "2025-11-01", "to": "2025-11-30"}
                   )["total"]["issued"] == 0


def test_summaries_from_rollups_equal_summaries_from_the_tickets(
        centre: tuple[TestClient, dict[str, str]]) -> None:
    """A whole month is read from the monthly rollups; the same tickets asked by day go to
    the tickets table. Both give the same figures, and a batch arriving later refreshes the
    rollup before the next read."""
    client, tokens = centre
    nov = [record(i, day=f"2025-11-{3 + i % 20:02d}") for i in range(120)]
    dec = [record(200 + i, day=f"2025-12-{1 + i % 20:02d}") for i in range(30)]
    send(centre, "A", nov[:60] + dec)
    send(centre, "B", nov[60:])
    user = tokens["user"]
    month = summary(client, user, **{"from": "2025-11-01", "to": "2025-11-30", "by": "service"})
    by_days = summary(client, user, **{"from": "2025-11-01", "to": "2025-11-29",
                                       "by": "service"})  # not a whole month: tickets
    assert month["total"] == by_days["total"] and month["rows"] == by_days["rows"]
    assert month["total"]["issued"] == 120
    two = summary(client, user, **{"from": "2025-11-01", "to": "2025-12-31", "by": "month"})
    assert [r["key"] for r in two["rows"]] == ["2025-11", "2025-12"]
    assert [r["label"] for r in two["rows"]] == ["Noviembre de 2025", "Diciembre de 2025"]
    assert two["rows"][0]["issued"] == 120 and two["rows"][1]["issued"] == 30
    r = client.post("/api/v1/central/records", json=batch("OF-B", [record(999, day="2025-11-04")]),
                    headers=auth(tokens["B"]))
    assert r.status_code == 200
    assert summary(client, user, **{"from": "2025-11-01", "to": "2025-11-30"}
                   )["total"]["issued"] == 121
    worst = summary(client, user, **{"from": "2025-11-01", "to": "2025-11-30",
                                     "by": "office_service"})
    assert {r["key"] for r in worst["rows"]} == {"OF-A/A", "OF-A/B", "OF-B/A", "OF-B/B"}
    assert worst["rows"][0]["label"] == "Oficina A — Pagos"


def test_bad_summary_and_export_parameters_are_spanish_4xx(
        centre: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = centre
    cases = [("/api/v1/central/summary", {"from": "2025-13-01", "to": "2025-11-30"}, "fecha"),
             ("/api/v1/central/summary", {"from": "2025-11-30", "to": "2025-11-01"},
              "posterior"),
             ("/api/v1/central/summary", {"from": "2025-11-01", "to": "2025-11-30",
                                          "by": "clerk"}, "Agrupación"),
             ("/api/v1/central/summary", {"from": "2025-11-01", "to": "2025-11-30",
                                          "office": "NADA"}, "no está registrada"),
             ("/api/v1/central/export", {"from": "2025-11-01", "to": "2025-11-30",
                                         "format": "pdf"}, "Formato")]
    for path, params, words in cases:
        r = client.get(path, params=params, headers=auth(tokens["user"]))
        assert 400 <= r.status_code < 500, (path, params, r.text)
        assert words in r.json()["detail"]
    r = client.get("/api/v1/central/offices")
    assert r.status_code == 401 and "Inicie sesión" in r.json()["detail"]


def test_open_data_is_monthly_aggregates_with_the_small_count_rule(
        centre: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = centre
    rows = [record(i, day="2025-11-05", service="A") for i in range(12)]
    rows += [record(100 + i, day="2025-11-05", service="B") for i in range(3)]  # too few
    r = client.post("/api/v1/central/records", json=batch("OF-A", rows),
                    headers=auth(tokens["A"]))
    assert r.status_code == 200
    data = client.get("/datos-abiertos/mensual.json").json()  # public: no token
    assert data["min_count"] == 5
    cells = {(c["mes"], c["oficina_codigo"], c["servicio_codigo"]): c for c in data["rows"]}
    assert set(cells) == {("2025-11", "OF-A", "A"), ("2025-11", "OF-A", "B")}
    assert cells[("2025-11", "OF-A", "A")]["turnos_emitidos"] == 12
    assert cells[("2025-11", "OF-A", "A")]["espera_mediana_min"] is not None
    small = cells[("2025-11", "OF-A", "B")]
    assert small["reservado"] == "sí" and small["turnos_emitidos"] is None
    assert small["espera_mediana_min"] is None and small["satisfaccion_promedio"] is None
    assert not any("ticket" in k or k == "turno" for k in small)  # never a row per ticket
    text = client.get("/datos-abiertos/mensual.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["Mes", "Código de la oficina", "Oficina"] and len(table) == 3
    page = client.get("/datos-abiertos")
    assert page.status_code == 200 and "Pagos" in page.text and "mensual.csv" in page.text


def test_password_guessing_is_slowed_down(centre: tuple[TestClient, dict[str, str]]) -> None:
    client, _tokens = centre
    for _ in range(5):
        r = client.post("/api/v1/central/auth/login", json={"username": "gob",
                                                            "password": "adivinando-1"})
        assert r.status_code == 401 and r.json()["detail"] == "Usuario o contraseña incorrectos."
    r = client.post("/api/v1/central/auth/login", json={"username": "gob",
                                                        "password": CENTRAL_PASSWORD})
    assert r.status_code == 429 and "Demasiados intentos" in r.json()["detail"]
    assert int(r.headers["Retry-After"]) > 0


def test_export_streams_the_office_export_columns_as_csv_and_xlsx(
        centre: tuple[TestClient, dict[str, str]], tmp_path: Any) -> None:
    import openpyxl

    client, tokens = centre
    # Six records as an office from before transfers were recorded sends them (no
    # first_* fields), one transferred ticket as a current office sends it.
    rows = [record(i, day="2025-11-05") for i in range(6)]
    rows.append(record(6, day="2025-11-05", service="B", transfers=1, first_service="A",
                       first_counter=1, first_clerk="ana"))
    r = client.post("/api/v1/central/records", json=batch("OF-A", rows),
                    headers=auth(tokens["A"]))
    assert r.status_code == 200, r.text
    params = {"from": "2025-11-01", "to": "2025-11-30"}
    r = client.get("/api/v1/central/export", params={**params, "sep": "semicolon"},
                   headers=auth(tokens["user"]))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:4] == ["Código de la oficina", "Oficina", "Turno", "Fecha"]
    assert len(table) == 8 and {row[6] for row in table[1:]} == {"Pagos", "Certificados"}
    assert {row[10] for row in table[1:]} == {"Ana"}  # the clerk's name from the catalog
    before = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    moved = next(row for row in before if row["Turno"] == "A-006")
    assert (moved["Servicio antes del traslado"], moved["Ventanilla antes del traslado"],
            moved["Funcionario antes del traslado"]) == ("Pagos", "Ventanilla 1", "Ana")
    assert all(row["Servicio antes del traslado"] == row["Ventanilla antes del traslado"] ==
               row["Funcionario antes del traslado"] == "" for row in before if row is not moved)
    r = client.get("/api/v1/central/export", params={**params, "format": "xlsx",
                                                     "office": "OF-A"},
                   headers=auth(tokens["user"]))
    assert r.status_code == 200
    path = tmp_path / "central.xlsx"
    path.write_bytes(r.content)
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = book.active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    assert values[0][:3] == ("Código de la oficina", "Oficina", "Turno") and len(values) == 8


def test_whole_months_are_stored_once_computed_and_a_batch_for_them_replaces_them(
        centre: tuple[TestClient, dict[str, str]], central_dsn: str) -> None:
    """Whole months across all offices (a month, two months) are computed once and then read
    back as stored: the same figures, to the last digit, as the same tickets read from the
    tickets table. A batch for one of those months (a new ticket, a ticket updated later)
    shows at once; a batch for another month leaves them in place."""
    import psycopg

    client, tokens = centre
    user = tokens["user"]
    nov = [record(i, day=f"2025-11-{3 + i % 20:02d}") for i in range(120)]
    dec = [record(300 + i, day=f"2025-12-{1 + i % 20:02d}") for i in range(30)]
    send(centre, "A", nov[:70] + dec)
    send(centre, "B", nov[70:])
    # Whole months, and the same tickets read from the tickets table (no ticket on the last
    # day of either month, so a range one day shorter holds the same tickets).
    ranges = {"nov": ({"from": "2025-11-01", "to": "2025-11-30"},
                      {"from": "2025-11-01", "to": "2025-11-29"}),
              "nov-dec": ({"from": "2025-11-01", "to": "2025-12-31"},
                          {"from": "2025-11-01", "to": "2025-12-30"})}
    levels = ("office", "service", "group", "month", "office_service")

    def same_as_the_tickets(name: str, by: str) -> dict[str, Any]:
        whole, from_tickets = ranges[name]
        got = summary(client, user, **whole, by=by)
        fresh = summary(client, user, **from_tickets, by=by)
        for part in ("total", "classes", "rows"):
            assert got[part] == fresh[part], (name, by, part)
        return got

    def total(name: str) -> int:
        return int(summary(client, user, **ranges[name][0], by="group")["total"]["issued"])

    for name in ranges:
        for by in levels:
            first = same_as_the_tickets(name, by)
            assert summary(client, user, **ranges[name][0], by=by) == first  # now stored
    with psycopg.connect(central_dsn) as conn:
        kept = set(conn.execute("SELECT to_char(start, 'MM'), to_char(stop, 'MM'), by "
                                "FROM stored_summaries").fetchall())
        assert kept == {(a, b, by) for a, b in (("11", "12"), ("11", "01")) for by in levels}
        # Mark what is stored, to see below which summaries are read back as stored.
        conn.execute("""UPDATE stored_summaries SET body = replace(body, '"issued": ',
                                                                 '"issued": 9')""")
    assert (total("nov"), total("nov-dec")) == (9120, 9150)

    send(centre, "A", [record(500, day="2026-01-05")])  # another month: both stay in use
    assert (total("nov"), total("nov-dec")) == (9120, 9150)
    send(centre, "A", [record(501, day="2025-12-02")])  # December: only the two-month range changes
    assert total("nov") == 9120
    assert same_as_the_tickets("nov-dec", "group")["total"]["issued"] == 151

    # A ticket of November answered the survey later, and a new ticket: both show at once.
    before = summary(client, user, **ranges["nov"][1], by="office")["total"]
    send(centre, "B", [record(71, day=nov[71]["day"], satisfaction=5),
                       record(601, day="2025-11-28")])
    assert nov[71]["satisfaction"] is None and record(601)["satisfaction"] is None
    for by in levels:
        after = same_as_the_tickets("nov", by)
        assert after["total"]["issued"] == 121
    answers = after["total"]["satisfaction"]["answers"]
    assert answers == before["satisfaction"]["answers"] + 1
