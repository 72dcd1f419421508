"""Ticket layout: exact bytes, the parts the citizen relies on, and the size budget."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printer.layout import (
    number_size,
    people_ahead_text,
    qr_module_size,
    render_ticket,
    stored_logo_command,
    wait_text,
    wrap,
)
from printer.profiles import PAPER_58, PAPER_80, PaperProfile
from printer.ticket import PrintableTicket

ESC, GS = b"\x1b", b"\x1d"
GOLDEN = Path(__file__).parent / "golden"


def qr_bytes(url: str, module: int) -> bytes:
    """Native QR, model 2, level M, as the ESC/POS manual spells it (GS ( k, cn=49)."""
    data = url.encode("ascii")
    store_len = (len(data) + 3).to_bytes(2, "little")
    return b"".join(
        [
            GS + b"(k\x04\x00" + b"1A2\x00",  # fn 65: model 2
            GS + b"(k\x03\x00" + b"1C" + bytes((module,)),  # fn 67: module size in dots
            GS + b"(k\x03\x00" + b"1E1",  # fn 69: error correction M (49)
            GS + b"(k" + store_len + b"1P0" + data,  # fn 80: store the data
            GS + b"(k\x03\x00" + b"1Q0",  # fn 81: print the stored symbol
        ]
    )


def test_plain_ticket_58mm_is_exactly_the_expected_escpos(plain_ticket: PrintableTicket) -> None:
    expected = b"".join(
        [
            ESC + b"@",  # initialise
            ESC + b"t\x02",  # code page 2 = CP850
            ESC + b"a\x01",  # centre
            ESC + b"E\x01",  # bold on
            b"Alcald\xa1a de Pasto\n",  # í = A1
            b"\n",
            b"Su turno es\n",
            GS + b"!\x55",
            b"A-001\n",  # 6x wide, 6x tall
            GS + b"!\x01",
            b"Pagos\n",  # service: double height
            GS + b"!\x00",
            ESC + b"E\x00",  # bold off
            b"\n",
            b"28/11/2026 9:15 a. m.\n",  # 14:15 UTC is 9:15 a. m. in Bogota
            b"Hay 1 persona antes que usted\n",
            b"Tiempo estimado de espera: 5 min\n",  # exactly 32 characters: one line
            b"\n",
            qr_bytes("https://t.example.co/A-001", 6),
            ESC + b"M\x01",
            b"Siga su turno desde el celular\n",
            ESC + b"M\x00",  # font B
            b"\n",
            b"\xa8Dudas? \xadPregunte!\n",  # ¿ = A8, ¡ = AD in CP850
            ESC + b"d\x06",  # feed past the cutter
            GS + b"V\x00",  # full cut
        ]
    )
    assert render_ticket(plain_ticket, PAPER_58) == expected


@pytest.mark.parametrize(
    ("utc", "printed"),
    [
        ("2026-11-28T19:05:00+00:00", b"28/11/2026 2:05 p. m.\n"),
        ("2026-11-28T17:00:00+00:00", b"28/11/2026 12:00 p. m.\n"),  # noon
        ("2026-11-29T05:30:00+00:00", b"29/11/2026 12:30 a. m.\n"),  # half past midnight
        ("2026-11-28T16:59:00+00:00", b"28/11/2026 11:59 a. m.\n"),
    ],
)
def test_issue_time_is_printed_on_the_12_hour_clock_used_in_colombia(
    plain_ticket: PrintableTicket, utc: str, printed: bytes
) -> None:
    """The ticket shows the same clock as the kiosk, the board and the phone page."""
    ticket = replace(plain_ticket, issued_at=datetime.fromisoformat(utc))
    data = render_ticket(ticket, PAPER_58)
    assert b"\n" + printed in data
    assert b":00\n" not in data and b"17:00" not in data and b"14:05" not in data


@pytest.mark.parametrize(
    ("name", "profile", "preferential"),
    [
        ("ticket_58_pref", PAPER_58, True),
        ("ticket_80_pref", PAPER_80, True),
        ("ticket_80_plain", PAPER_80, False),
    ],
)
def test_layout_matches_golden_file(
    long_ticket: PrintableTicket, name: str, profile: PaperProfile, preferential: bool
) -> None:
    """Any change to the printed bytes must be deliberate: regenerate with UPDATE_GOLDEN=1."""
    ticket = long_ticket if preferential else replace(long_ticket, group_name=None)
    data = render_ticket(ticket, profile)
    golden = GOLDEN / f"{name}.bin"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_code_page_is_selected_right_after_init_and_before_any_text(
    long_ticket: PrintableTicket,
) -> None:
    data = render_ticket(long_ticket, PAPER_80)
    assert data.startswith(ESC + b"@" + ESC + b"t\x02")
    assert data.count(ESC + b"t") == 1  # never switched in the middle of the ticket


def test_number_is_printed_very_large(long_ticket: PrintableTicket) -> None:
    for profile in (PAPER_58, PAPER_80):
        data = render_ticket(long_ticket, profile)
        assert GS + b"!\x55" + b"A-023\n" + GS + b"!" in data


def test_long_number_shrinks_to_fit_the_line() -> None:
    assert number_size("A-023", PAPER_58) == 6
    assert number_size("PREF-1024", PAPER_58) == 3  # 9 characters × 3 = 27 ≤ 32
    assert number_size("PREF-1024", PAPER_80) == 5  # 9 × 5 = 45 ≤ 48
    assert number_size("X" * 40, PAPER_58) == 1


def test_native_qr_carries_the_status_url(long_ticket: PrintableTicket) -> None:
    data = render_ticket(long_ticket, PAPER_80)
    url = long_ticket.status_url.encode()
    assert GS + b"(k" + (len(url) + 3).to_bytes(2, "little") + b"1P0" + url in data
    assert GS + b"(k\x03\x001Q0" in data  # print the stored symbol
    assert GS + b"v0" not in data and GS + b"(L" not in data  # no raster image


def test_qr_module_fits_the_paper() -> None:
    short = "https://t.co/A-1"
    assert qr_module_size(short, PAPER_80) == 8
    assert qr_module_size(short, PAPER_58) == 6
    very_long = "https://turnos.example.gov.co/t/" + "x" * 300
    for profile in (PAPER_58, PAPER_80):
        module = qr_module_size(very_long, profile)
        assert 1 <= module < profile.qr_max_module
    assert qr_module_size("x" * 3000, PAPER_80) == 1  # more than any QR holds: no crash


def test_ticket_ends_with_a_cut(long_ticket: PrintableTicket) -> None:
    assert render_ticket(long_ticket, PAPER_58).endswith(ESC + b"d\x06" + GS + b"V\x00")


def test_preferential_mark_is_printed_only_for_preferential_turns(
    long_ticket: PrintableTicket,
) -> None:
    mark = GS + b"B\x01" + b" ATENCI\xe0N PREFERENCIAL \n" + GS + b"B\x00"
    with_group = render_ticket(long_ticket, PAPER_80)
    assert mark + b"Ni\xa4os, ni\xa4as y adolescentes\n" in with_group
    assert b"PREFERENCIAL" not in render_ticket(replace(long_ticket, group_name=None), PAPER_80)


def test_texts_are_in_plain_spanish(long_ticket: PrintableTicket) -> None:
    data = render_ticket(long_ticket, PAPER_80)
    for text in (
        b"Su turno es\n",
        b"Hay 14 personas antes que usted\n",
        b"Tiempo estimado de espera: 35 min\n",
        b"Siga su turno desde el celular\n",
        b"28/11/2026 9:15 a. m.\n",
    ):
        assert text in data


@pytest.mark.parametrize(
    ("ahead", "text"),
    [
        (0, "No hay personas antes que usted"),
        (1, "Hay 1 persona antes que usted"),
        (2, "Hay 2 personas antes que usted"),
        (37, "Hay 37 personas antes que usted"),
    ],
)
def test_people_ahead_wording(ahead: int, text: str) -> None:
    assert people_ahead_text(ahead) == text


def test_wait_text_never_says_zero_minutes() -> None:
    assert wait_text(0) == "Tiempo estimado de espera: menos de 1 min"
    assert wait_text(12).replace("\u00a0", " ") == "Tiempo estimado de espera: 12 min"


def test_missing_estimate_prints_no_wait_line(plain_ticket: PrintableTicket) -> None:
    data = render_ticket(replace(plain_ticket, estimated_wait_min=None), PAPER_58)
    assert b"Tiempo estimado" not in data


def test_no_counter_open_is_printed_plainly_instead_of_a_wait(
        plain_ticket: PrintableTicket) -> None:
    note = ("Aún no hay ventanillas abiertas para este servicio. La oficina está cerrada. "
            "Abre mañana a las 8:00.")
    data = render_ticket(replace(plain_ticket, estimated_wait_min=None, wait_note=note),
                         PAPER_80)
    assert b"Tiempo estimado" not in data
    text = data.decode("cp858", errors="replace").replace("\n", " ")
    assert "ventanillas abiertas para este servicio" in text
    assert "Abre mañana a las 8:00" in text


def test_wait_line_keeps_number_and_unit_together_on_58mm(long_ticket: PrintableTicket) -> None:
    data = render_ticket(long_ticket, PAPER_58)
    assert b"Tiempo estimado de espera:\n35 min\n" in data


def test_date_is_local_office_time() -> None:
    ticket = PrintableTicket(
        office_name="Oficina",
        number="B-7",
        service_name="Certificados",
        group_name=None,
        issued_at=datetime(2026, 1, 2, 3, 4, tzinfo=ZoneInfo("Europe/Madrid")),  # 02:04 UTC
        ahead=0,
        estimated_wait_min=None,
        status_url="",
        footer_lines=[],
    )
    data = render_ticket(ticket, PAPER_80)
    assert b"01/01/2026 9:04 p. m.\n" in data  # Bogota is UTC-5
    assert b"(k" not in data and b"Siga su turno" not in data  # no URL, no QR, no caption


def test_long_lines_are_wrapped_to_the_paper_width(long_ticket: PrintableTicket) -> None:
    for profile in (PAPER_58, PAPER_80):
        data = render_ticket(long_ticket, profile)
        office = data.split(ESC + b"E\x01", 1)[1].split(b"\n\nSu turno es", 1)[0]
        lines = office.decode("cp850").splitlines()
        assert len(lines) > 1
        assert all(len(line) <= profile.columns for line in lines)
        assert " ".join(lines) == (
            "Alcaldía Municipal de San José del Guaviare - Ventanilla Única de Atención al "
            "Ciudadano"
        )


@given(
    words=st.lists(st.text(alphabet="abcñáéíóú¿?", min_size=1, max_size=20), max_size=30),
    width=st.integers(min_value=16, max_value=48),
)
def test_wrap_never_cuts_a_word(words: list[str], width: int) -> None:
    lines = wrap(" ".join(words), width)
    assert " ".join(lines).split() == words
    for line in lines:
        assert len(line) <= width or " " not in line  # only a lone over-long word may overflow


@pytest.mark.parametrize("profile", [PAPER_58, PAPER_80], ids=["58mm", "80mm"])
@pytest.mark.parametrize("preferential", [True, False], ids=["pref", "general"])
def test_ticket_without_logo_fits_the_byte_budget(
    long_ticket: PrintableTicket, profile: PaperProfile, preferential: bool
) -> None:
    ticket = long_ticket if preferential else replace(long_ticket, group_name=None)
    assert len(render_ticket(ticket, profile)) <= 600


def test_stored_logo_is_printed_by_reference_not_sent(plain_ticket: PrintableTicket) -> None:
    with_slot = replace(PAPER_80, logo_slot=1)
    data = render_ticket(plain_ticket, with_slot)
    assert data.startswith(ESC + b"@" + ESC + b"t\x02" + ESC + b"a\x01" + b"\x1cp\x01\x00\n")
    assert len(data) - len(render_ticket(plain_ticket, PAPER_80)) == 5  # 4 bytes + line feed

    with_key = replace(PAPER_80, logo_key="LG")
    assert stored_logo_command(with_key) == GS + b"(L\x06\x00\x30\x45LG\x01\x01"
    assert GS + b"(L\x06\x00\x30\x45LG\x01\x01" in render_ticket(plain_ticket, with_key)
    assert stored_logo_command(PAPER_80) == b""


@pytest.mark.parametrize(
    "bad",
    [
        {"logo_slot": 0},
        {"logo_key": "L"},
        {"logo_slot": 1, "logo_key": "LG"},
        {"codepage": "CP999"},
        {"codepage_number": 256},
        {"max_number_size": 9},
    ],
)
def test_profile_rejects_bad_settings(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        replace(PAPER_80, **bad)


def test_ticket_requires_an_aware_time() -> None:
    with pytest.raises(ValueError, match="zona horaria"):
        PrintableTicket("O", "A-1", "S", None, datetime(2026, 1, 1), 0, None, "", [])
