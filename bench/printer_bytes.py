"""How big is a ticket, and how long does it take to reach a serial printer?

For 58 and 80 mm paper, with and without the preferential mark, prints the size of the print
job, its wire time at 9600 baud (8N1 = 10 bits per byte) and the time measured pushing it through
a pseudo-terminal pair at 9600 baud with pyserial on both ends (socat links two ptys; without
socat the reading end is a plain os.openpty() master).

A pty does not emulate the line speed, so the measured figure is the software cost (render,
write, drain, read); the wire time is what a real 9600-baud printer adds.

    /work/venv/bin/python bench/printer_bytes.py [--write docs/bench/printer.md]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import escpos  # noqa: E402
import serial  # noqa: E402
from escpos.constants import QR_ECLEVEL_M  # noqa: E402
from escpos.printer import Dummy  # noqa: E402

from printer.layout import BOGOTA, qr_module_size, render_ticket  # noqa: E402
from printer.profiles import PAPER_58, PAPER_80  # noqa: E402
from printer.sample import sample_ticket  # noqa: E402
from printer.transports import SerialPrinter  # noqa: E402

BAUD = 9600
BITS_PER_BYTE = 10  # start + 8 data + stop
ROUNDS = 20


@contextmanager
def pty_link() -> Iterator[tuple[str, object]]:
    """Yield (path for the printer side, reader) over a pty pair; reader has read(n)."""
    socat = shutil.which("socat")
    if socat:
        folder = tempfile.mkdtemp()
        a, b = os.path.join(folder, "host"), os.path.join(folder, "printer")
        proc = subprocess.Popen(
            [socat, f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 5
            while not (os.path.exists(a) and os.path.exists(b)):
                if time.monotonic() > deadline:
                    raise RuntimeError("socat did not create the pty pair")
                time.sleep(0.01)
            reader = serial.Serial(b, baudrate=BAUD, timeout=2)
            try:
                yield a, reader
            finally:
                reader.close()
        finally:
            proc.terminate()
            proc.wait(5)
            shutil.rmtree(folder, ignore_errors=True)
    else:
        master, slave = os.openpty()

        class MasterReader:
            def read(self, n: int) -> bytes:
                return os.read(master, n)

        try:
            yield os.ttyname(slave), MasterReader()
        finally:
            os.close(master)
            os.close(slave)


def measure_pty(data: bytes) -> float:
    """Median seconds from send() until the other end holds every byte."""
    times = []
    with pty_link() as (path, reader):
        printer = SerialPrinter(path, BAUD)
        printer.open()
        try:
            for _ in range(ROUNDS):
                received = bytearray()
                done = threading.Event()

                def read_all(received: bytearray = received, done: threading.Event = done) -> None:
                    while len(received) < len(data):
                        received.extend(reader.read(len(data) - len(received)))
                    done.set()

                thread = threading.Thread(target=read_all)
                started = time.perf_counter()
                thread.start()
                printer.send(data)
                done.wait(10)
                times.append(time.perf_counter() - started)
                thread.join()
                assert bytes(received) == data
        finally:
            printer.close()
    return statistics.median(times)


def qr_size(url: str, module: int, native: bool) -> int:
    """Bytes of the QR alone: native (GS ( k) or as a raster image (what native=True avoids)."""
    p = Dummy()
    with contextlib.redirect_stdout(io.StringIO()):  # the library prints a profile warning
        p.qr(url, ec=QR_ECLEVEL_M, size=module, native=native)
    return len(p.output)


def render_time_ms(ticket: object, profile: object) -> float:
    """Median milliseconds to render one ticket (after a warm-up render)."""
    render_ticket(ticket, profile)
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        render_ticket(ticket, profile)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="also write the markdown section here")
    args = parser.parse_args()

    issued = datetime(2026, 11, 28, 9, 15, tzinfo=BOGOTA)
    rows = []
    for profile in (PAPER_58, PAPER_80):
        for preferential in (False, True):
            ticket = sample_ticket(issued_at=issued, preferential=preferential)
            data = render_ticket(ticket, profile)
            rows.append(
                (
                    profile.name,
                    "yes" if preferential else "no",
                    len(data),
                    len(data) * BITS_PER_BYTE / BAUD * 1000,
                    measure_pty(data) * 1000,
                    render_time_ms(ticket, profile),
                )
            )
    ticket = sample_ticket(issued_at=issued)
    logo = len(render_ticket(ticket, replace(PAPER_80, logo_slot=1))) - len(
        render_ticket(ticket, PAPER_80)
    )
    module = qr_module_size(ticket.status_url, PAPER_80)
    native_qr = qr_size(ticket.status_url, module, native=True)
    image_qr = qr_size(ticket.status_url, module, native=False)

    command = "/work/venv/bin/python bench/printer_bytes.py --write docs/bench/printer.md"
    link = "socat pty pair, pyserial on both ends" if shutil.which("socat") else "os.openpty()"
    lines = [
        "## Printer: ticket size and transfer time",
        "",
        f"Command: `{command}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, python-escpos {escpos.__version__}, pyserial "
        f"{serial.__version__}; link: {link}; medians of {ROUNDS} runs.",
        "",
        "Sample ticket (`printer.sample.sample_ticket`): office name of 52 characters, "
        'service "Radicación de PQRSD", two footer lines, a 46-character status URL.',
        "",
        "| paper | preferential | bytes (budget 600) | wire time at 9600 8N1 "
        "| measured through the pty | render_ticket() |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, pref, size, wire_ms, pty_ms, render_ms in rows:
        lines.append(
            f"| {name} | {pref} | {size} | {wire_ms:.0f} ms | {pty_ms:.2f} ms | "
            f"{render_ms:.2f} ms |"
        )
    lines += [
        "",
        f"- A stored logo (`logo_slot`) adds {logo} bytes (`FS p n 0` + line feed); the image "
        "itself never travels with the ticket.",
        f"- The native QR (`GS ( k`, module {module}) costs {native_qr} bytes; the same QR as "
        f"a raster image would be {image_qr} bytes ({image_qr * BITS_PER_BYTE / BAUD:.1f} s "
        "at 9600 baud).",
        "- A pty does not emulate the baud rate: the measured column is software overhead "
        "only (write, drain, relay, read; it varied between 0.1 and 4 ms from run to run on "
        "this machine). On a real 9600-baud printer the wire time dominates: every ticket "
        "stays under 0.6 s.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
