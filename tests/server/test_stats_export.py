"""Exports opened back the way an auditor would (csv module, openpyxl) and compared with the
hand-made history; the command line gives the same file."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, LiveServer, subprocess_env
from tests.server import stats_history as h
from tests.server.stats_history import export


@pytest.fixture(scope="module")
def stats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from h.run_stats_server(tmp_path_factory)

def read_csv(content: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM first, so Excel reads accents"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_tickets_csv_has_one_row_per_ticket_in_local_time(stats_server: LiveServer) -> None:
    r = export(stats_server, format="csv", kind="tickets")
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == \
        'attachment; filename="turnos_2026-03-02_2026-03-03.csv"'
    rows = read_csv(r.content)
    assert [row["Turno"] for row in rows] == [t[1] for t in h.TICKETS]  # issue order
    first = rows[0]
    assert first["Fecha"] == h.DAY1 and first["Día de la semana"] == "Lunes"
    assert (first["Hora de emisión"], first["Primer llamado"], first["Inicio de atención"],
            first["Fin"]) == ("08:00:00", "08:05:00", "08:06:00", "08:16:00")
    assert first["Servicio"] == "Radicación de PQRSD"
    assert (first["Espera (min)"], first["Atención (min)"], first["Dentro de la meta"]) == \
        ("5", "10", "Sí")
    assert (first["Ventanilla"], first["Funcionario"], first["Resultado"]) == \
        ("Ventanilla 1", "Clerk1", "Atendido")
    assert first["Satisfacción (1-5)"] == "5"
    assert first["¿En qué rango de edad está?"] == "60 años o más"
    assert "t01" not in r.text, "ticket ids are capabilities: never exported"
    second = rows[1]
    assert second["Motivo de la calificación"] == "El tiempo de espera"
    assert second["Dentro de la meta"] == "No" and second["¿Cuál es su sexo?"] == "Mujer"
    third = rows[2]
    assert (third["Grupo preferencial"], third["Preferencial"]) == ("Persona mayor", "Sí")
    no_show, cancelled, closed = rows[3], rows[5], rows[8]
    assert (no_show["Resultado"], no_show["Llamados"], no_show["Atención (min)"]) == \
        ("No se presentó", "2", "")
    assert (cancelled["Resultado"], cancelled["Espera (min)"]) == ("Cancelado", "")
    assert closed["Resultado"] == "No atendido al cierre"
    assert rows[4]["Traslados"] == "1"


def test_summary_csv_for_spanish_excel(stats_server: LiveServer) -> None:
    r = export(stats_server, format="csv", kind="summary", sep="semicolon")
    assert 'filename="indicadores_2026-03-02_2026-03-03.csv"' in r.headers["content-disposition"]
    rows = read_csv(r.content, delimiter=";")
    total = rows[0]
    assert (total["Dimensión"], total["Valor"], total["Turnos emitidos"]) == \
        ("Total", "Todos los turnos", "10")
    # decimal comma for Excel in Spanish
    assert (total["Espera media (min)"], total["Espera mediana (min)"],
            total["Espera p90 (min)"], total["Dentro de la meta (%)"]) == \
        ("13,88", "7,5", "33", "62,5")
    assert total["Satisfacción promedio"] == "3,8" and total["Calificación 5"] == "2"
    assert [(r["Dimensión"], r["Valor"]) for r in rows[1:3]] == [
        ("Clase", "Preferencial"), ("Clase", "General")]
    services = {r["Valor"]: r for r in rows if r["Dimensión"] == "Servicio"}
    assert services["Pagos e impuestos"]["Transferidos"] == "1"
    hours = {r["Valor"]: r["Turnos emitidos"] for r in rows if r["Dimensión"] == "Hora del día"}
    assert hours == {"08:00": "5", "09:00": "2", "14:00": "2", "15:00": "1"}
    ages = {r["Valor"]: r["Turnos emitidos"] for r in rows
            if r["Dimensión"] == "¿En qué rango de edad está?"}
    assert ages == {"18 a 28 años": "1", "60 años o más": "2", "Sin respuesta": "7"}


def test_csv_filters_apply(stats_server: LiveServer) -> None:
    rows = read_csv(export(stats_server, format="csv", kind="tickets", service="B",
                           group="AM").content)
    assert [(r["Turno"], r["Fecha"]) for r in rows] == [("B-001", h.DAY1), ("B-001", h.DAY2)]


def test_tickets_xlsx_opens_with_numbers_as_numbers(stats_server: LiveServer, tmp_path: Path
                                                    ) -> None:
    r = export(stats_server, format="xlsx", kind="tickets")
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="turnos_2026-03-02_2026-03-03.xlsx"' in r.headers["content-disposition"]
    path = tmp_path / "t.xlsx"
    path.write_bytes(r.content)
    with closing(openpyxl.load_workbook(path, read_only=True)) as book:
        table = [list(row) for row in book["Turnos"].iter_rows(values_only=True)]
    header, body = table[0], table[1:]
    assert len(body) == 10
    row = dict(zip(header, body[9], strict=False))  # E-001: waited 40, served in 20
    assert (row["Turno"], row["Espera (min)"], row["Atención (min)"], row["Ventanilla"]) == \
        ("E-001", 40, 20, "Ventanilla 6")
    assert row["Dentro de la meta"] == "No" and row["Satisfacción (1-5)"] is None


def test_tickets_xlsx_has_real_dates_and_times(stats_server: LiveServer, tmp_path: Path
                                               ) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(export(stats_server, format="xlsx", kind="tickets").content)
    with closing(openpyxl.load_workbook(path)) as book:
        sheet = book["Turnos"]
        header = [c.value for c in sheet[1]]
        first = {h: c for h, c in zip(header, sheet[2], strict=False)}
    day = first["Fecha"]
    assert isinstance(day.value, datetime) and day.value.date() == date.fromisoformat(h.DAY1)
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    times = [first[k] for k in ("Hora de emisión", "Primer llamado", "Inicio de atención",
                                "Fin")]
    assert [c.value for c in times] == [time(8), time(8, 5), time(8, 6), time(8, 16)]
    assert all(c.is_date and c.number_format == "hh:mm:ss" for c in times)


def test_summary_xlsx_has_a_sheet_per_dimension(stats_server: LiveServer, tmp_path: Path
                                                , request: pytest.FixtureRequest) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(export(stats_server, format="xlsx", kind="summary").content)
    book = openpyxl.load_workbook(path, read_only=True)
    request.addfinalizer(book.close)
    assert book.sheetnames[:8] == ["Resumen", "Servicio", "Ventanilla", "Funcionario",
                                   "Grupo preferencial", "Hora del día", "Día",
                                   "Día de la semana"]
    resumen = [list(r) for r in book["Resumen"].iter_rows(values_only=True)]
    header = resumen[0]
    total = dict(zip(header, resumen[1], strict=True))
    assert (total["Turnos emitidos"], total["Espera media (min)"], total["Espera p90 (min)"],
            total["Atención mediana (min)"]) == (10, 13.88, 33, 8)
    days = [list(r) for r in book["Día"].iter_rows(values_only=True)][1:]
    assert [(d[1], d[2]) for d in days] == [(h.DAY1, 6), (h.DAY2, 4)]


def test_export_refuses_bad_format_and_kind(stats_server: LiveServer) -> None:
    with stats_server.client(stats_server.tokens["super"]) as c:
        base = {"from": h.DAY1, "to": h.DAY2}
        assert c.get("/api/v1/stats/export", params={**base, "format": "pdf"}).status_code == 422
        assert c.get("/api/v1/stats/export", params={**base, "kind": "x"}).status_code == 422
        r = c.get("/api/v1/stats/export", params={"from": h.DAY2, "to": h.DAY1})
        assert r.status_code == 422 and "posterior" in r.json()["detail"]


def test_command_line_export_matches_the_api(stats_server: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "turnos.csv"
    cmd = [sys.executable, "-m", "server", "export", "--from", h.DAY1, "--to", h.DAY2,
           "--format", "csv", "--output", str(out), "--db", str(stats_server.db),
           "--config", str(stats_server.config)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=subprocess_env(), cwd=ROOT,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == export(stats_server, format="csv", kind="tickets").content
    xlsx = tmp_path / "resumen.xlsx"
    done = subprocess.run([*cmd[:9], "xlsx", "--kind", "summary", "--output", str(xlsx),
                           *cmd[-4:]], capture_output=True, text=True, env=subprocess_env(),
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    with closing(openpyxl.load_workbook(xlsx, read_only=True)) as book:
        assert "Resumen" in book.sheetnames
    bad = subprocess.run([*cmd[:5], "2026-02-30", *cmd[6:]], capture_output=True, text=True,
                         env=subprocess_env(), cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and "no existe" in bad.stderr
