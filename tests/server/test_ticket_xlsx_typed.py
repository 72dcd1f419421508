"""The tickets XLSX is written from values SQLite types (storage.ticket_text, ``typed``): the
workbook must read back as the one the per-row Python values make (``ticket_records``), cell
by cell with the same number formats, in an office whose clock changes and across midnight
(the tickets of ``test_ticket_csv_text``), with characterization answers."""

from __future__ import annotations

from contextlib import closing
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from server.config import OfficeConfig
from server.queue.stats_query import StatsQuery
from server.queue.stats_tables import ticket_cell_kinds, ticket_header
from server.services import export
from server.services.analytics import read_in_process
from server.services.statistics import labels_of, ticket_text_batches, ticket_text_count
from server.storage import Reader
from server.storage.bulk import insert_history
from server.storage.reader import snapshot
from tests.conftest import prepare_database
from tests.server import test_ticket_csv_text as csv_text
from tests.server.ticket_reference import ticket_stream

CONFIG = replace(csv_text.CONFIG, characterization=replace(csv_text.CONFIG.characterization,
                                                           enabled=True))
#: A known answer, an answer no longer among the choices, no answer.
ANSWERS = {"t01": [("t01", "age_band", "60+"), ("t01", "sex", "mujer")],
           "t02": [("t02", "age_band", "=retirada")]}
TICKETS = [(row, ANSWERS.get(row[0], [])) for row, _none in csv_text.TICKETS]


def write_both(tmp: Path, config: OfficeConfig = CONFIG) -> tuple[Path, Path]:
    """(per-row Python values, SQLite's typed values) over the same read transaction."""
    db = tmp / "turnero.db"
    prepare_database(db)
    assert insert_history(db, TICKETS) == len(TICKETS)
    query = StatsQuery(date(2026, 3, 7), date(2026, 3, 8), "service")
    python, sql = tmp / "python.xlsx", tmp / "sql.xlsx"

    def write(r: Reader) -> tuple[int, int]:
        labels = labels_of(config, r)
        header = ticket_header(labels)
        return (export.write_xlsx(python, [("Turnos", header,
                                            ticket_stream(config, r, query, labels))]),
                export.write_typed_xlsx(sql, "Turnos", header, ticket_cell_kinds(labels),
                                        ticket_text_batches(config, r, query, labels, False,
                                                            typed=True),
                                        ticket_text_count(config, r, query)))

    assert read_in_process(str(db), write) == (len(TICKETS), len(TICKETS))
    return python, sql


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_both(tmp_path_factory.mktemp("xlsxtyped"))


def cells(path: Path) -> dict[str, list[list[tuple[Any, str, str]]]]:
    """Every sheet's (value, number format, data type) per cell."""
    with closing(openpyxl.load_workbook(path)) as book:
        return {sheet.title: [[(c.value, c.number_format, c.data_type) for c in row]
                              for row in sheet.iter_rows()]
                for sheet in book.worksheets}


def test_typed_workbook_is_the_python_one_cell_by_cell(workbooks: tuple[Path, Path]) -> None:
    python, sql = (cells(p) for p in workbooks)
    assert list(sql) == list(python) == ["Turnos"]
    assert len(sql["Turnos"]) == len(TICKETS) + 1
    assert sql == python


def test_typed_workbook_has_local_dates_times_and_rounded_minutes(
        workbooks: tuple[Path, Path]) -> None:
    rows = cells(workbooks[1])["Turnos"]
    header = [v for v, _f, _t in rows[0]]
    first, second, odd, never = (dict(zip(header, rows[i], strict=False))
                                 for i in (1, 2, 7, 8))
    assert first["Fecha"] == (datetime(2026, 3, 7), "yyyy-mm-dd", "d")
    assert (first["Hora de emisión"][0], first["Primer llamado"][0]) == \
        (time(23, 59, 59), time(0, 0, 10))
    assert second["Primer llamado"] == (time(3, 0, 30), "hh:mm:ss", "d")
    assert [dict(zip(header, rows[i], strict=False))["Espera (min)"][0]
            for i in (3, 4, 5)] == [0.12, 0.62, 15.01]
    assert (odd["Servicio"][0], odd["Funcionario"][0], odd["Atención (min)"][0]) == \
        ("-Z", "=2+3", 60.02)
    assert never["Primer llamado"][0] is None and never["Espera (min)"][0] is None
    ages = [dict(zip(header, rows[i], strict=False))[CONFIG.characterization.questions[0].text]
            for i in (1, 2, 3)]
    assert [v for v, _f, _t in ages] == ["60 años o más", "=retirada", None]


def looks(path: Path) -> list[tuple[Any, ...]]:
    """Per sheet: its name, frozen panes, column widths and the header cells' style."""
    def widths(sheet: Any) -> list[float | None]:
        by_column = {i: dim.width for dim in sheet.column_dimensions.values()
                     for i in range(dim.min, dim.max + 1)}  # a range of columns is one entry
        return [by_column.get(i) for i in range(1, sheet.max_column + 1)]

    with closing(openpyxl.load_workbook(path)) as book:
        return [(sheet.title, sheet.freeze_panes, widths(sheet),
                 [(c.font.b, c.fill.fill_type, c.fill.fgColor.rgb, c.alignment.wrap_text)
                  for c in sheet[1]])
                for sheet in book.worksheets]


def test_typed_workbook_looks_like_the_python_one(workbooks: tuple[Path, Path]) -> None:
    """The same bold, shaded, wrapped header, frozen under it, and the same column widths:
    two libraries write the two workbooks."""
    python, sql = (looks(p) for p in workbooks)
    assert sql == python
    ((_name, panes, widths, header),) = sql
    assert panes == "A2" and len(set(widths)) == 1
    assert header[0] == (True, "solid", "FFDDE7F0", True)


def test_questions_with_the_same_text_keep_a_column_each(tmp_path: Path) -> None:
    """Two questions worded alike (or like a fixed column) used to share a header; a workbook
    row keyed by header would have kept one answer."""
    age, sex, *rest = CONFIG.characterization.questions
    config = replace(CONFIG, characterization=replace(
        CONFIG.characterization, questions=(age, replace(sex, text=age.text),
                                            *(replace(q, text="Turno") for q in rest[:1]))))
    python, sql = write_both(tmp_path, config)
    rows = cells(sql)["Turnos"]
    header = [v for v, _f, _t in rows[0]]
    assert header[-3:] == [age.text, f"{age.text} (2)", "Turno (2)"]
    assert header.count("Turno") == 1
    long = replace(age, text="¿" * 40_000)  # cut to a cell, then told apart within it
    with snapshot(tmp_path / "turnero.db") as r:
        cut = ticket_header(labels_of(replace(config, characterization=replace(
            config.characterization, questions=(long, long))), r))
    assert cut[-2:] == ["¿" * 32_767, "¿" * 32_763 + " (2)"]
    assert [v for v, _f, _t in rows[1][-3:]] == ["60 años o más", "Mujer", None]
    assert cells(python) == cells(sql)


def test_a_name_longer_than_a_cell_holds_is_cut_as_before(tmp_path: Path) -> None:
    """An Excel cell holds 32,767 characters; xlsxwriter cut longer text, the typed writer
    would refuse the whole export."""
    first, *rest = CONFIG.services
    config = replace(CONFIG, services=(replace(first, name="Trámite " * 5000), *rest))
    python, sql = write_both(tmp_path, config)
    names = {v for v, _f, _t in (row[4] for row in cells(sql)["Turnos"][1:])}
    assert ("Trámite " * 5000)[:32_767] in names
    assert cells(python) == cells(sql)


def test_an_export_with_no_tickets_is_its_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    assert export.write_typed_xlsx(path, "Turnos", ["Orden", "Fecha"], ["number", "date"],
                                   iter([]), 0) == 0
    with closing(openpyxl.load_workbook(path)) as book:
        assert [list(ws.values) for ws in book] == [[("Orden", "Fecha")]]


@pytest.mark.parametrize("count", [3, 5])
def test_rows_other_than_counted_fail_the_export_instead_of_being_left_out(
        tmp_path: Path, count: int) -> None:
    """The sheets are laid out from the count before the rows come: a row more than counted
    would have no sheet to go to, a row fewer would leave a sheet without its header."""
    with pytest.raises(RuntimeError, match=f"no son las {count} contadas"):
        export.write_typed_xlsx(tmp_path / "more.xlsx", "Turnos", ["Orden"], ["number"],
                                [[(1,), (2,)], [(3,), (4,)]], count, rows_per_sheet=4)


def test_rows_go_on_over_sheets_in_order_each_with_its_header(tmp_path: Path) -> None:
    """Sheets of three rows under the header: eight rows fill two and start a third."""
    path = tmp_path / "three.xlsx"
    rows = [(n, 46000.0 + n, f"A-{n}") for n in range(1, 9)]
    assert export.write_typed_xlsx(path, "Turnos", ["N", "Fecha", "Turno"],
                                   ["number", "date", "text"], [rows[:5], rows[5:]], 8,
                                   rows_per_sheet=4) == 8
    sheets = cells(path)
    assert list(sheets) == ["Turnos", "Turnos (2)", "Turnos (3)"]
    assert [len(s) for s in sheets.values()] == [4, 4, 3]
    assert all(s[0] == [("N", "General", "s"), ("Fecha", "General", "s"),
                        ("Turno", "General", "s")] for s in sheets.values())
    read = [[v for v, _f, _t in row] for s in sheets.values() for row in s[1:]]
    assert [(n, d.date(), t) for n, d, t in read] == [
        (n, date(1899, 12, 30) + timedelta(days=46000 + n), f"A-{n}") for n in range(1, 9)]


def test_a_column_kind_the_writer_does_not_know_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="desconocidos"):
        export.write_typed_xlsx(tmp_path / "k.xlsx", "Turnos", ["Fecha"], ["fecha"], [], 0)


def test_a_sheet_that_is_full_goes_on_in_the_next_one_with_its_header(tmp_path: Path) -> None:
    """Excel holds 1,048,576 rows a sheet (the header is one): xlsxwriter skipped every row
    past it without a word, so a five-year export lost its newest tickets."""
    path = tmp_path / "big.xlsx"
    rows = export.EXCEL_MAX_ROWS  # one more than the first sheet takes under its header
    batches = ([(n, f"A-{n}") for n in range(first, min(first + 5000, rows + 1))]
               for first in range(1, rows + 1, 5000))
    assert export.write_typed_xlsx(path, "Turnos", ["Orden", "Turno"], ["number", "text"],
                                   batches, rows) == rows
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Turnos", "Turnos (2)"]
    assert book["Turnos"].max_row == export.EXCEL_MAX_ROWS
    assert list(book["Turnos (2)"].values) == [("Orden", "Turno"), (rows, f"A-{rows}")]
    book.close()


def test_rows_are_never_lost_across_sheets_of_the_plain_writer(tmp_path: Path) -> None:
    """The per-value writer (the centre's tickets export) continues the same way; here with
    sheets of four rows, the header included."""
    path = tmp_path / "small.xlsx"
    rows = [(n, date(2026, 12, 1), f"fila {n}") for n in range(1, 9)]
    assert export.write_xlsx(path, [("Turnos", ["N", "Día", "Texto"], rows)],
                             rows_per_sheet=4) == 8
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Turnos", "Turnos (2)", "Turnos (3)"]
    read = [r for ws in book for r in list(ws.values)[1:]]
    assert [ws["A1"].value for ws in book] == ["N"] * 3
    assert [(n, d.date(), t) for n, d, t in read] == rows
