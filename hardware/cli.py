"""``turnero hardware``: the serial-peripherals bridge, and the technician's tools.

    turnero hardware --config hardware.toml           run the bridge
    turnero hardware --check-config hardware.toml     validate the file (errors name key and line)
    turnero hardware --list-ports                     serial ports: device, description, USB ids
    turnero hardware --test-display PORT [--frame F]  send a test pattern to a display
    turnero hardware --monitor PORT                   print what a keypad sends, in hex and text

The token may come from the TURNERO_HARDWARE_TOKEN variable instead of the file. Every key of
the file is described in docs/hardware.md.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from hardware.config import TOKEN_ENV, ConfigError, SerialSettings, load_config


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "hardware", help="serial LED displays and call buttons bridged to the server",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--config", type=Path, help="run the bridge with this TOML file")
    mode.add_argument("--check-config", type=Path, metavar="PATH",
                      help="validate a bridge TOML file and exit")
    mode.add_argument("--list-ports", action="store_true", help="list the serial ports")
    mode.add_argument("--test-display", metavar="PORT", help="send a test pattern to PORT")
    mode.add_argument("--monitor", metavar="PORT", help="print what arrives on PORT")
    p.add_argument("--baudrate", type=int, default=9600, help="for --test-display/--monitor")
    p.add_argument("--frame", default="{text}\\r\\n",
                   help="frame template for --test-display (default '{text}\\r\\n')")
    p.add_argument("--checksum", default="none", help="checksum for --test-display")
    p.add_argument("--address", type=int, default=0, help="display address for --test-display")
    p.add_argument("--text", action="append", default=None,
                   help="text(s) of the test pattern (default 8888, A-023, ----)")
    p.add_argument("--interval", type=float, default=1.0,
                   help="seconds between test frames (default 1)")
    p.add_argument("--verbose", action="store_true", help="also log every key handled")
    p.set_defaults(func=cmd_hardware)
    return p


def cmd_hardware(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s", force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    if args.list_ports:
        return list_ports()
    if args.test_display:
        return test_display(args)
    if args.monitor:
        return monitor(SerialSettings(args.monitor, args.baudrate))
    path = args.check_config or args.config
    try:
        config = load_config(path)
    except ConfigError as e:
        print("Configuración del puente inválida:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.check_config:
        print(f"{path}: configuración válida: {len(config.displays)} pantallas, "
              f"{len(config.buttons)} botoneras, ventanillas {list(config.counters)}.")
        return 0
    import asyncio

    from hardware.bridge import Bridge

    asyncio.run(Bridge(config).run())
    return 0


def list_ports() -> int:
    from serial.tools import list_ports as lp

    ports = sorted(lp.comports(), key=lambda p: p.device)
    if not ports:
        print("No se encontró ningún puerto serie.")
        return 0
    for p in ports:
        ids = f"USB {p.vid:04X}:{p.pid:04X}" if p.vid is not None and p.pid is not None else "-"
        serial_no = f" serie {p.serial_number}" if p.serial_number else ""
        print(f"{p.device}\t{p.description or '-'}\t{ids}{serial_no}")
    return 0


def test_display(args: argparse.Namespace) -> int:
    from hardware.frames import FrameError, FrameFormat, text_values
    from hardware.transport import LinkDown, SerialLink

    try:
        frame = FrameFormat(args.frame, args.checksum)
    except FrameError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    link = SerialLink(SerialSettings(args.test_display, args.baudrate))
    texts = args.text or ["8888", "A-023", "----"]
    try:
        link.open()
        for i, text in enumerate(texts):
            if i:
                time.sleep(args.interval)
            data = frame.render({**text_values(text), "address": args.address, "line": 1,
                                 "counter": 1})
            link.write(data)
            print(f"enviado {data.hex(' ').upper()}")
    except LinkDown as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    finally:
        link.close()
    return 0


def monitor(settings: SerialSettings) -> int:
    """One line per burst of bytes (a key code usually arrives in one burst)."""
    from hardware.keys import describe
    from hardware.transport import LinkDown, SerialLink

    link = SerialLink(settings, read_timeout=0.05)
    try:
        link.open()
    except LinkDown as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    print(f"Escuchando {settings.port} a {settings.baudrate} baudios; Ctrl+C para salir.",
          flush=True)
    start = time.monotonic()
    burst = b""
    try:
        while True:
            data = link.read()
            if data:
                burst += data
                continue
            if burst:
                print(f"{time.monotonic() - start:8.3f}  {describe(burst)}", flush=True)
                burst = b""
    except LinkDown as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        link.close()


__all__ = ["TOKEN_ENV", "register"]
