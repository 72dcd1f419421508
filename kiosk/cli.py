"""``turnero kiosk``: run the touchscreen kiosk.

Options override the keys of the kiosk TOML file (``--config``); every key is described in
``kiosk/kiosk.example.toml``. The token may also come from the TURNERO_KIOSK_TOKEN variable,
which keeps it out of the process list.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from kiosk.settings import KNOWN_SIZES, LANGUAGES, PAPERS, TOKEN_ENV, SettingsError, resolve


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "kiosk", help="run the touchscreen kiosk (Kivy)", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", type=Path, help="kiosk TOML file (see kiosk/kiosk.example.toml)")
    p.add_argument("--server", help="server address, e.g. http://192.168.1.10:8000")
    p.add_argument("--token", help=f"kiosk device token [env {TOKEN_ENV}]")
    p.add_argument("--printer", help="usb:VID:PID, serial:/dev/ttyUSB0@9600, tcp:HOST:9100, "
                                     "file:PATH, dummy")
    p.add_argument("--paper", choices=PAPERS, help="paper width in mm (default 80)")
    p.add_argument("--fullscreen", action=argparse.BooleanOptionalAction, default=None,
                   help="full screen, no cursor (the kiosk PC or Raspberry Pi)")
    p.add_argument("--lang", choices=LANGUAGES, help="language of the screens (default es)")
    p.add_argument("--size", help=f"window size WxH, laid out for {', '.join(KNOWN_SIZES)}")
    p.add_argument("--speak", action=argparse.BooleanOptionalAction, default=None,
                   help="say each screen aloud with espeak-ng")
    p.add_argument("--voice", help="espeak-ng voice (default es)")
    p.add_argument("--dpi", type=float, help="screen density, for 2 cm touch targets "
                                              "(default: as the system reports)")
    p.set_defaults(func=cmd_kiosk)
    return p


#: One line, in the technician's language, when the kiosk extra is not installed.
NO_KIVY = ("El quiosco necesita Kivy, que no está instalado: "
           "pip install 'turnero[kiosk]'")


def cmd_kiosk(args: argparse.Namespace) -> int:
    from printer import PrinterSpecError

    if importlib.util.find_spec("kivy") is None:
        print(NO_KIVY, file=sys.stderr)
        return 2

    overrides = {k: getattr(args, k) for k in ("server", "token", "printer", "paper",
                                                "fullscreen", "lang", "size", "speak",
                                                "voice", "dpi")}
    try:
        settings = resolve(args.config, overrides)
    except SettingsError as e:
        print("Configuración del quiosco inválida:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    from kiosk.runner import run

    try:
        return run(settings)
    except PrinterSpecError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
