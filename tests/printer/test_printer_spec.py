"""The spec string: good ones build the right transport, bad ones say what is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printer.errors import PrinterSpecError
from printer.spec import parse_spec
from printer.transports import DummyPrinter, FilePrinter, SerialPrinter, TcpPrinter, UsbPrinter


@pytest.mark.parametrize(
    ("spec", "kind", "canonical", "fields"),
    [
        ("usb:04b8:0e15", UsbPrinter, "usb:04b8:0e15", {"vendor_id": 0x04B8, "product_id": 0x0E15}),
        ("usb:0x0416:0x5011", UsbPrinter, "usb:0416:5011", {"vendor_id": 0x0416}),
        ("USB:4b8:E15", UsbPrinter, "usb:04b8:0e15", {"product_id": 0x0E15}),
        ("serial:/dev/ttyUSB0", SerialPrinter, "serial:/dev/ttyUSB0@9600", {"baudrate": 9600}),
        ("serial:/dev/ttyS0@19200", SerialPrinter, "serial:/dev/ttyS0@19200", {"baudrate": 19200}),
        ("serial:COM3@115200", SerialPrinter, "serial:COM3@115200", {"path": "COM3"}),
        ("tcp:192.168.1.50", TcpPrinter, "tcp:192.168.1.50:9100", {"port": 9100}),
        ("tcp:impresora.local:9101", TcpPrinter, "tcp:impresora.local:9101", {"port": 9101}),
        ("file:/dev/usb/lp0", FilePrinter, "file:/dev/usb/lp0", {"path": "/dev/usb/lp0"}),
        ("file:C:\\tickets\\out.bin", FilePrinter, "file:C:\\tickets\\out.bin", {}),
        ("  dummy  ", DummyPrinter, "dummy", {"mode": "ok"}),
        ("dummy:paper-end", DummyPrinter, "dummy:paper-end", {"mode": "paper-end"}),
        ("dummy:offline", DummyPrinter, "dummy:offline", {"mode": "offline"}),
    ],
)
def test_good_specs(spec: str, kind: type, canonical: str, fields: dict[str, object]) -> None:
    printer = parse_spec(spec)  # no device is touched
    assert type(printer) is kind
    assert printer.spec == canonical
    for name, value in fields.items():
        assert getattr(printer, name) == value


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "No se indicó la impresora; use por ejemplo usb:04b8:0e15"),
        ("lpt1", "tipo 'lpt1' desconocido; use usb:, serial:, tcp:, file: o dummy"),
        ("usb:04b8", "se esperan dos números hexadecimales, VID y PID"),
        ("usb:04b8:0e15:3", "se esperan dos números hexadecimales, VID y PID"),
        ("usb:epson:0e15", "el VID 'epson' no es un número hexadecimal de 4 cifras"),
        ("usb:04b8:12345", "el PID '12345' no es un número hexadecimal de 4 cifras"),
        ("serial:", "falta el puerto"),
        ("serial:@9600", "falta el puerto"),
        ("serial:/dev/ttyS0@fast", "la velocidad 'fast' no es válida"),
        ("serial:/dev/ttyS0@9601", "la velocidad '9601' no es válida"),
        ("serial:/dev/ttyS0@", "la velocidad '' no es válida"),
        ("tcp:", "falta el nombre o la dirección IP"),
        ("tcp::9100", "falta el nombre o la dirección IP"),
        ("tcp:10.0.0.5:http", "el puerto 'http' no es un número entre 1 y 65535"),
        ("tcp:10.0.0.5:70000", "el puerto '70000' no es un número entre 1 y 65535"),
        ("tcp:mi impresora:9100", "el nombre 'mi impresora' no es un nombre ni una dirección"),
        ("file:", "falta la ruta del archivo"),
        ("dummy:jammed", "modo 'jammed' desconocido"),
    ],
)
def test_bad_specs_name_the_bad_part(spec: str, message: str) -> None:
    with pytest.raises(PrinterSpecError) as caught:
        parse_spec(spec)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bad_spec_message_shows_an_example() -> None:
    with pytest.raises(PrinterSpecError, match=r"Ejemplo: serial:/dev/ttyUSB0@9600$"):
        parse_spec("serial:/dev/ttyS0@fast")


@given(vid=st.integers(0, 0xFFFF), pid=st.integers(0, 0xFFFF))
def test_usb_ids_round_trip(vid: int, pid: int) -> None:
    printer = parse_spec(f"usb:{vid:x}:{pid:X}")
    assert (printer.vendor_id, printer.product_id) == (vid, pid)
    assert parse_spec(printer.spec).spec == printer.spec


@given(port=st.integers(1, 65535))
def test_tcp_ports_round_trip(port: int) -> None:
    assert parse_spec(f"tcp:printer-1.local:{port}").port == port


def test_every_spec_kind_and_dummy_mode_is_documented() -> None:
    from pathlib import Path

    from printer.spec import EXAMPLES
    from printer.transports.dummy import DUMMY_MODES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "printer.md").read_text("utf-8")
    for example in EXAMPLES.values():
        assert f"`{example.split(':')[0]}" in doc
    for mode in DUMMY_MODES[1:]:
        assert f"`dummy:{mode}`" in doc
