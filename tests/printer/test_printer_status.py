"""DLE EOT answers decoded per the ESC/POS manual; silence is "unknown", never "paper OK"."""

from __future__ import annotations

import os
import select
import time

import pytest

from printer.spec import open_printer
from printer.status import (
    OfflineCause,
    PrinterStatus,
    is_status_byte,
    parse_offline_cause,
    parse_paper_sensor,
    parse_printer_status,
    status_from_answers,
)

# ---- pure decoding, one answer byte at a time ---------------------------------------------


def test_only_bytes_with_the_fixed_bits_are_answers() -> None:
    valid = [b for b in range(256) if is_status_byte(b)]
    assert len(valid) == 16  # 4 fixed bits, 4 free ones
    assert all(b & 0x12 == 0x12 and not b & 0x81 for b in valid)
    for junk in (0x00, 0xFF, 0x10, 0x13, 0x92, ord("A")):
        assert parse_printer_status(junk) is None
        assert parse_offline_cause(junk) is None
        assert parse_paper_sensor(junk) == "unknown"


@pytest.mark.parametrize(
    ("answer", "online"),
    [(0x12, True), (0x16, True), (0x1A, False), (0x32, True), (0x3A, False), (0x52, True)],
)
def test_printer_status_byte(answer: int, online: bool) -> None:
    assert parse_printer_status(answer) is online


@pytest.mark.parametrize(
    ("answer", "cause"),
    [
        (0x12, OfflineCause(cover_open=False, paper_end_stop=False, error=False)),
        (0x16, OfflineCause(cover_open=True, paper_end_stop=False, error=False)),
        (0x1A, OfflineCause(cover_open=False, paper_end_stop=False, error=False)),  # FEED key
        (0x32, OfflineCause(cover_open=False, paper_end_stop=True, error=False)),
        (0x52, OfflineCause(cover_open=False, paper_end_stop=False, error=True)),
        (0x76, OfflineCause(cover_open=True, paper_end_stop=True, error=True)),
    ],
)
def test_offline_cause_byte(answer: int, cause: OfflineCause) -> None:
    assert parse_offline_cause(answer) == cause


@pytest.mark.parametrize(
    ("answer", "paper"),
    [
        (0x12, "ok"),
        (0x1E, "near_end"),
        (0x16, "near_end"),  # some printers set only one of the two near-end bits
        (0x72, "end"),
        (0x7E, "end"),
        (0x32, "end"),
    ],
)
def test_paper_sensor_byte(answer: int, paper: str) -> None:
    assert parse_paper_sensor(answer) == paper


def test_silence_is_unknown_for_every_query() -> None:
    assert parse_printer_status(None) is None
    assert parse_offline_cause(None) is None
    assert parse_paper_sensor(None) == "unknown"
    status = status_from_answers(None, None, None)
    assert status == PrinterStatus(None, None, "unknown", status.message)
    assert "no respondió" in status.message
    assert not status.blocked  # unknown is not a reason to refuse a ticket


@pytest.mark.parametrize(
    ("answers", "online", "cover", "paper", "blocked", "words"),
    [
        ((0x12, 0x12, 0x12), True, False, "ok", False, "lista"),
        ((0x12, 0x12, 0x1E), True, False, "near_end", False, "poco papel"),
        ((0x1A, 0x32, 0x7E), False, False, "end", True, "acabó el papel"),
        ((0x1A, 0x16, 0x12), False, True, "ok", True, "tapa"),
        ((0x1A, 0x52, 0x12), False, False, "ok", True, "error"),
        ((0x1A, 0x12, 0x12), False, False, "ok", True, "fuera de línea"),
        ((0x12, None, None), True, None, "unknown", False, "no informó"),
        ((0x12, 0x32, None), True, False, "end", True, "acabó el papel"),  # stop bit alone
    ],
)
def test_answers_combine_into_one_status(
    answers: tuple[int | None, int | None, int | None],
    online: bool | None,
    cover: bool | None,
    paper: str,
    blocked: bool,
    words: str,
) -> None:
    status = status_from_answers(*answers)
    assert (status.online, status.cover_open, status.paper) == (online, cover, paper)
    assert status.blocked is blocked
    assert words in status.message


# ---- through real links -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({1: 0x12, 2: 0x12, 4: 0x12}, (True, False, "ok")),
        ({1: 0x12, 2: 0x12, 4: 0x1E}, (True, False, "near_end")),
        ({1: 0x1A, 2: 0x32, 4: 0x7E}, (False, False, "end")),
        ({1: 0x1A, 2: 0x16, 4: 0x12}, (False, True, "ok")),
        ({1: 0x12}, (True, None, "unknown")),  # answers the first query only
    ],
)
def test_serial_status_from_a_pty_that_answers(pty_printer, answers, expected) -> None:
    peer = pty_printer(answers)
    with open_printer(f"serial:{peer.path}@9600") as printer:
        status = printer.status()
    assert (status.online, status.cover_open, status.paper) == expected
    assert peer.wait_for(3).startswith(b"\x10\x04\x01")


def test_silent_serial_printer_is_unknown_and_quick(pty_printer) -> None:
    peer = pty_printer()  # reads everything, answers nothing
    with open_printer(f"serial:{peer.path}") as printer:
        started = time.monotonic()
        status = printer.status()
        elapsed = time.monotonic() - started
    assert status.paper == "unknown"  # python-escpos' paper_status() would say 2, "paper OK"
    assert status.online is None and status.cover_open is None
    assert elapsed < 2.5
    assert peer.wait_for(3) == b"\x10\x04\x01"  # gave up after the first silence


def test_stale_bytes_are_not_taken_as_the_answer(pty_printer) -> None:
    peer = pty_printer({1: 0x12, 2: 0x12, 4: 0x72})
    with open_printer(f"serial:{peer.path}") as printer:
        os.write(peer.master, b"\x1a\x1a")  # left over from an earlier conversation
        port = printer._printer.device  # wait until they are in the port's input queue
        assert select.select([port.fileno()], [], [], 2)[0]
        status = printer.status()
    assert (status.online, status.paper) == (True, "end")


def test_tcp_status_from_a_listener_that_answers(tcp_printer) -> None:
    peer = tcp_printer({1: 0x1A, 2: 0x32, 4: 0x7E})
    with open_printer(f"tcp:127.0.0.1:{peer.port}") as printer:
        status = printer.status()
    assert (status.online, status.paper, status.blocked) == (False, "end", True)


def test_silent_tcp_printer_is_unknown_and_quick(tcp_printer) -> None:
    peer = tcp_printer()
    with open_printer(f"tcp:127.0.0.1:{peer.port}") as printer:
        started = time.monotonic()
        status = printer.status()
        assert time.monotonic() - started < 2.5
    assert status.paper == "unknown" and status.online is None


def test_unreachable_printer_status_says_why_instead_of_raising(tcp_printer) -> None:
    peer = tcp_printer()
    printer = open_printer(f"tcp:127.0.0.1:{peer.port}")
    peer.close()
    printer.close()
    status = printer.status()  # reconnecting fails: nobody listens any more
    assert status.online is False and status.blocked
    assert f"tcp:127.0.0.1:{peer.port}" in status.message


@pytest.mark.parametrize(
    ("spec", "online", "paper", "blocked"),
    [
        ("dummy", True, "ok", False),
        ("dummy:paper-near-end", True, "near_end", False),
        ("dummy:paper-end", False, "end", True),
        ("dummy:cover-open", False, "ok", True),
        ("dummy:offline", False, "ok", True),
    ],
)
def test_dummy_modes_report_like_a_real_printer(spec, online, paper, blocked) -> None:
    status = open_printer(spec).status()
    assert (status.online, status.paper, status.blocked) == (online, paper, blocked)


def test_file_printer_status_is_unknown(tmp_path) -> None:
    with open_printer(f"file:{tmp_path / 'out.bin'}") as printer:
        status = printer.status()
    assert (status.online, status.cover_open, status.paper) == (None, None, "unknown")
    assert "solo envío" in status.message


def test_status_of_a_serial_printer_that_went_away_does_not_raise(pty_printer) -> None:
    peer = pty_printer({1: 0x12, 2: 0x12, 4: 0x12})
    printer = open_printer(f"serial:{peer.path}")
    assert printer.status().paper == "ok"
    peer.close()  # unplugged while the kiosk runs
    status = printer.status()
    assert status.online is False and status.blocked
    assert f"serial:{peer.path}@9600" in status.message
    printer.close()
