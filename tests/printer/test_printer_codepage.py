"""Spanish characters come out as the single bytes of the selected code page."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from printer.codepage import codepage_number, encode, fit_to_codepage
from printer.layout import render_ticket
from printer.profiles import PAPER_58, PAPER_80
from printer.ticket import PrintableTicket

#: CP850 (and CP858, identical for these) from the IBM code page chart.
CP850_SPANISH = {
    "á": 0xA0,
    "é": 0x82,
    "í": 0xA1,
    "ó": 0xA2,
    "ú": 0xA3,
    "ñ": 0xA4,
    "Ñ": 0xA5,
    "ü": 0x81,
    "Ü": 0x9A,
    "¿": 0xA8,
    "¡": 0xAD,
    "Á": 0xB5,
    "É": 0x90,
    "Í": 0xD6,
    "Ó": 0xE0,
    "Ú": 0xE9,
}


def ticket_with(text: str) -> PrintableTicket:
    return PrintableTicket(
        office_name=text,
        number="A-1",
        service_name="S",
        group_name=None,
        issued_at=datetime(2026, 11, 28, 14, 15, tzinfo=UTC),
        ahead=0,
        estimated_wait_min=None,
        status_url="",
        footer_lines=[],
    )


@pytest.mark.parametrize(("char", "byte"), sorted(CP850_SPANISH.items()))
def test_each_spanish_character_is_one_cp850_byte_on_the_ticket(char: str, byte: int) -> None:
    data = render_ticket(ticket_with(f"x{char}x"), PAPER_58)
    assert b"x" + bytes((byte,)) + b"x\n" in data


def test_cp858_prints_the_same_spanish_bytes_and_selects_page_19() -> None:
    profile = replace(PAPER_80, codepage="CP858")
    text = "".join(CP850_SPANISH)
    data = render_ticket(ticket_with(text), profile)
    assert data.startswith(b"\x1b@\x1bt\x13")  # ESC t 19
    assert bytes(CP850_SPANISH.values()) + b"\n" in data


def test_technician_can_send_another_number_for_the_same_table() -> None:
    profile = replace(PAPER_80, codepage_number=16)
    data = render_ticket(ticket_with("Atención"), profile)
    assert data.startswith(b"\x1b@\x1bt\x10")
    assert b"Atenci\xa2n\n" in data  # still CP850 bytes


def test_cp1252_bytes() -> None:
    profile = replace(PAPER_80, codepage="CP1252")
    data = render_ticket(ticket_with("ñ ¿ ¡ Ó"), profile)
    assert data.startswith(b"\x1b@\x1bt\x10")  # ESC t 16
    assert b"\xf1 \xbf \xa1 \xd3\n" in data


def test_typographic_characters_get_plain_stand_ins() -> None:
    assert fit_to_codepage("Alcaldía – “Ventanilla”…", "CP850") == 'Alcaldía - "Ventanilla"...'
    assert encode("Atención – 1", "CP850") == b"Atenci\xa2n - 1"


def test_letters_missing_from_the_page_lose_the_accent_not_the_letter() -> None:
    # CP437 has ñ and ó but no capital accented vowels.
    assert encode("ATENCIÓN niño", "CP437") == b"ATENCION ni\xa4o"
    assert encode("Ā ☃", "CP850") == b"A ?"


def test_control_characters_cannot_sneak_printer_commands_in() -> None:
    assert fit_to_codepage("Oficina\x1b@\nCentral", "CP850") == "Oficina @ Central"


def test_known_numbers() -> None:
    assert codepage_number("CP850") == 2
    assert codepage_number("cp858") == 19
    assert codepage_number("CP437") == 0
    with pytest.raises(ValueError, match="desconocida"):
        codepage_number("UTF-8")
