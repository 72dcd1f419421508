"""The printer spec string: one line of configuration that says how to reach the printer.

======================  ==========================================================
``usb:04b8:0e15``       USB, vendor and product id in hex (``lsusb`` shows them)
``serial:/dev/ttyUSB0`` serial port, 9600 baud; ``serial:/dev/ttyS0@19200`` for other speeds
``tcp:192.168.1.50``    network printer, port 9100; ``tcp:impresora.local:9101``
``file:/dev/usb/lp0``   any file or device; raw bytes are written to it
``dummy``               in memory (tests, demos); ``dummy:paper-end``, ``dummy:offline``, …
======================  ==========================================================

:func:`parse_spec` only checks the text (safe to call when settings are saved);
:func:`open_printer` also connects, so a missing device is reported at start-up.
"""

from __future__ import annotations

import re

from serial import Serial

from printer.errors import PrinterSpecError
from printer.transports import (
    DummyPrinter,
    FilePrinter,
    SerialPrinter,
    TcpPrinter,
    TicketPrinter,
    UsbPrinter,
)
from printer.transports.dummy import DUMMY_MODES, is_dummy_mode
from printer.transports.serialport import DEFAULT_BAUDRATE
from printer.transports.tcp import DEFAULT_PORT

EXAMPLES = {
    "usb": "usb:04b8:0e15",
    "serial": "serial:/dev/ttyUSB0@9600",
    "tcp": "tcp:192.168.1.50:9100",
    "file": "file:/dev/usb/lp0",
    "dummy": "dummy",
}

_HEX_ID = re.compile(r"(?:0x)?([0-9a-fA-F]{1,4})")
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")


def parse_spec(spec: str) -> TicketPrinter:
    """Build the (not yet connected) transport ``spec`` describes.

    Raises :class:`PrinterSpecError` with a message naming the part that is wrong.
    """
    text = spec.strip() if isinstance(spec, str) else ""
    if not text:
        raise PrinterSpecError(
            "No se indicó la impresora; use por ejemplo " + ", ".join(EXAMPLES.values())
        )
    kind, _, rest = text.partition(":")
    kind = kind.lower()
    if kind == "usb":
        return _usb(text, rest)
    if kind == "serial":
        return _serial(text, rest)
    if kind == "tcp":
        return _tcp(text, rest)
    if kind == "file":
        if not rest:
            raise _bad(text, "falta la ruta del archivo", "file")
        return FilePrinter(rest)
    if kind == "dummy":
        mode = rest or "ok"
        if not is_dummy_mode(mode):
            raise _bad(text, f"modo {mode!r} desconocido; use {', '.join(DUMMY_MODES)}", "dummy")
        return DummyPrinter(mode)
    raise PrinterSpecError(
        f"Impresora mal indicada {text!r}: tipo {kind!r} desconocido; "
        "use usb:, serial:, tcp:, file: o dummy"
    )


def open_printer(spec: str) -> TicketPrinter:
    """Parse ``spec`` and connect.

    Raises :class:`PrinterSpecError` for a malformed spec and
    :class:`~printer.errors.PrinterUnavailable` when the device cannot be opened.
    """
    printer = parse_spec(spec)
    printer.open()
    return printer


def _usb(text: str, rest: str) -> UsbPrinter:
    parts = rest.split(":")
    if len(parts) != 2 or not all(parts):
        raise _bad(text, "se esperan dos números hexadecimales, VID y PID", "usb")
    ids = []
    for label, part in zip(("VID", "PID"), parts, strict=True):
        match = _HEX_ID.fullmatch(part)
        if not match:
            raise _bad(text, f"el {label} {part!r} no es un número hexadecimal de 4 cifras", "usb")
        ids.append(int(match.group(1), 16))
    return UsbPrinter(ids[0], ids[1])


def _serial(text: str, rest: str) -> SerialPrinter:
    path, at, baud = rest.rpartition("@") if "@" in rest else (rest, "", "")
    if not path:
        raise _bad(text, "falta el puerto, p. ej. /dev/ttyUSB0 o COM3", "serial")
    if not at:
        return SerialPrinter(path, DEFAULT_BAUDRATE)
    if not baud.isdigit() or int(baud) not in Serial.BAUDRATES or int(baud) < 1200:
        reason = f"la velocidad {baud!r} no es válida (9600, 19200, 38400, 115200…)"
        raise _bad(text, reason, "serial")
    return SerialPrinter(path, int(baud))


def _tcp(text: str, rest: str) -> TcpPrinter:
    host, colon, port = rest.rpartition(":") if ":" in rest else (rest, "", "")
    if not host:
        raise _bad(text, "falta el nombre o la dirección IP de la impresora", "tcp")
    if not _HOST.fullmatch(host):
        raise _bad(text, f"el nombre {host!r} no es un nombre ni una dirección IPv4", "tcp")
    if not colon:
        return TcpPrinter(host, DEFAULT_PORT)
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise _bad(text, f"el puerto {port!r} no es un número entre 1 y 65535", "tcp")
    return TcpPrinter(host, int(port))


def _bad(text: str, reason: str, kind: str) -> PrinterSpecError:
    return PrinterSpecError(f"Impresora mal indicada {text!r}: {reason}. Ejemplo: {EXAMPLES[kind]}")
