"""Frame templates and checksums: known vectors, exact bytes."""

from __future__ import annotations

import pytest

from hardware import checksums
from hardware.frames import FrameError, FrameFormat, text_values, ticket_values

CHECK = b"123456789"  # the check string of the CRC catalogue


def test_crc16_modbus_check_value() -> None:
    assert checksums.crc16_modbus_value(CHECK) == 0x4B37
    assert checksums.crc16_modbus(CHECK) == b"\x37\x4b"  # low byte first, as Modbus RTU sends


def test_crc16_modbus_of_a_real_modbus_request() -> None:
    # "read holding registers" 01 03 00 00 00 0A → CRC C5 CD (a textbook Modbus RTU frame)
    assert checksums.crc16_modbus(bytes.fromhex("01030000000A")) == bytes.fromhex("C5CD")


@pytest.mark.parametrize(("name", "expected"), [
    ("xor", b"\x31"),    # 0x31 ^ 0x32 ^ ... ^ 0x39
    ("sum8", b"\xdd"),   # 477 = 0x1DD
    ("lrc", b"\x23"),    # 0x100 - 0xDD
    ("none", b""),
])
def test_one_byte_checksums_of_the_check_string(name: str, expected: bytes) -> None:
    assert checksums.ALGORITHMS[name](CHECK) == expected


def test_lrc_makes_the_covered_bytes_sum_to_zero() -> None:
    data = b"\x01\x10A-023"
    assert (sum(data) + checksums.lrc(data)[0]) & 0xFF == 0


def test_plain_ascii_line() -> None:
    f = FrameFormat("{number}\r\n")
    assert f.render({**ticket_values("A-023")}) == b"A-023\r\n"


def test_escapes_written_literally_as_in_a_toml_literal_string() -> None:
    f = FrameFormat(r"\x02{address:02d}{number:>6}\x03")
    assert f.render({**ticket_values("A-023"), "address": 1}) == b"\x0201 A-023\x03"


def test_checksum_covers_the_bytes_before_it_minus_the_skipped_ones() -> None:
    f = FrameFormat(r"\x02{address:02d}{digits}\x03{checksum}", "xor", checksum_skip=1)
    body = b"07023\x03"
    expected_bcc = checksums.xor(body)
    assert f.render({**ticket_values("A-023"), "address": 7}) == b"\x02" + body + expected_bcc


def test_crc16_frame_and_hex_checksum() -> None:
    f = FrameFormat("{text}{checksum}", "crc16-modbus")
    assert f.render(text_values("123456789")) == b"123456789\x37\x4b"
    h = FrameFormat("{text}{checksum:hex}", "crc16-modbus")
    assert h.render(text_values("123456789")) == b"123456789374B"


def test_numeric_spec_on_an_empty_board_line_keeps_the_width() -> None:
    f = FrameFormat("{line}{number:>6}{counter:02d}|")
    assert f.render({"line": 3, **text_values(""), "counter": ""}) == b"3        |"


def test_idle_text_fills_number_and_digits() -> None:
    f = FrameFormat("[{digits}][{letter}]")
    assert f.render(text_values("----")) == b"[----][]"


def test_accents_use_the_display_encoding() -> None:
    assert FrameFormat("{text}").render(text_values("PAUSÁ")) == "PAUSÁ".encode("latin-1")
    assert FrameFormat("{text}", encoding="ascii").render(text_values("PAUSÁ")) == b"PAUS?"


@pytest.mark.parametrize(("template", "checksum", "message"), [
    ("{numero}", "none", "campo {numero} desconocido"),
    ("{number", "none", "plantilla inválida"),
    ("{number}", "crc32", "checksum 'crc32' desconocido"),
    ("{number}", "xor", "no tiene {checksum}"),
    ("{checksum}{checksum}", "xor", "una vez"),
    ("{address:zz}", "none", "{address:zz}"),
])
def test_bad_templates_are_refused_in_spanish(template: str, checksum: str, message: str
                                             ) -> None:
    with pytest.raises(FrameError, match=message.replace("{", r"\{").replace("}", r"\}")
                       .replace("(", r"\(")):
        FrameFormat(template, checksum)
