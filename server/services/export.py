"""Spreadsheet writers that stream: memory stays flat however many rows go through.

CSV: UTF-8 with a BOM (so Excel shows accents right), comma-separated by default; with
``spanish_excel`` the separator is ";" and decimals use a comma, which is what Excel expects
on a computer set to Spanish (Colombia). Rows are yielded in chunks of ~64 KB.

XLSX: xlsxwriter in ``constant_memory`` mode writes each row to a temporary file as it comes
and zips at the end; the caller streams the finished file. The tickets export, millions of
cells already typed by SQLite, goes through rustpy-xlsxwriter's constant-memory writer
instead (``write_typed_xlsx``), where a cell costs no interpreter work.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.lowlevel

from server.queue.stats_tables import EXCEL_MAX_TEXT, distinct_name, formula_safe

T = TypeVar("T")

BOM = "\ufeff"
CHUNK_CHARS = 64 * 1024
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def _cell(value: Any, decimal_comma: bool) -> Any:
    """Text that a spreadsheet would run as a formula (a name starting with "=") is quoted."""
    if isinstance(value, str):
        return formula_safe(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if decimal_comma else text
    return "" if value is None else value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               spanish_excel: bool = False) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks, BOM first, each cell escaped (``_cell``). Header
    cells are escaped like data cells: characterization question texts, written by an admin,
    become column names."""
    escaped = ([[_cell(v, spanish_excel) for v in row]] for row in rows)
    return csv_text_chunks(header, escaped, spanish_excel=spanish_excel)


def csv_text_chunks(header: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]], *,
                    spanish_excel: bool = False) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks, BOM first, for batches of rows whose cells are
    their final text already (None: empty), such as ``Reader.ticket_text_rows``: each batch
    goes through ``writerows`` whole, with no Python work per cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if spanish_excel else ",", lineterminator="\r\n")
    buf.write(BOM)
    writer.writerow([_cell(name, spanish_excel) for name in header])
    for batch in batches:
        writer.writerows(batch)
        if buf.tell() >= CHUNK_CHARS:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


#: Rows an Excel worksheet holds, its header included. xlsxwriter skips a row past it without
#: a word (and Excel could not show it), so the rows go on in a new sheet of the same name
#: with " (2)", " (3)", … and the header again: a five-year export loses no ticket.
EXCEL_MAX_ROWS = 1_048_576
#: How every workbook looks: the header row's fill (bold, wrapped), the column width and the
#: number formats of dates and times (real Excel serials, so a sheet sorts and filters them).
HEADER_FILL = "#DDE7F0"
COLUMN_WIDTH = 14
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm:ss"
#: What a column of ``write_typed_xlsx`` holds (``stats_tables.TICKET_EXPORT_COLUMNS``).
CELL_KINDS = frozenset({"text", "number", "date", "time"})


def write_xlsx(path: Path, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
               rows_per_sheet: int = EXCEL_MAX_ROWS) -> int:
    """Write one worksheet per (name, header, rows), more when the rows do not fit in one
    (``EXCEL_MAX_ROWS``); returns the number of data rows."""
    with _workbook(path) as book:
        return sum(_write_rows(_Sheets(book, name, header, rows_per_sheet), rows, book)
                   for name, header, rows in sheets)


def write_typed_xlsx(path: Path, name: str, header: Sequence[str], kinds: Sequence[str],
                     batches: Iterable[Sequence[Sequence[Any]]], row_count: int,
                     rows_per_sheet: int = EXCEL_MAX_ROWS) -> int:
    """One worksheet (more when the rows do not fit in one) of ``row_count`` rows whose cells
    are typed already (None: an empty cell), such as ``Reader.ticket_text_rows`` with
    ``typed``; ``kinds`` says per column whether it holds "text", a "number", a "date" (serial
    day) or a "time" (fraction of a day). The headers must be distinct and fit a cell
    (``ticket_header``). Returns the number of data rows.

    rustpy-xlsxwriter (Python's binding of rust_xlsxwriter, the Rust port of xlsxwriter by
    its author) writes the cells in its constant-memory mode: a year's four million cells
    take ~4 s there against ~17 s through xlsxwriter's per-cell calls (docs/benchmarks.md),
    and the workbook reads back as ``write_xlsx``'s over the Python values, cell by cell
    (tests/server/test_ticket_xlsx_typed.py). It takes every sheet before their rows, so
    ``row_count`` (counted in the same read transaction) says how many sheets; rows that
    differ from that count fail the export rather than being left out."""
    import rustpy_xlsxwriter as rx

    if len(set(header)) != len(header) or max(map(len, header), default=0) > EXCEL_MAX_TEXT:
        raise ValueError("cada columna necesita un encabezado distinto que quepa en una celda")
    if unknown := set(kinds) - CELL_KINDS:
        raise ValueError(f"tipos de columna desconocidos: {sorted(unknown)}")
    room = rows_per_sheet - 1  # data rows under each sheet's header
    # One stream of rows for every sheet: rustpy-xlsxwriter reads each sheet's rows to the
    # end, in order, so each sheet takes the next ``room`` of them.
    records = (dict(zip(header, row, strict=True)) for batch in batches for row in batch)
    written = 0

    def sheet_records(first: bool) -> Iterator[dict[str, Any]]:
        nonlocal written
        for record in itertools.islice(records, room):
            written += 1
            yield record
        if first and not written:
            yield dict.fromkeys(header)  # no rows: the header alone (empty cells are skipped)

    used: set[str] = set()
    names = [_sheet_name(name, used) for _sheet in range(max(1, math.ceil(row_count / room)))]
    header_format = rx.Format().set_bold().set_background_color(HEADER_FILL).set_text_wrap()
    formats = {"date": rx.Format().set_num_format(DATE_FORMAT),
               "time": rx.Format().set_num_format(TIME_FORMAT)}
    column_formats = {h: formats[kind] for h, kind in zip(header, kinds, strict=True)
                      if kind in formats}
    rx.write_worksheets(
        [(n, sheet_records(i == 0)) for i, n in enumerate(names)], str(path),
        freeze_panes={n: {"row": 1, "col": 0} for n in names},
        column_width={n: COLUMN_WIDTH for n in names},
        column_formats={n: column_formats for n in names},
        header_format={n: header_format for n in names})
    if written != row_count or next(records, None) is not None:
        raise RuntimeError(f"las filas no son las {row_count} contadas para la hoja de cálculo")
    return written


class _Sheets:
    """The sheet and row the next data row goes to: row 1 on, then a new sheet with the same
    header once one holds ``rows_per_sheet`` rows (its header included)."""

    def __init__(self, book: _Book, name: str, header: Sequence[str], rows_per_sheet: int
                 ) -> None:
        self.book, self.name, self.header = book, name, header
        self.room = rows_per_sheet - 1  # data rows under the header
        self.current = book.sheet(name, header)
        self.row = 0
        #: Data rows so far, over every sheet.
        self.count = 0

    def next_row(self) -> int:
        if self.row == self.room:
            self.current = self.book.sheet(self.name, self.header)
            self.row = 0
        self.row += 1
        self.count += 1
        return self.row

    def place(self, rows: Iterable[T]) -> Iterator[tuple[Any, int, T]]:
        """Each row with the sheet and row number it goes to."""
        for row in rows:
            r = self.next_row()
            yield self.current, r, row


class _Book:
    """An open constant-memory workbook with its header and date/time formats."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.bold = workbook.add_format({"bold": True, "bg_color": HEADER_FILL,
                                         "text_wrap": True})
        # Real Excel dates and times (serial numbers with a number format), so a sheet can
        # filter, sort and group by them; a datetime checks before a date (it is one).
        self.datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.date_format = workbook.add_format({"num_format": DATE_FORMAT})
        self.time_format = workbook.add_format({"num_format": TIME_FORMAT})
        self.moments = [(dt.datetime, self.datetime_format), (dt.date, self.date_format),
                        (dt.time, self.time_format)]
        self.used: set[str] = set()

    def sheet(self, name: str, header: Sequence[str]) -> Any:
        sheet = self.workbook.add_worksheet(_sheet_name(name, self.used))
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(header) - 1, COLUMN_WIDTH)
        sheet.write_row(0, 0, header, self.bold)
        return sheet


@contextmanager
def _workbook(path: Path) -> Iterator[_Book]:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                               "strings_to_numbers": False,
                                               "strings_to_formulas": False,
                                               "strings_to_urls": False})
    try:
        yield _Book(workbook)
    finally:
        workbook.close()


def _write_rows(sheets: _Sheets, rows: Iterable[Sequence[Any]], book: _Book) -> int:
    """Data rows from row 1 on (a new sheet when one is full); returns how many. Exact types
    first, inline: a year is millions of cells. A date or a time is written as the serial
    number write_datetime would store, with the same format; other values as before."""
    date_fmt, time_fmt, moments = book.date_format, book.time_format, book.moments
    for sheet, r, row in sheets.place(rows):
        write_string, write_number = sheet.write_string, sheet.write_number
        for c, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(r, c, value)
            elif kind is int or kind is float:
                write_number(r, c, value)
            elif value is None:
                continue
            elif kind is dt.time and value.tzinfo is None:
                write_number(r, c, _excel_time(value), time_fmt)
            elif kind is dt.date and value >= _EXCEL_SERIAL_FROM:
                write_number(r, c, float(value.toordinal() - _EXCEL_EPOCH), date_fmt)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                write_number(r, c, value)
            elif fmt := next((f for k, f in moments if isinstance(value, k)), None):
                sheet.write_datetime(r, c, value, fmt)
            elif value != "":
                sheet.write_string(r, c, str(value))
    return sheets.count


#: Excel's serial day 0 (its 1900 system counts 1900-02-29, so serials after February 1900
#: count from 1899-12-30), and the first day that rule holds for.
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
_EXCEL_SERIAL_FROM = dt.date(1900, 3, 1)


def _excel_time(value: dt.time) -> float:
    """A time of day as Excel's fraction of a day (what write_datetime stores)."""
    return (float(value.hour * 3600 + value.minute * 60 + value.second)
            + float(value.microsecond) / 1e6) / 86400


async def written_file(write: Callable[[Path], object], prefix: str, suffix: str) -> Path:
    """A new temporary file filled by ``write(path)`` (a workbook, a long CSV), to send with
    ``sent_once``. The file system and the writing block, so both run in worker threads; the
    file is removed again when writing fails or the request is cancelled meanwhile."""
    with anyio.CancelScope(shield=True):  # once created, the path must reach the cleanup
        path = await anyio.to_thread.run_sync(_new_file, prefix, suffix)
    abandoned = threading.Event()

    def write_or_remove(target: Path) -> None:
        """A cancelled request does not stop the thread: a writer still running then would
        make the file again after the request removed it, so the writer removes it too."""
        try:
            write(target)
        finally:
            if abandoned.is_set():
                target.unlink(missing_ok=True)

    try:
        await anyio.to_thread.run_sync(write_or_remove, path)
        await anyio.lowlevel.checkpoint()  # a cancel that came while writing lands here
    except BaseException:
        abandoned.set()
        with anyio.CancelScope(shield=True):
            await anyio.Path(path).unlink(missing_ok=True)
        raise
    return path


#: Bytes read at a time from a finished file being sent.
FILE_CHUNK = 256 * 1024


def sent_once(path: Path) -> tuple[Iterator[bytes], int]:
    """A finished temporary file's bytes in chunks, and its size, with the file already gone
    from the folder: the open handle keeps it readable until the response has sent it or is
    dropped (a client gone mid-download, the server stopped), and then the system frees it.
    Removing it after sending, as before, never happened when the client left midway."""
    fh = path.open("rb")
    try:
        size = os.fstat(fh.fileno()).st_size
    finally:
        path.unlink(missing_ok=True)

    def chunks() -> Iterator[bytes]:
        with fh:
            while block := fh.read(FILE_CHUNK):
                yield block

    return chunks(), size


def _new_file(prefix: str, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    os.close(fd)
    return Path(name)


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel refuses []:*?/\\ and names over 31 characters or repeated (case-insensitive)."""
    base = "".join(ch for ch in name if ch not in "[]:*?/\\").strip("' ")[:31] or "Hoja"
    return distinct_name(base, used, 31, str.lower)
