"""`turnero`: run the server or the demo, and set up an office from scripts.

Every subcommand that touches data takes --config and --db (or TURNERO_CONFIG / TURNERO_DB).
The printer, kiosk, hardware and central commands come from their own packages, listed in
``DEVICE_COMMANDS`` and imported only to run (or document) their own command: the office
server never loads them.
Data commands build the services through ``server.bootstrap``, like the server does.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import secrets
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server import serve_options
from server.auth import Passwords, Principal, Role
from server.config import DEMO_CONFIG, load_config
from server.errors import ConfigError, DomainError, Invalid, SchemaTooNew
from server.instance_lock import InstanceBusy
from server.queue.stats_query import StatsQuery, parse_by, parse_filters, parse_range
from server.security.proxies import add_trusted_proxy_option

if TYPE_CHECKING:
    from server.bootstrap import Services

DEFAULT_DB = Path("turnero-data") / "turnero.db"
DEMO_DIR = Path("turnero-demo")
DEMO_MARKER = ".turnero-demo"


def _data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path,
                   default=Path(os.environ.get("TURNERO_CONFIG", DEMO_CONFIG)),
                   help="office TOML file (seeds a new database) [env TURNERO_CONFIG]")
    p.add_argument("--db", type=Path, default=Path(os.environ.get("TURNERO_DB", DEFAULT_DB)),
                   help="SQLite database file [env TURNERO_DB]")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or (``command``) one whose device commands other than ``command``
    are listed but not loaded."""
    parser = argparse.ArgumentParser(prog="turnero", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server")
    _data_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--open-all-hours", action="store_true",
                       help="ignore opening hours (demos, tests)")
    serve.add_argument("--public-url", help="address printed in QR codes (default: host:port)")
    serve.add_argument("--max-body-kb", type=int, default=64, metavar="KB",
                       help="largest request body accepted, in KB (larger: 413; default 64)")
    add_trusted_proxy_option(serve)
    serve_options.add_serve_options(serve)
    serve.add_argument("--central-url", help="central reporting server (overrides [central] url)")
    serve.add_argument("--central-token", help="this office's token at the central server")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="demo office with users, tokens and sample tickets")
    demo.add_argument("--dir", type=Path, default=DEMO_DIR,
                      help=f"data folder, kept between runs (default {DEMO_DIR})")
    demo.add_argument("--reset", action="store_true",
                      help="delete the demo folder's data and start over")
    demo.add_argument("--public-url", help="address printed in QR codes and in the links "
                                           "(e.g. http://192.168.1.10:8000)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="prepare the data and exit")
    demo.add_argument("--history-days", type=int, default=0, metavar="N",
                      help="also fill the N past days with generated tickets (for the "
                           "statistics charts; ~1 s per 20 days)")
    demo.set_defaults(func=cmd_demo)

    check = sub.add_parser("check-config", help="validate an office TOML file")
    check.add_argument("path", type=Path)
    check.set_defaults(func=cmd_check_config)

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_cmd",
                                                                      required=True)
    add = user.add_parser("add", help="add a user (password from a prompt or --password-stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["clerk", "supervisor", "admin"])
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true")
    _data_options(add)
    add.set_defaults(func=cmd_user_add)

    token = sub.add_parser("token", help="manage device tokens").add_subparsers(
        dest="token_cmd", required=True)
    create = token.add_parser("create", help="create a kiosk/display/hardware/survey token "
                                             "(printed once)")
    create.add_argument("--role", required=True,
                        choices=["kiosk", "display", "hardware", "survey"],
                        help="survey: the satisfaction tablet at a counter (/survey?counter=N)")
    create.add_argument("--name", required=True)
    create.add_argument("--counters", type=_counter_list, default=None, metavar="1,2,3",
                        help="role hardware: the counters the bridge may act for; role "
                             "survey: the one counter its tablet serves (recommended)")
    _data_options(create)
    create.set_defaults(func=cmd_token_create)

    _export_parser(sub)
    from server.setup import register as register_setup  # new office: server/setup.py

    register_setup(sub)
    from server.operations_cli import register as register_operations  # backup, health

    register_operations(sub)
    for name, (register, summary) in DEVICE_COMMANDS.items():
        if command in (None, name):
            register(sub)
        else:  # listed in --help without importing the device package
            sub.add_parser(name, help=summary)
    return parser


def _register_printer(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from printer.cli import register

    register(sub)


def _register_kiosk(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from kiosk.cli import register  # imports no Kivy: the kiosk command parses without it

    register(sub)


def _register_hardware(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from hardware.cli import register  # imports no pyserial until the bridge runs

    register(sub)


def _register_central(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from central.cli import register  # the central reporting server

    register(sub)


#: Commands of the device packages and of the central server (same distribution, separate
#: parts), with their one-line help. A package is imported only to parse its own command (or
#: to build the full parser for the docs): `turnero serve` never loads the printer or kiosk.
DEVICE_COMMANDS = {
    "printer": (_register_printer, "probar la impresora de tiquetes"),
    "kiosk": (_register_kiosk, "run the touchscreen kiosk (Kivy)"),
    "hardware": (_register_hardware, "serial LED displays and call buttons bridged to the "
                                     "server"),
    "central": (_register_central, "central reporting server (PostgreSQL)"),
}


def _export_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
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


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    first = next((w for w in words if not w.startswith("-")), "")
    args = build_parser(first).parse_args(words)
    try:
        code: int = args.func(args)
    except ConfigError as e:
        print("Configuración inválida:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (DomainError, InstanceBusy) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    return code


# --------------------------------------------------------------------------- commands


def passwords_from_env() -> Passwords:
    """Real argon2, unless a test server asked for the cheap test-only setting."""
    if os.environ.get(Passwords.CHEAP_ENV) == "1":
        print(f"AVISO: {Passwords.CHEAP_ENV}=1: contraseñas con argon2 de costo mínimo "
              "(solo para pruebas).", file=sys.stderr)
        return Passwords.cheap()
    return Passwords()


def _open(args: argparse.Namespace, open_all_hours: bool = False) -> Services:
    """The services for a data command (seeds the config into a new db)."""
    from server import bootstrap
    from server.services.office import OfficeSettings

    seed = load_config(args.config)
    try:
        return bootstrap.build(args.db, seed, OfficeSettings(open_all_hours=open_all_hours),
                               passwords=passwords_from_env())
    except SchemaTooNew as e:
        print(f"Error: {e}", file=sys.stderr)
        raise SystemExit(2) from e


def cmd_serve(args: argparse.Namespace) -> int:
    from server.security.proxies import uvicorn_proxy_options

    load_config(args.config)  # fail early with readable messages
    options = serve_options.uvicorn_options(args)  # HTTPS and logs
    _warn_public_url(args.host, args.port, args.public_url)
    try:
        proxies = uvicorn_proxy_options(args.trusted_proxy)
    except ValueError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    try:
        _run_server(args.db, args.config, args.host, args.port, args.open_all_hours,
                    serve_options.public_url(args, options),
                    max_body_bytes=args.max_body_kb * 1024, central_url=args.central_url,
                    central_token=args.central_token, session_hours=args.session_hours,
                    **options, **proxies)
    except SchemaTooNew as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    return 0


def _run_server(db: Path, config: Path, host: str, port: int, open_all_hours: bool,
                public_url: str | None, max_body_bytes: int | None = None, *,
                central_url: str | None = None, central_token: str | None = None,
                session_hours: float | None = None, **uvicorn_options: Any) -> None:
    import uvicorn

    from server.app import Settings, create_app
    from server.instance_lock import InstanceLock
    from server.storage import prepare

    # Held for the life of the process (released by the kernel, even on kill -9).
    InstanceLock(db).acquire()
    prepare(db)  # migrate, or refuse a newer schema, before the server starts

    settings = Settings(db_path=db, config_path=config, host=host, port=port,
                        open_all_hours=open_all_hours, public_url=public_url,
                        central_url=central_url, central_token=central_token)
    if max_body_bytes is not None:
        settings = replace(settings, max_body_bytes=max_body_bytes)
    if session_hours is not None:
        settings = replace(settings, session_hours=session_hours)
    app = create_app(settings, passwords=passwords_from_env())
    print(f"Turnero en {settings.base_url}  (base de datos: {db})", flush=True)
    # One process, one writer: never more than one worker. uvicorn's sans-I/O websocket
    # protocol, with the direct write the event hub uses for fan-out (server/ws_protocol.py;
    # TURNERO_WS_PROTOCOL=websockets-sansio is uvicorn's own; docs/benchmarks.md).
    uvicorn_options.setdefault("log_level", "warning")
    uvicorn.run(app, host=host, port=port, workers=1,
                ws=os.environ.get("TURNERO_WS_PROTOCOL", "server.ws_protocol:FanoutProtocol"),
                ws_per_message_deflate=os.environ.get("TURNERO_WS_DEFLATE") == "1",
                **uvicorn_options)


def cmd_check_config(args: argparse.Namespace) -> int:
    cfg = load_config(args.path)
    print(f"OK: {cfg.name}: {len(cfg.services)} servicios, {len(cfg.counters)} ventanillas, "
          f"{sum(g.enabled for g in cfg.groups)} grupos preferenciales.")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Contraseña: ")
    if first != getpass.getpass("Repita la contraseña: "):
        print("Las contraseñas no coinciden.", file=sys.stderr)
        raise SystemExit(2)
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    password = _read_password(args)
    services = _open(args)
    try:
        user = services.accounts.create_user_sync(args.name, password, args.role,
                                                  args.display_name)
    finally:
        services.close()
    print(f"Usuario {user['username']} creado con rol {user['role']}.")
    return 0


def _counter_list(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"lista de ventanillas inválida: {text!r} (use números separados por comas, "
            "p. ej. 1,2,3)") from None


def cmd_token_create(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        token, info = services.accounts.create_device_token_sync(args.role, args.name,
                                                                 args.counters)
    finally:
        services.close()
    print(f"Token de {info['role']} «{info['name']}» creado. Guárdelo: no se mostrará de nuevo.")
    print(token)
    return 0


DEMO_USERS = [
    ("admin", "admin", "Administración"),
    ("supervisora", "supervisor", "Supervisora Demo"),
    *[(f"ventanilla{n}", "clerk", f"Funcionario {n}") for n in range(1, 7)],
]
DEMO_TICKETS = [("A", None), ("A", "AM"), ("B", None), ("C", None), ("A", None),
                ("D", "GES"), ("B", None), ("E", None), ("C", "DIS"), ("A", None)]


def cmd_demo(args: argparse.Namespace) -> int:
    """The demo office: open around the clock, with users, tokens and a few tickets.

    A demo folder that exists is served again as it is (its passwords are in LEAME-demo.txt);
    ``--reset`` starts over. Never while another demo serves the same folder."""
    from server.first_start import wipe_demo_folder
    from server.instance_lock import InstanceLock

    folder: Path = args.dir
    if folder.exists() and not (folder / DEMO_MARKER).exists():
        print(f"{folder} existe y no es una carpeta de demo; use --dir con otra carpeta.",
              file=sys.stderr)
        return 2
    db = folder / "turnero.db"
    # the server's own one-instance lock on the database: held while the folder is prepared,
    # then by the server itself
    lock = InstanceLock(db, refusal="Es una demo en marcha: ciérrela primero (Ctrl+C en su "
                        "ventana) o use otra carpeta con --dir. No se borró nada.")
    try:
        lock.acquire()
    except InstanceBusy as e:
        print(e, file=sys.stderr)
        return 2
    try:
        if args.reset or not db.exists():
            wipe_demo_folder(folder, keep={lock.path.name})
            _prepare_demo(folder, args)
        else:
            readme = folder / "LEAME-demo.txt"
            print(f"Demo existente en {folder}: se sirve tal como quedó (use --reset para "
                  "empezar de cero).")
            if readme.exists():
                print(readme.read_text(encoding="utf-8"), flush=True)
    finally:
        lock.release()
    if args.no_serve:
        return 0
    _warn_public_url(args.host, args.port, args.public_url)
    _run_server(db, DEMO_CONFIG, args.host, args.port, True, args.public_url)
    return 0


def _prepare_demo(folder: Path, args: argparse.Namespace) -> None:
    """A new demo database in ``folder``, and its summary printed and kept in LEAME-demo.txt."""
    from server.first_start import own_command

    (folder / DEMO_MARKER).write_text(
        "Carpeta de demo de Turnero: `turnero demo --reset` la borra y empieza de cero.\n")
    ns = argparse.Namespace(config=DEMO_CONFIG, db=folder / "turnero.db")
    services = _open(ns, open_all_hours=True)
    config = services.office.config
    lines = []
    try:
        accounts = services.accounts
        for name, role, display in DEMO_USERS:
            password = secrets.token_urlsafe(9)
            accounts.create_user_sync(name, password, role, display)
            lines.append(f"  {role:<11} {name:<13} contraseña: {password}")
        kiosk, _ = accounts.create_device_token_sync("kiosk", "quiosco-demo")
        display, _ = accounts.create_device_token_sync("display", "pantalla-demo")
        survey, _ = accounts.create_device_token_sync("survey", "tableta-demo", [1])
        _issue_demo_tickets(services)
    finally:
        services.close()
    if args.history_days > 0:
        from server.services.demo_history import fill_demo_history

        count = fill_demo_history(folder / "turnero.db", config, args.history_days)
        print(f"Historia de demo: {count} turnos de los últimos {args.history_days} días.")
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    base = (args.public_url or f"http://{host}:{args.port}").rstrip("/")
    summary = "\n".join([
        "Demo de Turnero lista (abierta las 24 horas).",
        "Usuarios (se muestran solo esta vez):", *lines,
        f"Token de quiosco:  {kiosk}",
        f"Token de pantalla: {display}",
        f"Token de tableta de encuesta: {survey}",
        "Abra:",
        f"  Ventanillas:  {base}/panel",
        f"  Pantalla:     {base}/display?token={display}",
        f"  Encuesta (tableta de la ventanilla 1): {base}/survey?counter=1&token={survey}",
        f"  Supervisión:  {base}/supervisor",
        f"  Administración: {base}/admin",
        f"  API:          {base}/docs",
        f"  Quiosco:      {own_command()} kiosk --server {base} --token {kiosk} "
        "--printer dummy",
        "Para volver a abrirla sin borrar nada: el mismo comando `turnero demo`; "
        "para empezar de cero: `turnero demo --reset`.",
    ])
    print(summary, flush=True)
    (folder / "LEAME-demo.txt").write_text(summary + "\n", encoding="utf-8")


def _warn_public_url(host: str, port: int, public_url: str | None) -> None:
    """A LAN server without --public-url: say (once, before it starts) that the QR codes
    point to this machine only."""
    from server.first_start import serve_warning

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    warning = serve_warning(host, public_url, f"http://{shown}:{port}")
    if warning:
        print(warning, file=sys.stderr, flush=True)


def _issue_demo_tickets(services: Services) -> None:
    """A few waiting tickets, so the panel and the board show something at once."""
    kiosk = Principal(Role.KIOSK, "quiosco-demo", "quiosco-demo", 0)

    async def issue_all() -> None:
        for service, group in DEMO_TICKETS:
            await services.ticketing.issue_ticket(service, group, kiosk)

    asyncio.run(issue_all())


def cmd_export(args: argparse.Namespace) -> int:
    """`turnero export`: the same CSV/XLSX files as GET /api/v1/stats/export, from the
    command line (for scheduled yearly reports or when the web page is out of reach)."""
    start, end = parse_range(args.start, args.end)
    query = StatsQuery(start, end, parse_by(None),
                       parse_filters(args.service, args.counter, args.clerk, args.group,
                                     args.char))
    if not Path(args.db).exists():
        raise Invalid(f"No existe la base de datos {args.db}.")
    services = _open(args)  # applies pending migrations, reads the config
    try:
        _write_export(services, query, args)
    finally:
        services.close()
    return 0


def _write_export(services: Services, query: StatsQuery, args: argparse.Namespace) -> None:
    stats = services.statistics
    output: Path = args.output or Path(stats.filename(args.kind, query, args.format))
    if args.format == "csv":
        chunks = stats.csv(args.kind, query, spanish_excel=args.sep == "semicolon")
        if str(output) == "-":
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
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
            return
        stats.xlsx(args.kind, query, output)
    print(f"Exportado: {output}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
