"""Command line for technicians: print a test ticket, ask a printer for its status.

``turnero printer test SPEC`` (once the main CLI calls :func:`register`) or, standalone,
``python -m printer test SPEC``.  Exit code 0 on success; on failure one plain line on stderr
and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

from printer.errors import PrinterError
from printer.layout import render_ticket
from printer.profiles import paper_profile
from printer.sample import SAMPLE_OFFICE, sample_ticket
from printer.spec import EXAMPLES, open_printer

EXIT_OK = 0
EXIT_FAILED = 2

_SPEC_HELP = "cómo llegar a la impresora: " + ", ".join(EXAMPLES.values())


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add the ``printer`` command (with ``test`` and ``status``) to a CLI's subparsers.

    Each leaf parser sets ``func``: call ``args.func(args)`` and exit with what it returns.
    """
    parser = subparsers.add_parser(
        "printer", help="probar la impresora de tiquetes", description=__doc__
    )
    _add_commands(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: ``python -m printer test SPEC``."""
    parser = argparse.ArgumentParser(prog="python -m printer", description=__doc__)
    _add_commands(parser)
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    return command(args)


def _add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="printer_command", metavar="COMANDO", required=True)

    test = commands.add_parser("test", help="imprimir un tiquete de prueba con tildes y eñes")
    test.add_argument("spec", metavar="SPEC", help=_SPEC_HELP)
    test.add_argument("--paper", choices=["58", "80"], default="80", help="ancho del papel en mm")
    test.add_argument("--office", default=SAMPLE_OFFICE, help="nombre de la oficina")
    test.add_argument("--codepage", help="página de códigos de la impresora (por defecto CP850)")
    test.add_argument(
        "--codepage-number", type=int, help="número n de ESC t n, si la impresora usa otro"
    )
    test.set_defaults(func=_run_test)

    status = commands.add_parser("status", help="preguntar a la impresora si tiene papel")
    status.add_argument("spec", metavar="SPEC", help=_SPEC_HELP)
    status.set_defaults(func=_run_status)


def _run_test(args: argparse.Namespace) -> int:
    try:
        profile = paper_profile(args.paper)
        if args.codepage or args.codepage_number is not None:
            profile = replace(
                profile,
                codepage=args.codepage or profile.codepage,
                codepage_number=args.codepage_number,
            )
        data = render_ticket(sample_ticket(args.office), profile)
        with open_printer(args.spec) as printer:
            status = printer.status()
            if status.blocked:
                return _fail(f"No se puede imprimir en {printer.spec}: {status.message}")
            printer.send(data)
            spec = printer.spec
    except (PrinterError, ValueError) as err:
        return _fail(str(err))
    print(f"Tiquete de prueba enviado a {spec} ({len(data)} bytes). {status.message}")
    return EXIT_OK


def _run_status(args: argparse.Namespace) -> int:
    try:
        with open_printer(args.spec) as printer:
            status = printer.status()
            spec = printer.spec
    except PrinterError as err:
        return _fail(str(err))
    if status.blocked:
        return _fail(f"{spec}: {status.message}")
    print(f"{spec}: {status.message}")
    return EXIT_OK


def _fail(message: str) -> int:
    print(" ".join(message.split()), file=sys.stderr)
    return EXIT_FAILED
