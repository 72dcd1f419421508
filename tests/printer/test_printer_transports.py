"""Each transport delivers exactly the bytes it was given, through a real link."""

from __future__ import annotations

import pytest

from printer.errors import PrinterUnavailable
from printer.layout import render_ticket
from printer.profiles import PAPER_58, PAPER_80
from printer.spec import open_printer, parse_spec
from printer.transports import DummyPrinter, TicketPrinter


def test_serial_through_a_real_pty_delivers_the_exact_bytes(pty_printer, long_ticket) -> None:
    data = render_ticket(long_ticket, PAPER_58)
    peer = pty_printer()
    with open_printer(f"serial:{peer.path}@9600") as printer:
        assert isinstance(printer, TicketPrinter)
        printer.send(data)
        printer.send(data)
    assert peer.wait_for(2 * len(data)) == data + data


def test_serial_write_failure_names_the_device(pty_printer) -> None:
    peer = pty_printer()
    printer = open_printer(f"serial:{peer.path}")
    peer.close()  # the other end goes away, like a printer switched off mid-job
    with pytest.raises(PrinterUnavailable) as caught:
        printer.send(b"x" * 10_000)
    assert str(caught.value).startswith(f"No se pudo imprimir en serial:{peer.path}@9600: ")
    printer.close()


def test_tcp_through_a_real_listener_delivers_the_exact_bytes(tcp_printer, long_ticket) -> None:
    data = render_ticket(long_ticket, PAPER_80)
    peer = tcp_printer()
    with open_printer(f"tcp:127.0.0.1:{peer.port}") as printer:
        printer.send(data)
    assert peer.wait_for(len(data)) == data


def test_tcp_reconnects_on_the_next_job_after_a_failure(tcp_printer) -> None:
    peer = tcp_printer()
    printer = open_printer(f"tcp:127.0.0.1:{peer.port}")
    printer.send(b"one")
    peer.wait_for(3)
    printer.close()  # as after a broken connection
    printer.send(b"two")
    assert peer.wait_for(6) == b"onetwo"
    assert peer.connections == 2
    printer.close()


def test_tcp_refused_names_the_printer(tcp_printer) -> None:
    peer = tcp_printer()
    port = peer.port
    peer.close()  # nothing listens on that port any more
    with pytest.raises(PrinterUnavailable) as caught:
        open_printer(f"tcp:127.0.0.1:{port}")
    assert str(caught.value) == (
        f"No se pudo abrir la impresora tcp:127.0.0.1:{port}: "
        "la impresora rechazó la conexión (¿puerto correcto?)"
    )


def test_file_transport_writes_the_raw_bytes(tmp_path, plain_ticket) -> None:
    data = render_ticket(plain_ticket, PAPER_80)
    target = tmp_path / "lp0"
    with open_printer(f"file:{target}") as printer:
        printer.send(data)
        printer.send(b"\n")
    assert target.read_bytes() == data + b"\n"


def test_file_in_a_missing_folder_names_the_path(tmp_path) -> None:
    target = tmp_path / "no-such-dir" / "lp0"
    with pytest.raises(PrinterUnavailable, match=f"impresora file:{target}: el dispositivo no"):
        open_printer(f"file:{target}")


def test_missing_serial_port_names_the_device(tmp_path) -> None:
    path = tmp_path / "ttyUSB9"
    with pytest.raises(PrinterUnavailable) as caught:
        open_printer(f"serial:{path}")
    assert str(caught.value).startswith(f"No se pudo abrir la impresora serial:{path}@9600: ")


def test_usb_without_such_device_names_the_device() -> None:
    """Real pyusb: either libusb is missing or no printer dead:beef is plugged in."""
    with pytest.raises(PrinterUnavailable) as caught:
        open_printer("usb:dead:beef")
    message = str(caught.value)
    assert message.startswith("No se pudo abrir la impresora usb:dead:beef: ")
    assert "libusb" in message or "no se encontró el dispositivo USB" in message


def test_usb_status_without_device_is_unreachable_not_an_exception() -> None:
    status = parse_spec("usb:dead:beef").status()
    assert status.online is False and status.blocked
    assert "usb:dead:beef" in status.message


def test_dummy_keeps_every_job(plain_ticket) -> None:
    printer = open_printer("dummy")
    assert isinstance(printer, DummyPrinter)
    first = render_ticket(plain_ticket, PAPER_58)
    printer.send(first)
    printer.send(b"second")
    assert printer.jobs == [first, b"second"]
    assert printer.output == first + b"second"


def test_dummy_offline_refuses_to_print() -> None:
    printer = open_printer("dummy:offline")
    with pytest.raises(PrinterUnavailable, match="dummy:offline"):
        printer.send(b"x")
    assert printer.jobs == []


def test_dummy_paper_end_still_buffers_like_a_real_printer() -> None:
    printer = open_printer("dummy:paper-end")
    printer.send(b"x")
    assert printer.status().blocked and printer.output == b"x"
