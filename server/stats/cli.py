"""`turnero export`: the same CSV/XLSX files as GET /api/v1/stats/export, from the command
line (for scheduled yearly reports or when the web page is out of reach)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from server.queue.model import Invalid
from server.stats.query import StatsQuery, parse_by, parse_filters, parse_range


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from server.cli import _data_options

    p = sub.add_parser("export", help="export tickets or indicators of a date range "
                                      "(CSV or XLSX)")
    p.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="last day (inclusive), YYYY-MM-DD")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--kind", choices=["tickets", "summary"], default="tickets",
                   help="tickets: one row per ticket; summary: the indicators")
    p.add_argument("--sep", choices=["comma", "semicolon"], default="comma",
                   help="CSV: semicolon uses ';' and decimal comma (Excel in Spanish)")
    p.add_argument("--output", type=Path,
                   help="file to write (default: a name with the range, in this folder; "
                        "'-' for standard output)")
    p.add_argument("--service", help="only this service (letter)")
    p.add_argument("--counter", help="only this counter (number)")
    p.add_argument("--clerk", help="only this clerk (username)")
    p.add_argument("--group", help="group code, general or preferential")
    p.add_argument("--char", action="append", default=[],
                   help="characterization filter question:answer (repeatable)")
    _data_options(p)
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from server.cli import _open
    from server.stats.service import StatsService

    start, end = parse_range(args.start, args.end)
    query = StatsQuery(start, end, parse_by(None),
                       parse_filters(args.service, args.counter, args.clerk, args.group,
                                     args.char))
    if not Path(args.db).exists():
        raise Invalid(f"No existe la base de datos {args.db}.")
    store, engine, _accounts = _open(args)  # applies pending migrations, reads the config
    store.close()
    stats = StatsService(Path(args.db), engine.config)
    output: Path = args.output or Path(stats.filename(args.kind, query, args.format))
    if args.format == "csv":
        chunks = stats.csv(args.kind, query, spanish_excel=args.sep == "semicolon")
        if str(output) == "-":
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return 0
        with open(output, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
    else:
        if str(output) == "-":
            tmp = Path(f"{args.db}.export.xlsx")
            stats.xlsx(args.kind, query, tmp)
            with open(tmp, "rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer)
            tmp.unlink()
            return 0
        stats.xlsx(args.kind, query, output)
    print(f"Exportado: {output}", file=sys.stderr)
    return 0
